import { BatchWriteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HeldStore } from '../../core/pipeline/filter';
import type { KeptOriginalRecord, OriginalsStore } from '../../core/pipeline/anonymize';
import { batchPut } from './batch-put';
import type { AccessScope, StixObject } from '../../core/taxii/model';
import { versionSortKey } from './keys';
import { partitionItems } from './query-all';
import type { Sealer } from './sealed';

/** Originals as submitted and items held for moderation, sealed, in the objects table beside what was published. */
export const sealedKeys = {
  originalsPk: (tenantId: string, collectionId: string, objectId: string) => `ORIG#${tenantId}#${collectionId}#${objectId}`,
  heldPk: (tenantId: string, collectionId: string) => `HELD#${tenantId}#${collectionId}`,
};

export interface StoredOriginal {
  objectId: string;
  version: string;
  providerMemberId: string;
  publishedId?: string;
  access?: AccessScope;
  original: StixObject;
}

export class DynamoSealedStore implements OriginalsStore, HeldStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly sealer: Sealer,
  ) {}

  async keep(items: KeptOriginalRecord[]): Promise<void> {
    await batchPut(
      this.client,
      this.tableName,
      items.map((item) => ({
        pk: sealedKeys.originalsPk(item.tenantId, item.collectionId, item.objectId),
        sk: versionSortKey(item.version),
        objectId: item.objectId,
        version: item.version,
        providerMemberId: item.providerMemberId,
        publishedId: item.publishedId,
        access: item.access,
        sealed: this.sealer.seal(JSON.stringify(item.original)),
      })),
    );
  }

  async originalsOf(tenantId: string, collectionId: string, objectId: string): Promise<StoredOriginal[]> {
    const items = await partitionItems(this.client, this.tableName, sealedKeys.originalsPk(tenantId, collectionId, objectId));
    return items.map((item) => ({
      objectId: item.objectId as string,
      version: item.version as string,
      providerMemberId: item.providerMemberId as string,
      ...(item.publishedId ? { publishedId: item.publishedId as string } : {}),
      ...(item.access ? { access: item.access as AccessScope } : {}),
      original: JSON.parse(this.sealer.open(item.sealed as string)) as StixObject,
    }));
  }

  async hold(item: { tenantId: string; collectionId: string; statusId: string; reason: string; object: StixObject; access: AccessScope }): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: sealedKeys.heldPk(item.tenantId, item.collectionId),
          sk: `${item.statusId}#${item.object.id}`,
          reason: item.reason,
          providerMemberId: item.access.providerMemberId,
          heldAt: new Date().toISOString(),
          sealed: this.sealer.seal(JSON.stringify({ object: item.object, access: item.access })),
        },
      }),
    );
  }

  async heldIn(tenantId: string, collectionId: string): Promise<Array<{ reason: string; object: StixObject; access: AccessScope }>> {
    const items = await partitionItems(this.client, this.tableName, sealedKeys.heldPk(tenantId, collectionId));
    return items.map((item) => ({ reason: item.reason as string, ...(JSON.parse(this.sealer.open(item.sealed as string)) as { object: StixObject; access: AccessScope }) }));
  }
}

/**
 * Forgets the originals of deleted versions. Apart from the sealed store: deleting needs no sealing key, so the
 * DELETE route never holds one.
 */
export class DynamoOriginalsEraser {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async forget(tenantId: string, collectionId: string, objectId: string, versions: readonly string[]): Promise<void> {
    const pk = sealedKeys.originalsPk(tenantId, collectionId, objectId);
    const keys = [...new Set(versions)].map((version) => ({ pk, sk: versionSortKey(version) }));
    for (let start = 0; start < keys.length; start += 25) {
      let requests = keys.slice(start, start + 25).map((Key) => ({ DeleteRequest: { Key } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        const result = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
        if (requests.length > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 2 ** attempt * 10)));
      }
    }
  }
}
