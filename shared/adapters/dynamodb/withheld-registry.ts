import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGet } from './batch-get';
import type { WithheldRegistry } from '../../core/ports';
import { batchPut } from './batch-put';
import { withheldKeys } from './keys';

/** One small item per withheld object id and tenant, beside the objects (anonymize only reads and writes them). */
export class DynamoWithheldRegistry implements WithheldRegistry {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async among(tenantId: string, ids: readonly string[]): Promise<Set<string>> {
    // An empty string cannot be a key (and is no identifier).
    const unique = [...new Set(ids)].filter((id) => id.length > 0);
    const items = await batchGet(
      this.client,
      this.tableName,
      unique.map((id) => withheldKeys.item(tenantId, id)),
      { consistent: false, projection: 'objectId' },
    );
    return new Set(items.map((item) => item.objectId as string));
  }

  async record(tenantId: string, ids: readonly string[]): Promise<void> {
    await batchPut(
      this.client,
      this.tableName,
      [...new Set(ids)].filter((id) => id.length > 0).map((id) => ({ ...withheldKeys.item(tenantId, id), objectId: id })),
    );
  }
}
