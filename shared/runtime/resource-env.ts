/**
 * How a resource's physical name reaches a handler: one environment variable per resource, named here once.
 * infra/aws sets them from CDK tokens, infra/local from the names it created; config reads them.
 */
export const tableEnv = (table: string): string => `TABLE_${table.toUpperCase()}`;
export const queueEnv = (queue: string): string => `QUEUE_URL_${queue.toUpperCase()}`;
export const bucketEnv = (bucket: string): string => `BUCKET_${bucket.toUpperCase()}`;
/** A pipeline stage's dead-letter queue (for `kyoyu dlq`). */
export const deadLetterQueueEnv = (stage: string): string => `DLQ_URL_${stage.toUpperCase()}`;
/**
 * A secret (infra/topology.ts `secrets`): the variable holds its ARN on AWS, its name locally — never its value, which
 * the function reads from Secrets Manager (shared/runtime/secrets.ts). `auditMac` → SECRET_ID_AUDIT_MAC.
 */
export const SECRET_ENV_PREFIX = 'SECRET_ID_';
export const secretEnv = (secret: string): string =>
  `${SECRET_ENV_PREFIX}${secret
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]/g, '_')
    .toUpperCase()}`;
