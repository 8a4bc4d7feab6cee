import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { CommitResult, NewVersion, StoredVersion, TimelineEntry, TimelinePage } from '../../core/taxii/model';
import type { ObjectStore } from '../../core/ports';
import { msSortKey, objectKeys, versionSortKey } from './keys';
import { partitionItems } from './query-all';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's limit of actions per transaction; the clock takes one. */
const ACTIONS_PER_TRANSACTION = 100;
const MAX_ATTEMPTS = 25;

interface VersionRow {
  sortKey: string;
  dateAddedMs: number;
  /** The member that shared this version. */
  provider: string;
  /** Set while the row's timeline item is still being written in this transaction. */
  pending?: Record<string, unknown>;
}

function toItem(version: StoredVersion): Record<string, unknown> {
  const { object, ...meta } = version;
  // The object is kept as its JSON text: what the provider's version said is what readers get, byte for byte.
  return { ...meta, body: JSON.stringify(object) };
}

function fromItem(item: Record<string, unknown>): TimelineEntry {
  return {
    tenantId: item.tenantId as string,
    collectionId: item.collectionId as string,
    objectId: item.objectId as string,
    type: item.type as string,
    version: item.version as string,
    specVersion: item.specVersion as string,
    dateAdded: item.dateAdded as string,
    mediaType: item.mediaType as string,
    access: item.access as StoredVersion['access'],
    object: JSON.parse(item.body as string) as StoredVersion['object'],
    isLatest: item.isLatest === true,
    isFirst: item.isFirst === true,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class DynamoObjectStore implements ObjectStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async commit(tenantId: string, collectionId: string, versions: NewVersion[], nowMs: number): Promise<CommitResult[]> {
    const results: CommitResult[] = [];
    // A version costs two puts and at most one flag update (it can demote the latest or the first, never both,
    // since it cannot be newer than the latest and older than the first at once): 1 + 3 × 33 ≤ 100.
    const perTransaction = Math.floor((ACTIONS_PER_TRANSACTION - 1) / 3);
    for (let start = 0; start < versions.length; start += perTransaction) {
      results.push(...(await this.commitChunk(tenantId, collectionId, versions.slice(start, start + perTransaction), nowMs)));
    }
    return results;
  }

  /**
   * One transaction: the clock item moves from the value read to the last date_added allocated, together with
   * every version. Two committers on one collection therefore serialise on the clock (the loser retries with a
   * fresh read), date_added ranges never interleave, and readers that respect the clock's watermark never see
   * a later version before an earlier one (TAXII-CLIENTS #15, #18).
   */
  private async commitChunk(tenantId: string, collectionId: string, chunk: NewVersion[], nowMs: number): Promise<CommitResult[]> {
    const objectIds = [...new Set(chunk.map((v) => v.objectId))];
    const readRows = async () => {
      const existing = await Promise.all(objectIds.map((id) => this.versionRows(tenantId, collectionId, id)));
      return new Map(objectIds.map((id, i) => [id, existing[i]!]));
    };
    let storedRows = await readRows();
    for (let attempt = 1; ; attempt++) {
      const clock = await this.readClock(tenantId, collectionId);
      const rowsByObject = new Map([...storedRows].map(([id, rows]) => [id, [...rows]]));
      const lastMs = clock?.lastMs;
      let nextMs = Math.max(nowMs, (lastMs ?? 0) + 1);
      const results: CommitResult[] = [];
      const puts: TransactItem[] = [];
      const flagUpdates = new Map<number, Record<string, boolean>>();

      for (const version of chunk) {
        const rows = rowsByObject.get(version.objectId)!;
        const sortKey = versionSortKey(version.version);
        if (rows.some((r) => r.sortKey === sortKey)) {
          results.push({ kind: 'duplicate' });
          continue;
        }
        // Who shared the object first, as read before this transaction. Ids of SDOs are random: only someone who
        // already saw an object could race its provider to create it, so the rows read here decide.
        const firstShared = rows.reduce<VersionRow | undefined>((a, r) => (!a || r.dateAddedMs < a.dateAddedMs ? r : a), undefined);
        if (version.ownerOnly && firstShared && firstShared.provider !== version.access.providerMemberId) {
          results.push({ kind: 'foreign' });
          continue;
        }
        const dateAddedMs = nextMs++;
        const dateAdded = new Date(dateAddedMs).toISOString();
        const latest = rows.reduce<VersionRow | undefined>((a, r) => (!a || r.sortKey > a.sortKey ? r : a), undefined);
        const first = rows.reduce<VersionRow | undefined>((a, r) => (!a || r.sortKey < a.sortKey ? r : a), undefined);
        const isLatest = !latest || sortKey > latest.sortKey;
        const isFirst = !first || sortKey < first.sortKey;
        const demote = (row: VersionRow | undefined, flag: 'isLatest' | 'isFirst') => {
          if (!row) return;
          if (row.pending) row.pending[flag] = false;
          else flagUpdates.set(row.dateAddedMs, { ...flagUpdates.get(row.dateAddedMs), [flag]: false });
        };
        if (isLatest) demote(latest, 'isLatest');
        if (isFirst) demote(first, 'isFirst');
        const { ownerOnly: _ownerOnly, ...stored } = version;
        const record = toItem({ ...stored, dateAdded });
        const timelineItem: Record<string, unknown> = {
          ...objectKeys.timeline(tenantId, collectionId, dateAddedMs),
          ...record,
          isLatest,
          isFirst,
        };
        rows.push({ sortKey, dateAddedMs, provider: version.access.providerMemberId, pending: timelineItem });
        puts.push({ Put: { TableName: this.tableName, Item: timelineItem } });
        puts.push({
          Put: {
            TableName: this.tableName,
            Item: { ...objectKeys.version(tenantId, collectionId, version.objectId, version.version), ...record, dateAddedMs },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
        results.push({ kind: 'added', dateAdded });
      }
      if (puts.length === 0) return results;

      const endMs = nextMs - 1;
      const updates: TransactItem[] = [...flagUpdates].map(([ms, flags]) => ({
        Update: {
          TableName: this.tableName,
          Key: objectKeys.timeline(tenantId, collectionId, ms),
          UpdateExpression: `SET ${Object.keys(flags)
            .map((f) => `${f} = :${f}`)
            .join(', ')}`,
          ExpressionAttributeValues: Object.fromEntries(Object.entries(flags).map(([f, v]) => [`:${f}`, v])),
          ConditionExpression: 'attribute_exists(pk)',
        },
      }));
      const clockUpdate: TransactItem = {
        Update: {
          TableName: this.tableName,
          Key: objectKeys.clock(tenantId, collectionId),
          UpdateExpression: 'SET lastMs = :end, committedMs = :end',
          ConditionExpression: lastMs === undefined ? 'attribute_not_exists(pk)' : 'lastMs = :last',
          ExpressionAttributeValues: lastMs === undefined ? { ':end': endMs } : { ':end': endMs, ':last': lastMs },
        },
      };
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: [clockUpdate, ...puts, ...updates] }));
        return results;
      } catch (error) {
        // Another committer moved the clock (retry with a fresh clock), or stored or superseded one of these
        // versions first (read the versions again too).
        if (!(error instanceof TransactionCanceledException) || attempt >= MAX_ATTEMPTS) throw error;
        const reasons = error.CancellationReasons ?? [];
        if (reasons.slice(1).some((r) => r.Code && r.Code !== 'None')) storedRows = await readRows();
        await sleep(Math.random() * 10 * Math.min(attempt, 5));
      }
    }
  }

  private async readClock(tenantId: string, collectionId: string): Promise<{ lastMs: number; committedMs: number } | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: objectKeys.clock(tenantId, collectionId), ConsistentRead: true }),
    );
    return result.Item ? { lastMs: result.Item.lastMs as number, committedMs: result.Item.committedMs as number } : undefined;
  }

  private versionItems(tenantId: string, collectionId: string, objectId: string): Promise<Record<string, unknown>[]> {
    return partitionItems(this.client, this.tableName, objectKeys.versionsPk(tenantId, collectionId, objectId));
  }

  private async versionRows(tenantId: string, collectionId: string, objectId: string): Promise<VersionRow[]> {
    return (await this.versionItems(tenantId, collectionId, objectId)).map((item) => ({
      sortKey: item.sk as string,
      dateAddedMs: item.dateAddedMs as number,
      provider: (item.access as StoredVersion['access']).providerMemberId,
    }));
  }

  async scan(tenantId: string, collectionId: string, afterMs: number | undefined, maxEntries: number): Promise<TimelinePage> {
    const clock = await this.readClock(tenantId, collectionId);
    if (!clock || (afterMs !== undefined && afterMs >= clock.committedMs)) {
      return { entries: [], lastScannedMs: undefined, exhausted: true };
    }
    const entries: TimelineEntry[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :low AND :high',
          ExpressionAttributeValues: {
            ':pk': objectKeys.timelinePk(tenantId, collectionId),
            ':low': msSortKey((afterMs ?? -1) + 1),
            // The watermark: nothing beyond the last fully committed transaction.
            ':high': msSortKey(clock.committedMs),
          },
          ConsistentRead: true,
          Limit: maxEntries - entries.length,
          ExclusiveStartKey: startKey,
        }),
      );
      entries.push(...(page.Items ?? []).map(fromItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey && entries.length < maxEntries);
    const last = entries[entries.length - 1];
    const lastScannedMs = last ? Date.parse(last.dateAdded) : undefined;
    return { entries, lastScannedMs, exhausted: lastScannedMs === undefined || lastScannedMs >= clock.committedMs };
  }

  async versionsOf(tenantId: string, collectionId: string, objectId: string): Promise<TimelineEntry[]> {
    const items = await this.versionItems(tenantId, collectionId, objectId);
    // Items come in version order (sort key); the first and last are the object's first and latest versions.
    return items.map((item, i) => ({ ...fromItem(item), isFirst: i === 0, isLatest: i === items.length - 1 }));
  }

  async hasVersions(tenantId: string, collectionId: string, objectId: string): Promise<boolean> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': objectKeys.versionsPk(tenantId, collectionId, objectId) },
        ProjectionExpression: 'pk',
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    return Items.length > 0;
  }

  async deleteVersions(tenantId: string, collectionId: string, objectId: string, versions: string[]): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      const items = await this.versionItems(tenantId, collectionId, objectId);
      const doomed = new Set(versions.map(versionSortKey));
      const removed = items.filter((item) => doomed.has(item.sk as string));
      if (removed.length === 0) return 0;
      const kept = items.filter((item) => !doomed.has(item.sk as string));
      const actions: TransactItem[] = removed.flatMap((item) => [
        { Delete: { TableName: this.tableName, Key: { pk: item.pk, sk: item.sk }, ConditionExpression: 'attribute_exists(pk)' } },
        { Delete: { TableName: this.tableName, Key: objectKeys.timeline(tenantId, collectionId, item.dateAddedMs as number) } },
      ]);
      // The survivors' first/latest flags follow the versions that remain.
      kept.forEach((item, i) => {
        actions.push({
          Update: {
            TableName: this.tableName,
            Key: objectKeys.timeline(tenantId, collectionId, item.dateAddedMs as number),
            UpdateExpression: 'SET isFirst = :first, isLatest = :latest',
            ExpressionAttributeValues: { ':first': i === 0, ':latest': i === kept.length - 1 },
            ConditionExpression: 'attribute_exists(pk)',
          },
        });
      });
      try {
        for (let start = 0; start < actions.length; start += 100) {
          await this.client.send(new TransactWriteCommand({ TransactItems: actions.slice(start, start + 100) }));
        }
        return removed.length;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException) || attempt >= MAX_ATTEMPTS) throw error;
        await sleep(Math.random() * 20 * attempt);
      }
    }
  }
}
