import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { KMSClient } from '@aws-sdk/client-kms';
import type { BaseConfig } from './config';
import { traced } from './observability';

/**
 * SDK clients for the configured endpoints (emulators locally, AWS defaults when unset), each call a subsegment of the
 * invocation's trace where tracing is on (observability.ts; elsewhere the client is returned as it is).
 */
export function createDocumentClient(config: BaseConfig): DynamoDBDocumentClient {
  const client = traced(new DynamoDBClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT }));
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export function createSqsClient(config: BaseConfig): SQSClient {
  return traced(new SQSClient({ region: config.AWS_REGION, endpoint: config.SQS_ENDPOINT }));
}

export function createS3Client(config: BaseConfig): S3Client {
  return traced(
    new S3Client({
      region: config.AWS_REGION,
      endpoint: config.S3_ENDPOINT,
      forcePathStyle: config.S3_ENDPOINT !== undefined,
      // Checksums only where S3 requires them: S3-compatible stores (s3rver locally) do not all speak the newer ones.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  );
}

export function createSecretsManagerClient(config: BaseConfig): SecretsManagerClient {
  return traced(new SecretsManagerClient({ region: config.AWS_REGION, endpoint: config.SECRETS_MANAGER_ENDPOINT }));
}

/** Only on AWS: locally the audit MAC is a generated secret (config.ts auditMacConfig). */
export function createKmsClient(config: BaseConfig): KMSClient {
  return traced(new KMSClient({ region: config.AWS_REGION }));
}
