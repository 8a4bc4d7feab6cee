import { AsyncLocalStorage } from 'node:async_hooks';
import { z } from 'zod';
import { ConfigurationError } from '../core/errors';
import { bucketEnv, deadLetterQueueEnv, queueEnv, SECRET_ENV_PREFIX, secretEnv, tableEnv } from './resource-env';

/**
 * The environment of the function running now. On Lambda a process runs one function, and that is process.env. The
 * local platform runs every function in one process, each with exactly the variables its entry in infra/topology.ts
 * grants (infra/local/function-env.ts), as Lambda would: it runs each invocation inside `runInEnvironment`. One store
 * per process, kept on globalThis, because `npm start` loads each handler as its own bundle with its own copy of this
 * module; the platform and the handlers must find the same one.
 */
const FUNCTION_ENVIRONMENT = Symbol.for('kyoyu.function-environment');
const environments = ((globalThis as Record<symbol, unknown>)[FUNCTION_ENVIRONMENT] ??=
  new AsyncLocalStorage<NodeJS.ProcessEnv>()) as AsyncLocalStorage<NodeJS.ProcessEnv>;

export const currentEnv = (): NodeJS.ProcessEnv => environments.getStore() ?? process.env;

/** Runs `run` (and everything it awaits or schedules) as a function whose environment is `env`. */
export const runInEnvironment = <T>(env: NodeJS.ProcessEnv, run: () => T): T => environments.run(env, run);

/** The only reader of process.env. Endpoints are set locally (infra/local) and absent on AWS. */
const BaseEnvSchema = z.object({
  AWS_REGION: z.string().min(1).default('us-east-1'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  SQS_ENDPOINT: z.url().optional(),
  S3_ENDPOINT: z.url().optional(),
  SECRETS_MANAGER_ENDPOINT: z.url().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Where clients reach the API (scheme, host, stage prefix); unset on AWS, where API Gateway's domain is used. */
  PUBLIC_BASE_URL: z.url().optional(),
  /** The audit chain's KMS HMAC key (AWS): set only for the functions that may sign or verify audit entries. */
  AUDIT_MAC_KEY_ID: z.string().min(1).optional(),
  /**
   * The audit chain's HMAC secret where there is no KMS (the local platform only; AWS uses the key above, whose
   * material never leaves KMS); comma-separated to rotate, newest first.
   */
  AUDIT_MAC_SECRETS: z.string().optional(),
});
export type BaseConfig = z.infer<typeof BaseEnvSchema>;

export function baseConfig(env: NodeJS.ProcessEnv = currentEnv()): BaseConfig {
  const parsed = BaseEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigurationError(`Invalid environment: ${problems}`);
  }
  return parsed.data;
}

const ExportEnvSchema = z.object({
  /**
   * Exports (shared/core/export/delivery.ts) answered inline up to this many bytes (as escaped in the Lambda response);
   * larger ones go to the exports bucket and a presigned URL. Lambda's response limit is 6 MB; tests lower this.
   */
  EXPORT_INLINE_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .max(5_800_000)
    .default(5 * 1024 * 1024),
  /** How long the presigned URL of a large export works. */
  EXPORT_URL_EXPIRES_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
});
export type ExportConfig = z.infer<typeof ExportEnvSchema>;

