import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGet } from './batch-get';
import { TakedownRequestSchema, type TakedownRequest } from '../../core/moderation/takedown';
import type { TakedownStore } from '../../core/ports';
import { queryAll } from './query-all';
import { takedownKeys } from './keys';

const strip = ({ pk: _pk, sk: _sk, ...rest }: Record<string, unknown>) => TakedownRequestSchema.parse(rest);

/** The request item, plus a key-only marker while it is open and a pointer for its requester. */
export class DynamoTakedownStore implements TakedownStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(request: TakedownRequest): Promise<void> {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: { ...takedownKeys.item(request.tenantId, request.requestId), ...request },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Put: { TableName: this.tableName, Item: takedownKeys.open(request.tenantId, request.requestId) } },
          {
            Put: {
              TableName: this.tableName,
              Item: takedownKeys.requester(request.tenantId, request.requester.memberId, request.requestId),
            },
          },
        ],
      }),
    );
  }

  async get(tenantId: string, requestId: string): Promise<TakedownRequest | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: takedownKeys.item(tenantId, requestId), ConsistentRead: true }),
    );
    return result.Item ? strip(result.Item) : undefined;
  }

  private async byIds(tenantId: string, requestIds: string[]): Promise<TakedownRequest[]> {
    const found = (
      await batchGet(
        this.client,
        this.tableName,
        requestIds.map((id) => takedownKeys.item(tenantId, id)),
      )
    ).map(strip);
    return found.sort((a, b) => (a.requestId < b.requestId ? -1 : 1));
  }

  private async idsIn(pk: string): Promise<string[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    });
    return items.map((i) => i.sk as string);
  }

  async open(tenantId: string): Promise<TakedownRequest[]> {
    return this.byIds(tenantId, await this.idsIn(takedownKeys.openPk(tenantId)));
  }

  async ofRequester(tenantId: string, memberId: string): Promise<TakedownRequest[]> {
    return this.byIds(tenantId, await this.idsIn(takedownKeys.requesterPk(tenantId, memberId)));
  }

  async update(request: TakedownRequest, expectedRevision: number): Promise<'updated' | 'stale'> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...takedownKeys.item(request.tenantId, request.requestId), ...request },
                ConditionExpression: '#revision = :expected',
                ExpressionAttributeNames: { '#revision': 'revision' },
                ExpressionAttributeValues: { ':expected': expectedRevision },
              },
            },
            ...(request.state === 'open'
              ? []
              : [{ Delete: { TableName: this.tableName, Key: takedownKeys.open(request.tenantId, request.requestId) } }]),
          ],
        }),
      );
      return 'updated';
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed')
        return 'stale';
      throw error;
    }
  }
}
