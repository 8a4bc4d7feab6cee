import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { S3Client } from '@aws-sdk/client-s3';
import { allFunctions, auditMacKey, queueConsumers, scheduled } from '../topology';
import { startGateway, type Gateway } from './gateway';
import { inEnvironment, resourceEnvironment } from './function-env';
import { functionNameOf, lambdaContext, type HandlerLoader } from './lambda-context';
import { startQueuePoller, type QueuePoller } from './queue-poller';
import { createLocalResources, type LocalResources } from './resources';
import { ensureSecretsFile, startLocalSecretsManager, type SecretValues } from './secrets-manager';
import { secretEnv } from '../../shared/runtime/resource-env';
import { POWERTOOLS_ENV } from '../../shared/runtime/observability-env';

export interface EmulatorEndpoints {
  dynamodb: string;
  sqs: string;
  s3: string;
}

export interface PlatformOptions {
  endpoints: EmulatorEndpoints;
  /** Prefix of every table, queue and bucket name, so several platforms can share one set of emulators. */
  prefix: string;
  httpPort: number;
  loadHandler: HandlerLoader;
  authorizerCacheSeconds?: number;
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /**
   * The file (mode 600) the platform's secrets live in (infra/local/secrets-manager.ts); `npm start` keeps it in
   * .local so tokens and sealed records survive a restart. Unset: a fresh file in a temporary folder, removed on stop.
   */
  secretsFile?: string;
  /** Values for secrets the file does not hold yet, e.g. a known bootstrap secret; the others are generated. */
  secrets?: SecretValues;
  /** Overrides the queues' visibility timeout (fault tests, so redeliveries come in seconds). */
  visibilityTimeoutSeconds?: number;
  /** Seals the audit chains (HMAC, where AWS uses a KMS key); keep it across restarts or old entries stop verifying. */
  auditMacSecret?: string;
  /** Runs the scheduled functions on their timers (default); tests turn it off and call `runScheduled`. */
  scheduleTimers?: boolean;
  onError?: (message: string, error: unknown) => void;
  /**
   * Alerts: webhook receivers on this machine (loopback, plain http) for demos and tests — never on AWS, where
   * nothing sets it — and how long a receiver may take to answer.
   */
  alerts?: { allowLoopbackWebhooks?: boolean; webhookTimeoutSeconds?: number; smtpUrl?: string };
}

export interface Platform {
  url: string;
  resources: LocalResources;
  /** Every variable of every function (for tools and tests that reach the resources directly); no handler sees it all. */
  env: Record<string, string>;
  /** The environment the function of this handler entry runs with: what its topology entry grants, and no more. */
  environmentOf(entry: string): Record<string, string>;
  /** Runs a scheduled function (topology `scheduled`) now, as its timer or EventBridge rule would. */
  runScheduled(name: string): Promise<unknown>;
  stop(): Promise<void>;
}

// DynamoDB Local and fauxqs accept any credentials; s3rver insists on its own fixed pair.
const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const REGION = 'us-east-1';

export function localClients(endpoints: EmulatorEndpoints) {
  return {
    dynamodb: new DynamoDBClient({ region: REGION, endpoint: endpoints.dynamodb, credentials: LOCAL_CREDENTIALS }),
    sqs: new SQSClient({ region: REGION, endpoint: endpoints.sqs, credentials: LOCAL_CREDENTIALS }),
    s3: new S3Client({ region: REGION, endpoint: endpoints.s3, credentials: LOCAL_CREDENTIALS, forcePathStyle: true }),
  };
}

