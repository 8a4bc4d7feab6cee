import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigurationError } from '../../core/errors';
import type { SecretSource } from '../../core/ports';

/** SDK errors that no retry can fix: the deployment names a secret that is missing, or one the function may not read. */
const DEPLOYMENT_MISTAKES = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'AccessDeniedError',
  'DecryptionFailure',
  'InvalidRequestException',
]);

/** Secrets Manager's current value (AWSCURRENT) of a string secret. */
export class SecretsManagerSecretSource implements SecretSource {
  constructor(private readonly client: SecretsManagerClient) {}

  async read(secretId: string): Promise<string> {
    let value: string | undefined;
    try {
      value = (await this.client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      // Throttling and network failures stay as they are: transient, a later request or SQS receive retries.
      if (!DEPLOYMENT_MISTAKES.has(name)) throw error;
      throw new ConfigurationError(
        `Secret ${secretId} cannot be read (${name}): check that it exists and that the function is granted it in infra/topology.ts`,
        { cause: error },
      );
    }
    if (value === undefined) throw new ConfigurationError(`Secret ${secretId} has no string value`);
    return value;
  }
}
