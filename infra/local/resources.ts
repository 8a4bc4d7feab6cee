import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { bucketEnv, deadLetterQueueEnv, queueEnv, tableEnv } from '../../shared/runtime/resource-env';
import { buckets, queueConsumers, tables, type TableDefinition } from '../topology';

export interface LocalResources {
  tables: Record<string, string>;
  queues: Record<string, { url: string; arn: string; dlqUrl: string }>;
  buckets: Record<string, string>;
  /** The environment variables a handler reads to find them. */
  env: Record<string, string>;
}

function attributeDefinitions(table: TableDefinition): AttributeDefinition[] {
  const keys = [table.partitionKey, table.sortKey, ...table.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  const unique = new Map<string, AttributeDefinition>();
  for (const key of keys) if (key) unique.set(key.name, { AttributeName: key.name, AttributeType: key.type });
  return [...unique.values()];
}

async function ensureTable(client: DynamoDBClient, name: string, table: TableDefinition): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: attributeDefinitions(table),
      KeySchema: [
        { AttributeName: table.partitionKey.name, KeyType: 'HASH' },
        ...(table.sortKey ? [{ AttributeName: table.sortKey.name, KeyType: 'RANGE' as const }] : []),
      ],
      GlobalSecondaryIndexes: table.indexes.length
        ? table.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey.name, KeyType: 'HASH' as const },
              ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' as const }] : []),
            ],
            Projection: { ProjectionType: 'ALL' as const },
          }))
        : undefined,
    }),
  );
  if (table.timeToLiveAttribute) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
      }),
    );
  }
}

async function ensureQueue(client: SQSClient, name: string, attributes: Record<string, string>): Promise<{ url: string; arn: string }> {
  const created = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const url = created.QueueUrl!;
  const described = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { url, arn: described.Attributes!.QueueArn! };
}

/** Creates (or finds) every table, queue and bucket of the topology under `prefix`; idempotent. */
export async function createLocalResources(
  prefix: string,
  clients: { dynamodb: DynamoDBClient; sqs: SQSClient; s3: S3Client },
  /** Fault tests shorten the redelivery wait; everything else uses the topology's. */
  visibilityTimeoutSeconds?: number,
): Promise<LocalResources> {
  const out: LocalResources = { tables: {}, queues: {}, buckets: {}, env: {} };
  for (const [key, table] of Object.entries(tables)) {
    const name = `${prefix}-${key}`;
    await ensureTable(clients.dynamodb, name, table);
    out.tables[key] = name;
    out.env[tableEnv(key)] = name;
  }
  // The pipeline stages' queues and the audit appender's.
  for (const stage of queueConsumers) {
    const dlq = await ensureQueue(clients.sqs, `${prefix}-${stage.name}-dlq`, { MessageRetentionPeriod: String(14 * 24 * 3600) });
    const queue = await ensureQueue(clients.sqs, `${prefix}-${stage.name}`, {
      VisibilityTimeout: String(visibilityTimeoutSeconds ?? stage.queue.visibilityTimeoutSeconds),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: stage.queue.maxReceiveCount }),
    });
    out.queues[stage.name] = { ...queue, dlqUrl: dlq.url };
    out.env[queueEnv(stage.name)] = queue.url;
    out.env[deadLetterQueueEnv(stage.name)] = dlq.url;
  }
  // s3rver has no Object Lock: the anchors bucket is an ordinary bucket here (infra/aws locks it).
  for (const key of Object.keys(buckets)) {
    const name = `${prefix}-${key}`;
    await clients.s3.send(new CreateBucketCommand({ Bucket: name })).catch((error: { name?: string }) => {
      if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
    });
    out.buckets[key] = name;
    out.env[bucketEnv(key)] = name;
  }
  return out;
}
