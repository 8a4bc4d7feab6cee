import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DirectoryStore } from '../core/ports';
import { DynamoDirectoryStore } from '../adapters/dynamodb/directory-store';
import { createDocumentClient } from './aws-clients';
import { baseConfig, tableName, type BaseConfig } from './config';
import { createLogger, type Logger } from './logger';

/** Everything a handler needs, built lazily once per cold start (a handler only pays for what it uses). */
export interface Container {
  config: BaseConfig;
  logger: Logger;
  directory: DirectoryStore;
}

function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

export function createContainer(env: NodeJS.ProcessEnv = process.env): Container {
  const config = baseConfig(env);
  const documentClient = lazy<DynamoDBDocumentClient>(() => createDocumentClient(config));
  const directory = lazy(() => new DynamoDirectoryStore(documentClient(), tableName('directory', env)));
  return {
    config,
    logger: createLogger('kyoyu', config.LOG_LEVEL),
    get directory() {
      return directory();
    },
  };
}

let current: Container | undefined;
/** The process-wide container; Lambda reuses it across invocations of a warm function. */
export function container(): Container {
  return (current ??= createContainer());
}
