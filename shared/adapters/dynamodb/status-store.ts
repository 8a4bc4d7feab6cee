import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchPut } from './batch-put';
import type { StatusStore } from '../../core/ports';
import type { Settlement, StatusEntry, StatusHeader } from '../../core/taxii/status';
import { statusKeys } from './keys';
import { partitionItems } from './query-all';

/** Statuses expire after 7 days (TTL); clients poll them for seconds to minutes. */
const RETENTION_SECONDS = 7 * 24 * 3600;
/** Entries per item: a POST of thousands of objects stays far below DynamoDB's 400 KB per item. */
const ENTRIES_PER_CHUNK = 100;

export class DynamoStatusStore implements StatusStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(header: StatusHeader, entries: StatusEntry[]): Promise<void> {
    const chunks = Array.from({ length: Math.ceil(entries.length / ENTRIES_PER_CHUNK) }, (_, i) =>
      entries.slice(i * ENTRIES_PER_CHUNK, (i + 1) * ENTRIES_PER_CHUNK),
    );
    const expiresAt = Math.floor(Date.parse(header.requestTimestamp) / 1000) + RETENTION_SECONDS;
    const items = [
      { ...statusKeys.header(header.tenantId, header.id), ...header, expiresAt },
      ...chunks.map((entries, chunk) => ({ ...statusKeys.chunk(header.tenantId, header.id, chunk), entries, revision: 0, expiresAt })),
    ];
    await batchPut(this.client, this.tableName, items);
  }

  async settle(tenantId: string, statusId: string, settlements: Settlement[]): Promise<void> {
    const byChunk = new Map<number, Settlement[]>();
    for (const s of settlements) {
      const chunk = Math.floor(s.index / ENTRIES_PER_CHUNK);
      if (!byChunk.has(chunk)) byChunk.set(chunk, []);
      byChunk.get(chunk)!.push({ ...s, index: s.index % ENTRIES_PER_CHUNK });
    }
    await Promise.all([...byChunk].map(([chunk, inChunk]) => this.settleChunk(tenantId, statusId, chunk, inChunk)));
  }

  private async settleChunk(tenantId: string, statusId: string, chunk: number, settlements: Settlement[]): Promise<void> {
    const key = statusKeys.chunk(tenantId, statusId, chunk);
    for (;;) {
      const current = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      if (!current.Item) return; // expired or never created: nothing left to report to
      const entries = current.Item.entries as StatusEntry[];
      let changed = false;
      for (const s of settlements) {
        const entry = entries[s.index];
        if (entry?.state !== 'pending') continue;
        entries[s.index] = { ...entry, state: s.state, ...(s.message ? { message: s.message } : {}) };
        changed = true;
      }
      if (!changed) return;
      try {
        // Optimistic: another stage may settle other entries of the chunk at the same moment.
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...current.Item, entries, revision: (current.Item.revision as number) + 1 },
            ConditionExpression: 'revision = :revision',
            ExpressionAttributeValues: { ':revision': current.Item.revision },
          }),
        );
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  }

  async get(tenantId: string, statusId: string): Promise<{ header: StatusHeader; entries: StatusEntry[] } | undefined> {
    const items = await partitionItems(this.client, this.tableName, statusKeys.pk(tenantId, statusId));
    const headerItem = items.find((i) => i.sk === 'HEADER');
    if (!headerItem) return undefined;
    const header: StatusHeader = {
      id: headerItem.id as string,
      tenantId: headerItem.tenantId as string,
      collectionId: headerItem.collectionId as string,
      memberId: headerItem.memberId as string,
      requestTimestamp: headerItem.requestTimestamp as string,
      totalCount: headerItem.totalCount as number,
    };
    const entries = items
      .filter((i) => (i.sk as string).startsWith('CHUNK#'))
      .sort((a, b) => ((a.sk as string) < (b.sk as string) ? -1 : 1))
      .flatMap((i) => i.entries as StatusEntry[]);
    return { header, entries };
  }
}
