import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGet } from './batch-get';
import { SupportRequestSchema, type SupportRequest } from '../../core/moderation/support';
import type { SupportStore } from '../../core/ports';
import { queryAll } from './query-all';
import { supportKeys } from './keys';

const strip = ({ pk: _pk, sk: _sk, ...rest }: Record<string, unknown>) => SupportRequestSchema.parse(rest);

export class DynamoSupportStore implements SupportStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(request: SupportRequest): Promise<void> {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: { ...supportKeys.item(request.tenantId, request.requestId), ...request },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Put: { TableName: this.tableName, Item: supportKeys.member(request.tenantId, request.memberId, request.requestId) } },
        ],
      }),
    );
  }

  async get(tenantId: string, requestId: string): Promise<SupportRequest | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: supportKeys.item(tenantId, requestId), ConsistentRead: true }),
    );
    return result.Item ? strip(result.Item) : undefined;
  }

  async list(tenantId: string): Promise<SupportRequest[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': supportKeys.pk(tenantId) },
    });
    return items.map(strip);
  }

  async ofMember(tenantId: string, memberId: string): Promise<SupportRequest[]> {
    const pointers = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': supportKeys.memberPk(tenantId, memberId) },
      ConsistentRead: true,
    });
    const found = (
      await batchGet(
        this.client,
        this.tableName,
        pointers.map((p) => supportKeys.item(tenantId, p.sk as string)),
      )
    ).map(strip);
    return found.sort((a, b) => (a.requestId < b.requestId ? -1 : 1));
  }

  async update(request: SupportRequest, expectedRevision: number): Promise<'updated' | 'stale'> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...supportKeys.item(request.tenantId, request.requestId), ...request },
          ConditionExpression: '#revision = :expected',
          ExpressionAttributeNames: { '#revision': 'revision' },
          ExpressionAttributeValues: { ':expected': expectedRevision },
        }),
      );
      return 'updated';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'stale';
      throw error;
    }
  }
}
