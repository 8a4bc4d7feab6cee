import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KeptOriginalRecord } from '../../core/pipeline/anonymize';
import type { OriginalsEraser, OriginalsReader, OriginalsStore } from '../../core/ports';
import { batchPut } from './batch-put';
import type { AccessScope, StixObject } from '../../core/taxii/model';
import { originalsKeys, versionSortKey } from './keys';
import { partitionItems } from './query-all';
import type { SealBinding, Sealer } from './sealed';

/** The sealer with the current secrets; they are read at cold start and refreshed (shared/runtime/secrets.ts). */
export type SealerSource = () => Promise<Sealer>;

export interface StoredOriginal {
  objectId: string;
  version: string;
  providerMemberId: string;
  publishedId?: string;
  access?: AccessScope;
  original: StixObject;
}

export class DynamoSealedStore implements OriginalsStore, OriginalsReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly sealer: SealerSource,
  ) {}

  async keep(items: KeptOriginalRecord[]): Promise<void> {
    const sealer = await this.sealer();
    await batchPut(
      this.client,
      this.tableName,
      items.map((item) => {
        const key = { pk: originalsKeys.pk(item.tenantId, item.collectionId, item.objectId), sk: versionSortKey(item.version) };
        return {
          ...key,
          objectId: item.objectId,
          version: item.version,
          providerMemberId: item.providerMemberId,
          publishedId: item.publishedId,
          access: item.access,
          sealed: sealer.seal(JSON.stringify(item.original), { ...key, owner: item.providerMemberId }),
        };
      }),
    );
  }

  async originalsOf(tenantId: string, collectionId: string, objectId: string): Promise<StoredOriginal[]> {
    const items = await partitionItems(this.client, this.tableName, originalsKeys.pk(tenantId, collectionId, objectId));
    if (items.length === 0) return [];
    const sealer = await this.sealer();
    return items.map((item) => ({
      objectId: item.objectId as string,
      version: item.version as string,
      providerMemberId: item.providerMemberId as string,
      ...(item.publishedId ? { publishedId: item.publishedId as string } : {}),
      ...(item.access ? { access: item.access as AccessScope } : {}),
      original: JSON.parse(sealer.open(item.sealed as string, bindingOf(item))) as StixObject,
    }));
  }
}

/** A stored item's binding (shared/adapters/dynamodb/sealed.ts): its own key and the owner it names. */
const bindingOf = (item: Record<string, unknown>): SealBinding => ({
  pk: String(item.pk),
  sk: String(item.sk),
  owner: String(item.providerMemberId),
});

/**
 * Forgets the originals of deleted versions. Apart from the sealed store: deleting needs no sealing key, so the
 * DELETE route never holds one.
 */
export class DynamoOriginalsEraser implements OriginalsEraser {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async forget(tenantId: string, collectionId: string, objectId: string, versions: readonly string[]): Promise<void> {
    const pk = originalsKeys.pk(tenantId, collectionId, objectId);
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
