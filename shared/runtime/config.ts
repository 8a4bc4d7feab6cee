import { z } from 'zod';
import { ConfigurationError } from '../core/errors';
import { bucketEnv, deadLetterQueueEnv, queueEnv, SECRET_ENV_PREFIX, secretEnv, tableEnv } from './resource-env';

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

export function baseConfig(env: NodeJS.ProcessEnv = process.env): BaseConfig {
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
  EXPORT_INLINE_MAX_BYTES: z.coerce.number().int().positive().max(5_800_000).default(5 * 1024 * 1024),
  /** How long the presigned URL of a large export works. */
  EXPORT_URL_EXPIRES_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
});
export type ExportConfig = z.infer<typeof ExportEnvSchema>;

/** Read per request (it is two variables), so a test can lower the inline limit for one request. */
export function exportConfig(env: NodeJS.ProcessEnv = process.env): ExportConfig {
  const parsed = ExportEnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigurationError(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function required(variable: string, env: NodeJS.ProcessEnv): string {
  const value = env[variable];
  if (!value) throw new ConfigurationError(`Environment variable ${variable} is not set`);
  return value;
}

export const tableName = (table: string, env: NodeJS.ProcessEnv = process.env): string => required(tableEnv(table), env);
export const queueUrl = (queue: string, env: NodeJS.ProcessEnv = process.env): string => required(queueEnv(queue), env);
export const deadLetterQueueUrl = (stage: string, env: NodeJS.ProcessEnv = process.env): string => required(deadLetterQueueEnv(stage), env);
export const bucketName = (bucket: string, env: NodeJS.ProcessEnv = process.env): string => required(bucketEnv(bucket), env);

/** The ARN (AWS) or name (locally) of a secret the function declares in infra/topology.ts; its value is read at cold start. */
export const secretId = (secret: string, env: NodeJS.ProcessEnv = process.env): string => required(secretEnv(secret), env);

/** Every secret the function was given, to start reading them at cold start. */
export const declaredSecretIds = (env: NodeJS.ProcessEnv = process.env): string[] =>
  Object.entries(env).flatMap(([variable, value]) => (variable.startsWith(SECRET_ENV_PREFIX) && value ? [value] : []));

/**
 * Which audit MAC the function has: the KMS key when its id is set (AWS), else the local secret. Not an `if (local)`:
 * the deployment sets one variable or the other, as it sets endpoints, and a function given neither may not seal.
 */
export function auditMacConfig(config: BaseConfig): { kind: 'kms'; keyId: string } | { kind: 'hmac'; secrets: string[] } {
  if (config.AUDIT_MAC_KEY_ID) return { kind: 'kms', keyId: config.AUDIT_MAC_KEY_ID };
  const secrets = (config.AUDIT_MAC_SECRETS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (secrets.length === 0) throw new ConfigurationError('Neither AUDIT_MAC_KEY_ID nor AUDIT_MAC_SECRETS is set: this function may not seal or verify the audit log');
  if (secrets.some((s) => s.length < 32)) throw new ConfigurationError('Each of AUDIT_MAC_SECRETS must be at least 32 characters');
  return { kind: 'hmac', secrets };
}
