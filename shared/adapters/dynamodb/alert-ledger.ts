import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AlertRecord, Delivery, RecipientRecord } from '../../core/alerts/model';
import type { AlertLedger } from '../../core/alerts/ports';
import { batchGet } from './batch-get';
import { batchPut } from './batch-put';
import { partitionItems } from './query-all';
import { alertKeys } from './keys';

const withoutKeys = <T>({ pk: _pk, sk: _sk, ...rest }: Record<string, unknown>): T => rest as T;

/** The alerts ledger in the objects table (keys.ts alertKeys). */
export class DynamoAlertLedger implements AlertLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async raise(alert: AlertRecord, recipients: readonly RecipientRecord[]): Promise<'created' | 'exists'> {
    // Recipients and pointers first, the header last and only once: a header means the alert is whole, and a crash
    // before it leaves items that the retried raise writes again, identically.
    await batchPut(this.client, this.tableName, [
      ...recipients.map((r) => ({ ...alertKeys.recipient(r.tenantId, r.alertId, r.memberId), ...r })),
      ...recipients.map((r) => ({
        pk: alertKeys.memberPk(r.tenantId, r.memberId),
        sk: alertKeys.pointerSk(r.raisedAt, r.alertId),
        alertId: r.alertId,
      })),
      ...recipients.map((r) => ({ ...alertKeys.due(r.deadline, r.tenantId, r.alertId, r.memberId) })),
      { pk: alertKeys.tenantPk(alert.tenantId), sk: alertKeys.pointerSk(alert.raisedAt, alert.alertId), alertId: alert.alertId },
      { ...alertKeys.alerted(alert.tenantId, alert.collectionId, alert.objectId), alertId: alert.alertId },
    ]);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...alertKeys.header(alert.tenantId, alert.alertId), ...alert },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'exists';
      throw error;
    }
  }

  async get(tenantId: string, alertId: string): Promise<AlertRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: alertKeys.header(tenantId, alertId), ConsistentRead: true }),
    );
    return result.Item ? withoutKeys<AlertRecord>(result.Item) : undefined;
  }

  async recipient(tenantId: string, alertId: string, memberId: string): Promise<RecipientRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: alertKeys.recipient(tenantId, alertId, memberId), ConsistentRead: true }),
    );
    return result.Item ? withoutKeys<RecipientRecord>(result.Item) : undefined;
  }

  async recipients(tenantId: string, alertId: string): Promise<RecipientRecord[]> {
    return (await partitionItems(this.client, this.tableName, alertKeys.pk(tenantId, alertId)))
      .filter((item) => String(item.sk).startsWith(alertKeys.recipientPrefix))
      .map((item) => withoutKeys<RecipientRecord>(item));
  }

  private async newest(pk: string, limit: number, beforeSk?: string): Promise<string[]> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: beforeSk === undefined ? 'pk = :pk' : 'pk = :pk AND sk < :before',
        ExpressionAttributeValues: { ':pk': pk, ...(beforeSk === undefined ? {} : { ':before': beforeSk }) },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (page.Items ?? []).map((item) => item.alertId as string);
  }

  private async headers(tenantId: string, alertIds: string[]): Promise<Map<string, AlertRecord>> {
    const found = await batchGet(
      this.client,
      this.tableName,
      alertIds.map((id) => alertKeys.header(tenantId, id)),
    );
    return new Map(found.map((item) => [item.alertId as string, withoutKeys<AlertRecord>(item)]));
  }

  async list(tenantId: string, limit: number, before?: Pick<AlertRecord, 'raisedAt' | 'alertId'>): Promise<AlertRecord[]> {
    const ids = await this.newest(
      alertKeys.tenantPk(tenantId),
      limit,
      before ? alertKeys.pointerSk(before.raisedAt, before.alertId) : undefined,
    );
    const byId = await this.headers(tenantId, ids);
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async ofMember(tenantId: string, memberId: string, limit: number): Promise<Array<{ alert: AlertRecord; recipient: RecipientRecord }>> {
    const ids = await this.newest(alertKeys.memberPk(tenantId, memberId), limit);
    const [byId, recipients] = await Promise.all([
      this.headers(tenantId, ids),
      batchGet(
        this.client,
        this.tableName,
        ids.map((id) => alertKeys.recipient(tenantId, id, memberId)),
      ),
    ]);
    const recipientOf = new Map(recipients.map((item) => [item.alertId as string, withoutKeys<RecipientRecord>(item)]));
    return ids.flatMap((id) => {
      const alert = byId.get(id);
      const recipient = recipientOf.get(id);
      return alert && recipient ? [{ alert, recipient }] : [];
    });
  }

  async recordDelivery(tenantId: string, alertId: string, memberId: string, delivery: Delivery): Promise<void> {
    // One map entry per channel: two channels of one member record their attempts side by side.
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: alertKeys.recipient(tenantId, alertId, memberId),
        UpdateExpression: 'SET deliveries.#sid = :delivery',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#sid': delivery.subscriptionId },
        ExpressionAttributeValues: { ':delivery': delivery },
      }),
    );
  }

  async acknowledge(tenantId: string, alertId: string, memberId: string, ack: NonNullable<RecipientRecord['acknowledged']>) {
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: alertKeys.recipient(tenantId, alertId, memberId),
          UpdateExpression: 'SET acknowledged = :ack',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(acknowledged)',
          ExpressionAttributeValues: { ':ack': ack },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const deadline = result.Attributes?.deadline as string;
      await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: alertKeys.due(deadline, tenantId, alertId, memberId) }));
      return { kind: 'acknowledged' as const };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.recipient(tenantId, alertId, memberId);
      return existing?.acknowledged ? { kind: 'already' as const, acknowledged: existing.acknowledged } : { kind: 'unknown' as const };
    }
  }

  async alertedObjects(tenantId: string, collectionId: string, objectIds: readonly string[]): Promise<Set<string>> {
    if (objectIds.length === 0) return new Set();
    const found = await batchGet(
      this.client,
      this.tableName,
      [...new Set(objectIds)].map((id) => alertKeys.alerted(tenantId, collectionId, id)),
    );
    return new Set(found.map((item) => String(item.pk).slice(`ALERTED#${tenantId}#${collectionId}#`.length)));
  }

  async overdue(nowIso: string, limit: number): Promise<RecipientRecord[]> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk < :now',
        ExpressionAttributeValues: { ':pk': alertKeys.duePk, ':now': JSON.stringify([nowIso]) },
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    const due = (page.Items ?? []).map((item) => JSON.parse(item.sk as string) as [string, string, string, string]);
    const found = await batchGet(
      this.client,
      this.tableName,
      due.map(([, tenantId, alertId, memberId]) => alertKeys.recipient(tenantId, alertId, memberId)),
    );
    return found.map((item) => withoutKeys<RecipientRecord>(item)).filter((r) => !r.acknowledged && !r.escalatedAt);
  }

  async markEscalated(tenantId: string, alertId: string, memberId: string, atIso: string): Promise<'done' | 'already'> {
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: alertKeys.recipient(tenantId, alertId, memberId),
          UpdateExpression: 'SET escalatedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(escalatedAt) AND attribute_not_exists(acknowledged)',
          ExpressionAttributeValues: { ':at': atIso },
          ReturnValues: 'ALL_NEW',
        }),
      );
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: alertKeys.due(result.Attributes?.deadline as string, tenantId, alertId, memberId),
        }),
      );
      return 'done';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'already';
      throw error;
    }
  }
}
