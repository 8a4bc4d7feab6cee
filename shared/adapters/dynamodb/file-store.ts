import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoredFile } from '../../core/files/model';
import type { FileStore } from '../../core/ports';
import { fileKeys } from './keys';

/** The files table: one item per file (pending slots expire by TTL), one usage counter per tenant. */
export class DynamoFileStore implements FileStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string, fileId: string): Promise<StoredFile | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: fileKeys.file(tenantId, fileId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...file } = Item;
    return file as StoredFile;
  }

  async put(file: StoredFile): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...fileKeys.file(file.tenantId, file.id), ...file } }));
  }

  async usage(tenantId: string): Promise<number> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: fileKeys.usage(tenantId), ConsistentRead: true }),
    );
    return (Item?.bytes as number | undefined) ?? 0;
  }

  async markVerified(file: StoredFile, quotaBytes: number): Promise<'verified' | 'over-quota' | 'not-pending'> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: fileKeys.usage(file.tenantId),
                UpdateExpression: 'ADD #bytes :bytes',
                ConditionExpression: 'attribute_not_exists(#bytes) OR #bytes <= :room',
                ExpressionAttributeNames: { '#bytes': 'bytes' },
                ExpressionAttributeValues: { ':bytes': file.size, ':room': quotaBytes - file.size },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...fileKeys.file(file.tenantId, file.id), ...file },
                ConditionExpression: '#state = :pending',
                ExpressionAttributeNames: { '#state': 'state' },
                ExpressionAttributeValues: { ':pending': 'pending' },
              },
            },
          ],
        }),
      );
      return 'verified';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [usage, stored] = error.CancellationReasons ?? [];
      // A file that is no longer pending was handled by another request, whatever the quota says now.
      if (stored?.Code === 'ConditionalCheckFailed') return 'not-pending';
      if (usage?.Code === 'ConditionalCheckFailed') return 'over-quota';
      throw error;
    }
  }

  async releaseUsage(tenantId: string, bytes: number): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: fileKeys.usage(tenantId),
        UpdateExpression: 'ADD #bytes :bytes',
        ExpressionAttributeNames: { '#bytes': 'bytes' },
        ExpressionAttributeValues: { ':bytes': -bytes },
      }),
    );
  }
}
