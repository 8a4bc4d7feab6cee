import { createDocumentClient } from '../../shared/runtime/aws-clients';
import { localClients } from '../../infra/local/platform';
import { createLocalResources } from '../../infra/local/resources';
import { testEndpoints, uniquePrefix } from './emulators';

/** Fresh tables of the topology on the shared DynamoDB Local, for adapter contract tests. */
export async function freshTables(label: string) {
  // The document client takes credentials from the environment; DynamoDB Local accepts any.
  process.env.AWS_ACCESS_KEY_ID ??= 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'S3RVER';
  const endpoints = testEndpoints();
  const clients = localClients(endpoints);
  const resources = await createLocalResources(uniquePrefix(label), clients);
  clients.sqs.destroy();
  clients.s3.destroy();
  const documentClient = createDocumentClient({ AWS_REGION: 'us-east-1', DYNAMODB_ENDPOINT: endpoints.dynamodb, LOG_LEVEL: 'silent' });
  return { tables: resources.tables, documentClient, close: () => (documentClient.destroy(), clients.dynamodb.destroy()) };
}
