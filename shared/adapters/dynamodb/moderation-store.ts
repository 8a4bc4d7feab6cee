import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGet } from './batch-get';
import { FINAL_STATES, ModerationItemSchema, type ModerationItem } from '../../core/moderation/queue';
import type { ModerationFilter, ModerationStore } from '../../core/ports';
import { queryAll } from './query-all';
import { moderationKeys } from './keys';

/** The object travels as JSON text: exactly what was proposed, whatever DynamoDB makes of numbers and empty values. */
const toRecord = (item: ModerationItem) => ({ ...item, object: JSON.stringify(item.object), history: JSON.stringify(item.history) });

function fromRecord(record: Record<string, unknown>): ModerationItem {
  const { pk: _pk, sk: _sk, object, history, ...rest } = record;
  return ModerationItemSchema.parse({ ...rest, object: JSON.parse(object as string), history: JSON.parse(history as string) });
}

function filterExpression(filter: ModerationFilter): {
  FilterExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
} {
  const clauses: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const equal = (attribute: string, value: string | undefined) => {
    if (value === undefined) return;
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
    clauses.push(`#${attribute} = :${attribute}`);
  };
  equal('collectionId', filter.collectionId);
  equal('providerMemberId', filter.providerMemberId);
  equal('state', filter.state);
  if (filter.reason !== undefined) {
    names['#reason'] = 'reason';
    values[':reason'] = filter.reason;
    clauses.push('contains(#reason, :reason)');
  }
  if (filter.queuedBefore !== undefined) {
    names['#queuedAt'] = 'queuedAt';
    values[':queuedBefore'] = filter.queuedBefore;
    clauses.push('#queuedAt < :queuedBefore');
  }
  return clauses.length === 0
    ? {}
    : { FilterExpression: clauses.join(' AND '), ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

export class DynamoModerationStore implements ModerationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async enqueue(items: ModerationItem[]): Promise<void> {
    // One transaction per item: the item and its provider pointer exist together; a redelivery finds them and stops.
    await Promise.all(
      items.map(async (item) => {
        try {
          await this.client.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: this.tableName,
                    Item: { ...moderationKeys.open(item.tenantId, item.itemId), ...toRecord(item) },
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
                { Put: { TableName: this.tableName, Item: moderationKeys.provider(item.tenantId, item.providerMemberId, item.itemId) } },
              ],
            }),
          );
        } catch (error) {
          if (!(error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'))
            throw error;
        }
      }),
    );
  }

  async list(
    tenantId: string,
    filter: ModerationFilter,
    page: { limit: number; after?: string },
  ): Promise<{ items: ModerationItem[]; next?: string }> {
    const items: ModerationItem[] = [];
    let startKey: Record<string, unknown> | undefined = page.after ? moderationKeys.open(tenantId, page.after) : undefined;
    const filterParts = filterExpression(filter);
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ...filterParts,
          ExpressionAttributeValues: { ':pk': moderationKeys.openPk(tenantId), ...filterParts.ExpressionAttributeValues },
          ExclusiveStartKey: startKey,
          Limit: Math.max(page.limit, 50),
        }),
      );
      for (const record of result.Items ?? []) {
        items.push(fromRecord(record));
        if (items.length === page.limit) return { items, next: items.at(-1)!.itemId };
      }
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return { items };
  }

  async ofProvider(tenantId: string, providerMemberId: string): Promise<ModerationItem[]> {
    const pointers = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': moderationKeys.providerPk(tenantId, providerMemberId) },
    });
    const found = (
      await batchGet(
        this.client,
        this.tableName,
        pointers.map((p) => moderationKeys.open(tenantId, p.sk as string)),
      )
    ).map(fromRecord);
    return found.sort((a, b) => (a.itemId < b.itemId ? -1 : 1));
  }

  async get(tenantId: string, itemId: string): Promise<ModerationItem | undefined> {
    for (const key of [moderationKeys.open(tenantId, itemId), moderationKeys.decided(tenantId, itemId)]) {
      const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      if (result.Item) return fromRecord(result.Item);
    }
    return undefined;
  }

  async update(item: ModerationItem, expectedRevision: number): Promise<'updated' | 'stale'> {
    const open = moderationKeys.open(item.tenantId, item.itemId);
    const condition = {
      ConditionExpression: '#revision = :expected',
      ExpressionAttributeNames: { '#revision': 'revision' },
      ExpressionAttributeValues: { ':expected': expectedRevision },
    };
    const TransactItems = FINAL_STATES.has(item.state)
      ? [
          { Delete: { TableName: this.tableName, Key: open, ...condition } },
          { Put: { TableName: this.tableName, Item: { ...moderationKeys.decided(item.tenantId, item.itemId), ...toRecord(item) } } },
          { Delete: { TableName: this.tableName, Key: moderationKeys.provider(item.tenantId, item.providerMemberId, item.itemId) } },
        ]
      : [{ Put: { TableName: this.tableName, Item: { ...open, ...toRecord(item) }, ...condition } }];
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems }));
      return 'updated';
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed')
        return 'stale';
      throw error;
    }
  }
}