/**
 * The platform without its emulators: resources from the topology, the handlers' environment (exactly the
 * variables Lambda would get, plus endpoints), the API gateway and one poller per pipeline stage.
 */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const clients = localClients(options.endpoints);
  const resources = await createLocalResources(options.prefix, clients, options.visibilityTimeoutSeconds);
  const temporary = options.secretsFile === undefined ? mkdtempSync(join(tmpdir(), 'kyoyu-secrets-')) : undefined;
  const secretsFile = options.secretsFile ?? join(temporary!, 'secrets.json');
  ensureSecretsFile(secretsFile, options.secrets);
  const secretsManager = await startLocalSecretsManager({ file: secretsFile, prefix: options.prefix });
  // What every function gets, as Lambda gives every function its region and credentials: no resource among it.
  const shared: Record<string, string> = {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    DYNAMODB_ENDPOINT: options.endpoints.dynamodb,
    SQS_ENDPOINT: options.endpoints.sqs,
    S3_ENDPOINT: options.endpoints.s3,
    SECRETS_MANAGER_ENDPOINT: secretsManager.endpoint,
    LOG_LEVEL: options.logLevel ?? 'info',
    // As on AWS (infra/aws/handler-function.ts); no X-Ray daemon here, and silence silences the metric lines too.
    ...POWERTOOLS_ENV,
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: options.logLevel === 'silent' ? 'true' : 'false',
    // Alerts' settings, as infra/aws sets them on the functions that deliver (loopback webhooks only ever locally).
    ALERTS_ALLOW_LOOPBACK: options.alerts?.allowLoopbackWebhooks ? 'true' : 'false',
    ...(options.alerts?.webhookTimeoutSeconds ? { ALERTS_WEBHOOK_TIMEOUT_SECONDS: String(options.alerts.webhookTimeoutSeconds) } : {}),
    // Alert e-mail goes to the local SMTP server (infra/local/smtp.ts) where AWS uses SES.
    ...(options.alerts?.smtpUrl ? { ALERTS_SMTP_URL: options.alerts.smtpUrl, ALERTS_MAIL_FROM: 'alerts@kyoyu.local' } : {}),
  };
  const grants = {
    resources,
    // Which secret, never its value: handlers read it at cold start, as on AWS.
    secretIds: secretsManager.ids,
    // The audit chain's MAC secret is a plain variable: locally only (on AWS a KMS key, whose material never leaves KMS).
    auditMacSecret: options.auditMacSecret ?? randomBytes(48).toString('base64url'),
  };
  const env: Record<string, string> = {
    ...shared,
    ...Object.fromEntries(Object.entries(grants.secretIds).map(([name, id]) => [secretEnv(name), id])),
    [auditMacKey.secretEnvVar]: grants.auditMacSecret,
    ...resources.env,
  };
  // Each function runs with exactly its own environment, as on Lambda: the shared part, then what its `uses` grant
  // (infra/local/function-env.ts). process.env holds the shared part only, for the SDK's credentials and Powertools.
  const environments = new Map(
    [...allFunctions()].map(([entry, definition]) => [entry, { ...shared, ...resourceEnvironment(definition.uses, grants) }]),
  );
  const environmentOf = (entry: string): Record<string, string> => {
    const found = environments.get(entry);
    if (!found) throw new Error(`${entry} has no entry in infra/topology.ts: a function runs only with the resources its entry declares`);
    return found;
  };
  const loadHandler: HandlerLoader = (entry) => inEnvironment(environmentOf(entry), options.loadHandler(entry));
  Object.assign(process.env, shared);

  const gateway: Gateway = await startGateway({
    port: options.httpPort,
    loadHandler,
    authorizerCacheSeconds: options.authorizerCacheSeconds,
    onError: options.onError,
  });
  // Discovery's api_roots and file URLs come from configuration, never from the Host header a client sends.
  env.PUBLIC_BASE_URL = gateway.url;
  process.env.PUBLIC_BASE_URL = gateway.url;
  for (const functionEnv of environments.values()) functionEnv.PUBLIC_BASE_URL = gateway.url;
  const pollers: QueuePoller[] = queueConsumers.map((stage) => {
    const queue = resources.queues[stage.name]!;
    return startQueuePoller({
      functionName: functionNameOf(stage.entry),
      queueUrl: queue.url,
      queueArn: queue.arn,
      handler: loadHandler(stage.entry),
      batchSize: stage.queue.batchSize,
      concurrency: stage.queue.maxConcurrency,
      batchingWindowSeconds: stage.queue.batchingWindowSeconds,
      timeoutSeconds: stage.timeoutSeconds,
      sqs: clients.sqs,
      onError: options.onError,
    });
  });

  const runScheduled = async (name: string): Promise<unknown> => {
    const fn = scheduled.find((s) => s.name === name);
    if (!fn) throw new Error(`No scheduled function ${name}`);
    const event = { source: 'aws.events', 'detail-type': 'Scheduled Event', time: new Date().toISOString(), detail: {} };
    return loadHandler(fn.entry)(event, lambdaContext(functionNameOf(fn.entry), fn.timeoutSeconds));
  };
  const timers =
    (options.scheduleTimers ?? true)
      ? scheduled.map((fn) => {
          const timer = setInterval(
            () => void runScheduled(fn.name).catch((error: unknown) => options.onError?.(`${fn.name} failed`, error)),
            fn.everyMinutes * 60_000,
          );
          timer.unref();
          return timer;
        })
      : [];

  return {
    url: gateway.url,
    resources,
    env,
    environmentOf,
    runScheduled,
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.all(pollers.map((p) => p.stop()));
      await gateway.stop();
      await secretsManager.stop();
      if (temporary) rmSync(temporary, { recursive: true, force: true });
      clients.dynamodb.destroy();
      clients.sqs.destroy();
      clients.s3.destroy();
    },
  };
}
