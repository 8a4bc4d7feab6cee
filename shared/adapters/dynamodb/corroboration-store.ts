import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Corroboration, CorroborationStore } from '../../core/pipeline/dedupe';
import { corroborationKeys } from './keys';

/** One item per "same thing" in a collection; reporters kept as a string set, so a repeated report counts once. */
export class DynamoCorroborationStore implements CorroborationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async report(
    tenantId: string,
    collectionId: string,
    key: string,
    report: { objectId: string; providerMemberId: string; seenAt: string },
  ): Promise<Corroboration> {
    const Key = corroborationKeys.item(tenantId, collectionId, key);
    const { Attributes: old = {} } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key,
        UpdateExpression: 'ADD providers :provider SET objectId = if_not_exists(objectId, :id), firstSeen = if_not_exists(firstSeen, :seen)',
        ExpressionAttributeValues: { ':provider': new Set([report.providerMemberId]), ':id': report.objectId, ':seen': report.seenAt },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const providers = (old.providers as Set<string> | undefined) ?? new Set<string>();
    const newReporter = !providers.has(report.providerMemberId);
    const previousLast = old.lastSeen as string | undefined;
    const lastSeen = previousLast && previousLast > report.seenAt ? previousLast : report.seenAt;
    if (lastSeen !== previousLast) {
      await this.client
        .send(
          new UpdateCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: 'SET lastSeen = :last',
            ConditionExpression: 'attribute_not_exists(lastSeen) OR lastSeen < :last',
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
