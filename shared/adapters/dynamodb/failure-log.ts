import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FailureLog } from '../../core/ports';
import { failureKeys } from './keys';

export class DynamoFailureLog implements FailureLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(stage: string, messageId: string, reason: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...failureKeys.item(stage, messageId), reason: reason.slice(0, 2000), at: new Date().toISOString() },
      }),
    );
  }

  async reasonOf(stage: string, messageId: string): Promise<string | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: failureKeys.item(stage, messageId) }));
    return result.Item?.reason as string | undefined;
  }
}
