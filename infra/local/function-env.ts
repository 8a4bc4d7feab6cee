import type { Context } from 'aws-lambda';
import { auditMacKey, type ResourceUse } from '../topology';
import { bucketEnv, deadLetterQueueEnv, queueEnv, secretEnv, tableEnv } from '../../shared/runtime/resource-env';
import { runInEnvironment } from '../../shared/runtime/config';
import type { LocalResources } from './resources';

/** What the local platform may hand a function: its resources, its secrets' names, the audit MAC secret. */
export interface LocalGrants {
  resources: LocalResources;
  secretIds: Record<string, string>;
  auditMacSecret: string;
}

function lookup<T>(map: Record<string, T>, name: string, kind: string): T {
  const found = map[name];
  if (found === undefined) throw new Error(`Topology refers to unknown ${kind} "${name}"`);
  return found;
}

/**
 * The variables a function's `uses` grant it, and no others: the same names infra/aws/handler-function.ts sets on the
 * Lambda (its IAM grants follow the same `uses`), so a function that reads an undeclared resource fails here as it
 * would on AWS, where it would have neither the name nor the permission. The audit MAC is a KMS key id on AWS, the
 * secret itself here (config.ts auditMacConfig).
 */
export function resourceEnvironment(uses: ResourceUse, grants: LocalGrants): Record<string, string> {
  const env: Record<string, string> = {};
  for (const table of Object.keys(uses.tables ?? {})) env[tableEnv(table)] = lookup(grants.resources.tables, table, 'table');
  for (const queue of uses.queues ?? []) env[queueEnv(queue)] = lookup(grants.resources.queues, queue, 'queue').url;
  for (const stage of uses.deadLetterQueues ?? [])
    env[deadLetterQueueEnv(stage)] = lookup(grants.resources.queues, stage, 'dead-letter queue').dlqUrl;
  for (const bucket of Object.keys(uses.buckets ?? {})) env[bucketEnv(bucket)] = lookup(grants.resources.buckets, bucket, 'bucket');
  for (const secret of uses.secrets ?? []) env[secretEnv(secret)] = lookup(grants.secretIds, secret, 'secret');
  if (uses.auditMac) env[auditMacKey.secretEnvVar] = grants.auditMacSecret;
  return env;
}

/**
 * A handler invoked as the function whose environment is `env`: everything it runs, awaits or schedules reads `env`
 * (shared/runtime/config.ts currentEnv), never another function's variables, even while other functions run at once.
 */
export function inEnvironment<R>(
  env: Record<string, string>,
  handler: (event: unknown, context: Context) => Promise<R>,
): (event: unknown, context: Context) => Promise<R> {
  return (event, context) => runInEnvironment(env, () => handler(event, context));
}
