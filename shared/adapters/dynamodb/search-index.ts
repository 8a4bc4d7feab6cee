import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { SearchIndex } from '../../core/ports';
import { mapBounded } from '../../core/bounded';
import { postingKey, type Lookup, type Posting } from '../../core/search/postings';
import { batchDelete, batchPut } from './batch-put';
import { searchKeys } from './keys';

/** Postings read per lookup at most: a value found in more objects than this is answered with the first ones. */
export const MAX_POSTINGS_PER_LOOKUP = 1000;
/** Queries in flight at once for one lookup call (a bulk search asks for thousands of partitions). */
const QUERIES_IN_FLIGHT = 32;
/** Up to this many partitions, a lookup queries them without reading their markers. */
const DIRECT_QUERIES = 8;

/** Once each: a batch naming one key twice is refused whole by DynamoDB. */
function unique(postings: readonly Posting[]): Posting[] {
  return [...new Map(postings.map((p) => [postingKey(p), p])).values()];
}

/**
 * The search index in the objects table (keys.ts searchKeys): one item per posting, no index needed, and one marker
 * item per partition that ever held a posting. A bulk search is mostly misses: the markers answer "nothing here"
 * for 100 partitions per BatchGetItem, and only partitions that exist are queried. A lookup of a few partitions (one
 * value) queries them straight away.
 */
export class DynamoSearchIndex implements SearchIndex {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(tenantId: string, postings: readonly Posting[], prefixLengths: readonly string[]): Promise<void> {
    await Promise.all([
      batchPut(this.client, this.tableName, [
        ...unique(postings).map((p) => ({
          ...searchKeys.posting(tenantId, p.partition, p.sort),
          collectionId: p.collectionId,
          objectId: p.objectId,
        })),
        ...[...new Set(postings.map((p) => p.partition))].map((partition) => searchKeys.marker(tenantId, partition)),
      ]),
      prefixLengths.length === 0
        ? undefined
        : this.client.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: searchKeys.prefixLengths(tenantId),
              UpdateExpression: 'ADD lengths :lengths',
              ExpressionAttributeValues: { ':lengths': new Set(prefixLengths) },
            }),
          ),
    ]);
  }

  async remove(tenantId: string, postings: readonly Posting[]): Promise<void> {
    await batchDelete(
      this.client,
      this.tableName,
      unique(postings).map((p) => searchKeys.posting(tenantId, p.partition, p.sort)),
    );
  }

  async lookup(tenantId: string, lookups: readonly Lookup[]): Promise<Posting[][]> {
    const partitions = [...new Set(lookups.map((l) => l.partition))];
    // A few partitions are queried at once: asking the markers first would only add a round trip.
    const present = partitions.length <= DIRECT_QUERIES ? new Set(partitions) : await this.presentPartitions(tenantId, partitions);
    return mapBounded(lookups, QUERIES_IN_FLIGHT, async (lookup) => (present.has(lookup.partition) ? this.query(tenantId, lookup) : []));
  }

  /** Which of these partitions hold (or held) postings: their markers, 100 per BatchGetItem. */
  private async presentPartitions(tenantId: string, partitions: string[]): Promise<Set<string>> {
    const present = new Set<string>();
    const batches: string[][] = [];
    for (let start = 0; start < partitions.length; start += 100) batches.push(partitions.slice(start, start + 100));
    await Promise.all(
      batches.map(async (batch) => {
        let keys: Record<string, unknown>[] = batch.map((partition) => searchKeys.marker(tenantId, partition));
        for (let attempt = 0; keys.length > 0; attempt++) {
          const answer = await this.client.send(
            new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ProjectionExpression: 'pk' } } }),
          );
          for (const item of answer.Responses?.[this.tableName] ?? []) present.add(searchKeys.partitionOf(tenantId, item.pk as string));
          keys = (answer.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
          if (keys.length > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 2 ** attempt * 10)));
        }
      }),
    );
    return present;
  }

  private async query(tenantId: string, lookup: Lookup): Promise<Posting[]> {
    const pk = searchKeys.pk(tenantId, lookup.partition);
    const input: Omit<QueryCommandInput, 'ExclusiveStartKey'> =
      'from' in lookup
        ? {
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': pk, ':from': lookup.from, ':to': lookup.to },
          }
        : lookup.prefix
          ? {
              TableName: this.tableName,
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
              ExpressionAttributeValues: { ':pk': pk, ':prefix': lookup.prefix },
            }
          : {
              TableName: this.tableName,
              KeyConditionExpression: 'pk = :pk AND sk > :marker',
              ExpressionAttributeValues: { ':pk': pk, ':marker': searchKeys.markerSortKey },
            };
    const postings: Posting[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({ ...input, Limit: MAX_POSTINGS_PER_LOOKUP - postings.length, ExclusiveStartKey: startKey }),
      );
      for (const item of page.Items ?? []) {
        postings.push({
          partition: lookup.partition,
          sort: item.sk as string,
          collectionId: item.collectionId as string,
          objectId: item.objectId as string,
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && postings.length < MAX_POSTINGS_PER_LOOKUP);
    return postings;
  }

  async prefixLengths(tenantId: string): Promise<Set<string>> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: searchKeys.prefixLengths(tenantId) }));
    const lengths = Item?.lengths;
    return lengths instanceof Set ? new Set([...lengths].map(String)) : new Set();
  }
}
