import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SubscriptionSchema, type Subscription } from '../../core/alerts/model';
import type { SubscriptionStore } from '../../core/alerts/ports';
import { queryAll } from './query-all';
import { subscriptionKeys } from './keys';
import type { SealerSource } from './originals-store';

const strip = ({ pk: _pk, sk: _sk, sealedSecrets: _s, ...rest }: Record<string, unknown>): Subscription => SubscriptionSchema.parse(rest);

/** Subscriptions in the directory table; webhook secrets sealed (sealed.ts), bound to their item and member. */
export class DynamoSubscriptionStore implements SubscriptionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly sealer: SealerSource,
  ) {}

  async list(tenantId: string, memberId?: string): Promise<Subscription[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}`, ':prefix': subscriptionKeys.prefix(memberId) },
    });
    return items.map(strip);
  }

  async get(tenantId: string, memberId: string, subscriptionId: string): Promise<Subscription | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: subscriptionKeys.item(tenantId, memberId, subscriptionId), ConsistentRead: true }),
    );
    return result.Item ? strip(result.Item) : undefined;
  }

  async put(subscription: Subscription, secrets?: readonly string[]): Promise<void> {
    const key = subscriptionKeys.item(subscription.tenantId, subscription.memberId, subscription.id);
    if (secrets) {
      const sealed = (await this.sealer()).seal(JSON.stringify(secrets), { ...key, owner: subscription.memberId });
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...key, ...subscription, sealedSecrets: sealed } }));
      return;
    }
    // Everything but the sealed secrets, which only a rotation replaces.
    const fields = Object.entries(subscription);
    const removed = ['disabledReason'].filter((name) => !(name in subscription));
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :v${i}`).join(', ')}${removed.length ? ` REMOVE ${removed.map((_, i) => `#r${i}`).join(', ')}` : ''}`,
        ExpressionAttributeNames: {
          ...Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name])),
          ...Object.fromEntries(removed.map((name, i) => [`#r${i}`, name])),
        },
        ExpressionAttributeValues: Object.fromEntries(fields.map(([, value], i) => [`:v${i}`, value])),
      }),
    );
  }

  async delete(tenantId: string, memberId: string, subscriptionId: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: subscriptionKeys.item(tenantId, memberId, subscriptionId) }),
    );
  }

  async secretsOf(subscription: Subscription): Promise<string[]> {
    const key = subscriptionKeys.item(subscription.tenantId, subscription.memberId, subscription.id);
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true, ProjectionExpression: 'sealedSecrets' }),
    );
    const sealed = result.Item?.sealedSecrets;
    if (typeof sealed !== 'string') return [];
    return JSON.parse((await this.sealer()).open(sealed, { ...key, owner: subscription.memberId })) as string[];
  }
}
