import { RemovalPolicy, type App, type Environment } from 'aws-cdk-lib';
import { DataStack } from './data-stack';
import { PlatformStack } from './platform-stack';
import type { Topology } from './topology-input';

export interface KyoyuOptions {
  env?: Environment;
  /** Stack names are `${prefix}Data` and `${prefix}Platform`. */
  prefix?: string;
  removalPolicy?: RemovalPolicy;
  logRetentionDays?: number;
  alarmEmail?: string;
  throttlingRateLimit?: number;
  throttlingBurstLimit?: number;
  domain?: { domainName: string; certificateArn: string };
  /** The sender of alert e-mail, an SES-verified address or domain (infra/aws/alerts-flow.ts); unset: no e-mail on AWS. */
  alertMailFrom?: string;
}

/** Both stacks from one topology: the stateful one, and the flow that uses it. */
export function buildKyoyu(app: App, topology: Topology, options: KyoyuOptions = {}): { data: DataStack; platform: PlatformStack } {
  const prefix = options.prefix ?? 'Kyoyu';
  const removalPolicy = options.removalPolicy ?? RemovalPolicy.RETAIN;
  const env = options.env ? { env: options.env } : {};
  const data = new DataStack(app, `${prefix}Data`, {
    ...env,
    topology,
    removalPolicy,
    description: 'Kyoyu stateful resources: tables, buckets, keys, secrets',
  });
  const platform = new PlatformStack(app, `${prefix}Platform`, {
    ...env,
    description: 'Kyoyu flow: API, authorizer, pipeline, alarms',
    topology,
    data,
    removalPolicy,
    ...(options.logRetentionDays !== undefined ? { logRetentionDays: options.logRetentionDays } : {}),
    ...(options.alarmEmail ? { alarmEmail: options.alarmEmail } : {}),
    ...(options.throttlingRateLimit !== undefined ? { throttlingRateLimit: options.throttlingRateLimit } : {}),
    ...(options.throttlingBurstLimit !== undefined ? { throttlingBurstLimit: options.throttlingBurstLimit } : {}),
    ...(options.domain ? { domain: options.domain } : {}),
    ...(options.alertMailFrom ? { alertMailFrom: options.alertMailFrom } : {}),
  });
  return { data, platform };
}
