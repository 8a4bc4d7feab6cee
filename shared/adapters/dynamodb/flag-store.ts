import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FlagDecisionStore } from '../../core/ports';
import { FlagDecisionSchema, type FlagDecision } from '../../core/model/flag-decision';
import { flagKeys } from './keys';
import { queryAll } from './query-all';

/** One item per flagged object a moderator decided on; a new decision replaces the previous one. */
export class DynamoFlagDecisionStore implements FlagDecisionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async ofCollection(tenantId: string, collectionId: string): Promise<FlagDecision[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': flagKeys.pk(tenantId, collectionId) },
      ConsistentRead: true,
    });
    return items.map(({ pk: _pk, sk: _sk, ...rest }) => FlagDecisionSchema.parse(rest));
  }

  async put(decision: FlagDecision): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...flagKeys.item(decision.tenantId, decision.collectionId, decision.objectId), ...decision },
      }),
    );
  }
}
