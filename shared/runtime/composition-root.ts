import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DirectoryStore, FunnelStore, ObjectStore, PipelineQueue, StatusStore } from '../core/ports';
import { DynamoDirectoryStore } from '../adapters/dynamodb/directory-store';
import { DynamoObjectStore } from '../adapters/dynamodb/object-store';
import { DynamoStatusStore } from '../adapters/dynamodb/status-store';
import { DynamoFunnelStore } from '../adapters/dynamodb/funnel-store';
import { SqsPipelineQueue } from '../adapters/sqs/pipeline-queue';
import { createDocumentClient, createSqsClient } from './aws-clients';
import { baseConfig, cursorSecrets, queueUrl, tableName, type BaseConfig } from './config';
import { createLogger, type Logger } from './logger';

/** Everything a handler needs, built lazily once per cold start (a handler only pays for what it uses). */
export interface Container {
  config: BaseConfig;
  logger: Logger;
  directory: DirectoryStore;
  objects: ObjectStore;
  statuses: StatusStore;
  pipeline: PipelineQueue;
  funnel: FunnelStore;
  cursorKeys: string[];
}

function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

export function createContainer(env: NodeJS.ProcessEnv = process.env): Container {
  const config = baseConfig(env);
  const documentClient = lazy<DynamoDBDocumentClient>(() => createDocumentClient(config));
  const directory = lazy(() => new DynamoDirectoryStore(documentClient(), tableName('directory', env)));
  const objects = lazy(() => new DynamoObjectStore(documentClient(), tableName('objects', env)));
  const statuses = lazy(() => new DynamoStatusStore(documentClient(), tableName('statuses', env)));
  const funnel = lazy(() => new DynamoFunnelStore(documentClient(), tableName('funnel', env)));
  const pipeline = lazy(() => new SqsPipelineQueue(createSqsClient(config), (stage) => queueUrl(stage, env)));
  return {
    config,
    logger: createLogger('kyoyu', config.LOG_LEVEL),
    get directory() {
      return directory();
    },
    get objects() {
      return objects();
    },
    get statuses() {
      return statuses();
    },
    get pipeline() {
      return pipeline();
    },
    get funnel() {
      return funnel();
    },
    get cursorKeys() {
      return cursorSecrets(config);
    },
  };
}

let current: Container | undefined;
/** The process-wide container; Lambda reuses it across invocations of a warm function. */
export function container(): Container {
  return (current ??= createContainer());
}