/** Read per request (it is two variables), so a test can lower the inline limit for one request. */
export function exportConfig(env: NodeJS.ProcessEnv = process.env): ExportConfig {
  const parsed = ExportEnvSchema.safeParse(env);
  if (!parsed.success)
    throw new ConfigurationError(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/**
 * The log level, read apart from the rest: the logger exists before any handler runs, and a wrong value must not
 * stop it from reporting the configuration error that `baseConfig` will raise.
 */
export function logLevel(env: NodeJS.ProcessEnv = process.env): BaseConfig['LOG_LEVEL'] {
  const parsed = BaseEnvSchema.shape.LOG_LEVEL.safeParse(env['LOG_LEVEL']);
  return parsed.success ? parsed.data : 'info';
}

/**
 * A resource's variable, set only for the functions whose `uses` in infra/topology.ts declare the resource (on AWS, and
 * locally): a missing one is a topology omission, and the error says which resource to declare.
 */
function required(variable: string, env: NodeJS.ProcessEnv, resource: string): string {
  const value = env[variable];
  if (!value)
    throw new ConfigurationError(
      `This function may not use the ${resource}: its uses in infra/topology.ts do not declare it (${variable} is not set)`,
    );
  return value;
}

export const tableName = (table: string, env: NodeJS.ProcessEnv = currentEnv()): string => required(tableEnv(table), env, `${table} table`);
export const queueUrl = (queue: string, env: NodeJS.ProcessEnv = currentEnv()): string => required(queueEnv(queue), env, `${queue} queue`);
export const deadLetterQueueUrl = (stage: string, env: NodeJS.ProcessEnv = currentEnv()): string =>
  required(deadLetterQueueEnv(stage), env, `${stage} dead-letter queue`);
export const bucketName = (bucket: string, env: NodeJS.ProcessEnv = currentEnv()): string =>
  required(bucketEnv(bucket), env, `${bucket} bucket`);

/** The ARN (AWS) or name (locally) of a secret the function declares in infra/topology.ts; its value is read at cold start. */
export const secretId = (secret: string, env: NodeJS.ProcessEnv = currentEnv()): string =>
  required(secretEnv(secret), env, `${secret} secret`);

/** Every secret the function was given, to start reading them at cold start. */
export const declaredSecretIds = (env: NodeJS.ProcessEnv = currentEnv()): string[] =>
  Object.entries(env).flatMap(([variable, value]) => (variable.startsWith(SECRET_ENV_PREFIX) && value ? [value] : []));

/**
 * Which audit MAC the function has: the KMS key when its id is set (AWS), else the local secret. Not an `if (local)`:
 * the deployment sets one variable or the other, as it sets endpoints, and a function given neither may not seal.
 */
export function auditMacConfig(config: BaseConfig): { kind: 'kms'; keyId: string } | { kind: 'hmac'; secrets: string[] } {
  if (config.AUDIT_MAC_KEY_ID) return { kind: 'kms', keyId: config.AUDIT_MAC_KEY_ID };
  const secrets = (config.AUDIT_MAC_SECRETS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (secrets.length === 0)
    throw new ConfigurationError(
      'Neither AUDIT_MAC_KEY_ID nor AUDIT_MAC_SECRETS is set: this function may not seal or verify the audit log',
    );
  if (secrets.some((s) => s.length < 32)) throw new ConfigurationError('Each of AUDIT_MAC_SECRETS must be at least 32 characters');
  return { kind: 'hmac', secrets };
}

const AlertsEnvSchema = z.object({
  /**
   * Webhook receivers on loopback over plain http (issue #16). Set by `npm start` and the tests (infra/local), for
   * receivers on this machine; never on AWS, where infra/aws does not set it.
   */
  ALERTS_ALLOW_LOOPBACK: z.enum(['true', 'false']).default('false'),
  /** Seconds a webhook receiver has to answer before the attempt counts as failed. */
  ALERTS_WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().positive().max(30).default(10),
  /** The local SMTP server (infra/local/smtp.ts) `npm start` runs; unset on AWS, where SES sends. */
  ALERTS_SMTP_URL: z.url().optional(),
  /** The sender of alert e-mail; on AWS an identity verified in SES. */
  ALERTS_MAIL_FROM: z.string().min(3).default('alerts@kyoyu.invalid'),
  /** The SES configuration set alert e-mail is sent with (bounce and complaint events); AWS only. */
  ALERTS_SES_CONFIGURATION_SET: z.string().optional(),
});
export type AlertsConfig = z.infer<typeof AlertsEnvSchema>;

export function alertsConfig(env: NodeJS.ProcessEnv = process.env): AlertsConfig {
  const parsed = AlertsEnvSchema.safeParse(env);
  if (!parsed.success)
    throw new ConfigurationError(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
