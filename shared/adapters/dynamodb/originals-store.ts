import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KeptOriginalRecord, OriginalsStore } from '../../core/pipeline/anonymize';
import { batchPut } from './batch-put';
import type { AccessScope, StixObject } from '../../core/taxii/model';
import { versionSortKey } from './keys';
import { partitionItems } from './query-all';
import type { Sealer } from './sealed';

/** Originals as submitted, sealed, in the objects table beside what was published. */
export const sealedKeys = {
  originalsPk: (tenantId: string, collectionId: string, objectId: string) => `ORIG#${tenantId}#${collectionId}#${objectId}`,
};

export interface StoredOriginal {
  objectId: string;
  version: string;
  providerMemberId: string;
  publishedId?: string;
  access?: AccessScope;
  original: StixObject;
}

export class DynamoSealedStore implements OriginalsStore {
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
}
