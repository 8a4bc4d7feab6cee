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
