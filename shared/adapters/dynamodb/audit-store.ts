import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { AuditEntrySchema, type AuditEntry, type AuditQuery } from '../../core/audit/entry';
import type { AuditStore } from '../../core/ports';
import { auditKeys } from './keys';

const MAX_TIME = '9999-12-31T23:59:59.999Z';

/**
 * DynamoDB pages (each at most 1 MB of items) one listing reads: the answer stays well under Lambda's 6 MB response
 * limit, and a listing cut short by it says `more` (docs/admin-api.md "Audit log").
 */
const LISTING_PAGES = 4;

function entryOf(item: Record<string, unknown>): AuditEntry {
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...rest } = item;
  return AuditEntrySchema.parse(rest);
}

/**
 * Up to `limit` items of a query, following LastEvaluatedKey: DynamoDB ends a page at 1 MB of items whatever its
 * Limit, so one page may hold far fewer. `rest` is true when reading stopped after `maxPages` with items possibly left.
 */
async function collect(
  client: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>,
  limit: number,
  maxPages: number,
): Promise<{ items: Record<string, unknown>[]; rest: boolean }> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  for (let pages = 0; items.length < limit; pages++) {
    if (pages === maxPages) return { items, rest: true };
    const page = await client.send(new QueryCommand({ ...input, Limit: limit - items.length, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
    if (!startKey) break;
  }
  return { items, rest: false };
}

/**
 * The audit table. The base table holds each chain in sequence order (appends and verification read it strongly
 * consistently); gsi1 orders a chain by time and gsi2 a chain's entries of one member by time, for queries.
 */
export class DynamoAuditStore implements AuditStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async head(chain: string): Promise<AuditEntry | undefined> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': auditKeys.pk(chain) },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = page.Items?.[0];
    return item ? entryOf(item) : undefined;
  }

  async put(entry: AuditEntry): Promise<'created' | 'exists'> {
    const sortKey = auditKeys.timeSortKey(entry.at, entry.seq);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...auditKeys.entry(entry.chain, entry.seq),
            gsi1pk: auditKeys.pk(entry.chain),
            gsi1sk: sortKey,
            ...(entry.memberId ? { gsi2pk: auditKeys.byMember(entry.chain, entry.memberId), gsi2sk: sortKey } : {}),
            ...entry,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'exists';
      throw error;
    }
  }

  async query(chain: string, query: AuditQuery): Promise<{ entries: AuditEntry[]; more: boolean }> {
    const [index, pk] = query.memberId ? ['gsi2', auditKeys.byMember(chain, query.memberId)] : ['gsi1', auditKeys.pk(chain)];
    // DynamoDB refuses empty strings as key values; '0' sorts before every ISO instant.
    const from = query.after ? `${auditKeys.timeSortKey(query.after.at, query.after.seq)}~` : (query.since ?? '0');
    // '~' sorts after '#', so an `until` instant includes every entry written at it.
    const to = query.until ? `${query.until}~` : MAX_TIME;
    const { items, rest } = await collect(
      this.client,
      {
        TableName: this.tableName,
        IndexName: index,
        KeyConditionExpression: `${index}pk = :pk AND ${index}sk BETWEEN :from AND :to`,
        ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': to },
      },
      query.limit + 1,
      LISTING_PAGES,
    );
    const entries = items.map(entryOf);
    return { entries: entries.slice(0, query.limit), more: entries.length > query.limit || rest };
  }

  async scan(chain: string, afterSeq: number, limit: number): Promise<AuditEntry[]> {
    const { items } = await collect(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk > :after',
        ExpressionAttributeValues: { ':pk': auditKeys.pk(chain), ':after': auditKeys.entry(chain, afterSeq).sk },
        ConsistentRead: true,
      },
      limit,
      Number.POSITIVE_INFINITY,
    );
    return items.map(entryOf);
  }
}
