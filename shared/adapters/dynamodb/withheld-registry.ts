import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { WithheldRegistry } from '../../core/pipeline/anonymize';
import { batchPut } from './batch-put';
import { withheldKeys } from './keys';

/** DynamoDB's limit of keys per BatchGetItem. */
const KEYS_PER_GET = 100;

/** One small item per withheld object id and tenant, beside the objects (anonymize only reads and writes them). */
export class DynamoWithheldRegistry implements WithheldRegistry {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async among(tenantId: string, ids: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    // An empty string cannot be a key (and is no identifier).
    const unique = [...new Set(ids)].filter((id) => id.length > 0);
    await Promise.all(
      Array.from({ length: Math.ceil(unique.length / KEYS_PER_GET) }, async (_, n) => {
        let keys: Array<Record<string, unknown>> = unique.slice(n * KEYS_PER_GET, (n + 1) * KEYS_PER_GET).map((id) => withheldKeys.item(tenantId, id));
        for (let attempt = 0; keys.length > 0; attempt++) {
          const result = await this.client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ProjectionExpression: 'objectId' } } }));
          for (const item of result.Responses?.[this.tableName] ?? []) found.add(item.objectId as string);
          keys = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as typeof keys;
          if (keys.length > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 2 ** attempt * 10)));
        }
      }),
    );
    return found;
  }

  async record(tenantId: string, ids: readonly string[]): Promise<void> {
    await batchPut(this.client, this.tableName, [...new Set(ids)].filter((id) => id.length > 0).map((id) => ({ ...withheldKeys.item(tenantId, id), objectId: id })));
  }
}
