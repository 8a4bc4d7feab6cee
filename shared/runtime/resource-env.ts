/**
 * How a resource's physical name reaches a handler: one environment variable per resource, named here once.
 * infra/aws sets them from CDK tokens, infra/local from the names it created; config reads them.
 */
export const tableEnv = (table: string): string => `TABLE_${table.toUpperCase()}`;
export const queueEnv = (queue: string): string => `QUEUE_URL_${queue.toUpperCase()}`;
export const bucketEnv = (bucket: string): string => `BUCKET_${bucket.toUpperCase()}`;
/** A pipeline stage's dead-letter queue (for `kyoyu dlq`). */
export const deadLetterQueueEnv = (stage: string): string => `DLQ_URL_${stage.toUpperCase()}`;
