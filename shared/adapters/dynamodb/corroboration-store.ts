import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Corroboration, Report, SamenessKey } from '../../core/pipeline/dedupe';
import type { CorroborationRelease, CorroborationStore } from '../../core/ports';
import { corroborationKeys } from './keys';

/**
 * One item per "same thing" in a collection; reporters kept as a string set, so a repeated report counts once.
 * Most reports are of something new: those are created together in one transaction of conditional puts. Reports
 * of known things, and any race with another writer, take the one-by-one atomic path.
 */
/** Updates in flight at once when reports go one by one. */
const REPORTS_IN_FLIGHT = 16;

export class DynamoCorroborationStore implements CorroborationStore, CorroborationRelease {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async report(tenantId: string, collectionId: string, reports: Report[]): Promise<Corroboration[]> {
    const answers: Corroboration[] = new Array(reports.length);
    const keys = [...new Set(reports.map((r) => r.key))];
    const existing = new Set<string>();
    for (let start = 0; start < keys.length; start += 100) {
      const result = await this.client.send(
        new BatchGetCommand({
          RequestItems: {
            [this.tableName]: {
              Keys: keys.slice(start, start + 100).map((k) => corroborationKeys.item(tenantId, collectionId, k)),
              ProjectionExpression: 'sk',
            },
          },
        }),
      );
      for (const item of result.Responses?.[this.tableName] ?? []) existing.add(item.sk as string);
      // Unprocessed keys are treated as existing: the one-by-one path is correct for any key.
      for (const key of result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) existing.add(key.sk as string);
    }
    const firstOfNewKey = new Map<string, number>();
    reports.forEach((r, i) => {
      if (!existing.has(r.key) && !firstOfNewKey.has(r.key)) firstOfNewKey.set(r.key, i);
    });
    const created =
      firstOfNewKey.size > 0 &&
      (await this.createAll(
        tenantId,
        collectionId,
        [...firstOfNewKey.values()].map((i) => reports[i]!),
      ));
    // Reports of one key are answered in order; different keys side by side (a redelivered POST of thousands of
    // reports takes this path for all of them), a bounded number at a time.
    const byKey = new Map<string, number[]>();
    for (const [i, r] of reports.entries()) {
      if (created && firstOfNewKey.get(r.key) === i) {
        answers[i] = { objectId: r.objectId, reporters: 1, firstSeen: r.seenAt, lastSeen: r.seenAt, newReporter: true };
      } else {
        if (!byKey.has(r.key)) byKey.set(r.key, []);
        byKey.get(r.key)!.push(i);
      }
    }
    const queue = [...byKey.values()];
    const worker = async () => {
      for (let indices = queue.pop(); indices; indices = queue.pop()) {
        for (const i of indices) answers[i] = await this.reportOne(tenantId, collectionId, reports[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(REPORTS_IN_FLIGHT, queue.length) }, worker));
    return answers;
  }

  async release(tenantId: string, collectionId: string, claims: ReadonlyArray<{ key: SamenessKey; objectId: string }>): Promise<void> {
    const queue = [...claims];
    const worker = async () => {
      for (let claim = queue.pop(); claim; claim = queue.pop()) {
        // Conditional: a report that took the key over meanwhile (another object now holds it) keeps it.
        await this.client
          .send(
            new DeleteCommand({
              TableName: this.tableName,
              Key: corroborationKeys.item(tenantId, collectionId, claim.key),
              ConditionExpression: 'objectId = :id',
              ExpressionAttributeValues: { ':id': claim.objectId },
            }),
          )
          .catch((error: unknown) => {
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
          });
      }
    };
    await Promise.all(Array.from({ length: Math.min(REPORTS_IN_FLIGHT, queue.length) }, worker));
  }

  /** Also what `release` left: the record of a key, for tests and inspection. */
  async recordOf(tenantId: string, collectionId: string, key: SamenessKey): Promise<{ objectId: string; reporters: number } | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: corroborationKeys.item(tenantId, collectionId, key), ConsistentRead: true }),
    );
    return Item ? { objectId: Item.objectId as string, reporters: (Item.providers as Set<string> | undefined)?.size ?? 0 } : undefined;
  }

  /** Creates first reports in transactions of up to 100; false when another writer got to one of them first. */
  private async createAll(tenantId: string, collectionId: string, reports: Report[]): Promise<boolean> {
    for (let start = 0; start < reports.length; start += 100) {
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: reports.slice(start, start + 100).map((r) => ({
              Put: {
                TableName: this.tableName,
                Item: {
                  ...corroborationKeys.item(tenantId, collectionId, r.key),
                  objectId: r.objectId,
                  providers: new Set([r.providerMemberId]),
                  firstSeen: r.seenAt,
                  lastSeen: r.seenAt,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
          }),
        );
      } catch (error) {
        if (error instanceof TransactionCanceledException && start === 0) return false;
        throw error;
      }
    }
    return true;
  }

  private async reportOne(tenantId: string, collectionId: string, report: Report): Promise<Corroboration> {
    const Key = corroborationKeys.item(tenantId, collectionId, report.key);
    const { Attributes: old = {} } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key,
        UpdateExpression:
          'ADD providers :provider SET objectId = if_not_exists(objectId, :id), firstSeen = if_not_exists(firstSeen, :seen), lastSeen = if_not_exists(lastSeen, :seen)',
        ExpressionAttributeValues: { ':provider': new Set([report.providerMemberId]), ':id': report.objectId, ':seen': report.seenAt },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const providers = (old.providers as Set<string> | undefined) ?? new Set<string>();
    const newReporter = !providers.has(report.providerMemberId);
    const previousLast = old.lastSeen as string | undefined;
    const lastSeen = previousLast && previousLast > report.seenAt ? previousLast : report.seenAt;
    if (previousLast !== undefined && lastSeen !== previousLast) {
      await this.client
        .send(
          new UpdateCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: 'SET lastSeen = :last',
            ConditionExpression: 'lastSeen < :last',
            ExpressionAttributeValues: { ':last': lastSeen },
          }),
        )
        .catch((error: unknown) => {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        });
    }
    return {
      objectId: (old.objectId as string | undefined) ?? report.objectId,
      reporters: providers.size + (newReporter ? 1 : 0),
      firstSeen: (old.firstSeen as string | undefined) ?? report.seenAt,
      lastSeen,
      newReporter,
    };
  }
}
