import type { Collection, Member } from '../directory/model';
import type { Group } from '../directory/groups';
import type { Grant } from '../policy/grants';
import type { ObjectStore } from '../ports';
import type { StoredVersion } from '../taxii/model';
import { ackToken } from './ack-token';
import { delaySecondsUntil, nextStep, type AttemptResult } from './delivery';
import type { DeliverMessage, RaiseMessage } from './messages';
import type { AlertRecord, Delivery, RecipientRecord, Subscription } from './model';
import { alertPayload, titleOf } from './payload';
import { present } from '../policy/present';
import type { AlertLedger, AlertQueue, SubscriptionStore } from './ports';
import { mayReceive, recipientsOf } from './recipients';
import { alertIdOf } from './trigger';
import { webhookHeaders } from './standard-webhooks';
import { CollectionPolicySchema } from '../pipeline/collection-policy';
import type { MailIds } from './mail-events';

/** The directory reads an alert needs (DirectoryStore fits). */
export interface AlertDirectory {
  getMember(tenantId: string, memberId: string): Promise<Member | undefined>;
  getCollection(tenantId: string, collectionId: string): Promise<Collection | undefined>;
  listMembers(tenantId: string): Promise<Member[]>;
  listGrants(tenantId: string): Promise<Grant[]>;
  listGroups(tenantId: string): Promise<Group[]>;
}

/** Sends one webhook to a URL the guard has checked (runtime: resolve, check every address, connect to it). */
export type WebhookSender = (url: string, headers: Record<string, string>, body: string) => Promise<AttemptResult>;
/** Sends one alert e-mail (SES on AWS, the local SMTP server under `npm start`). */
export type AlertMailer = (
  to: { address: string; language: 'ja' | 'en'; plainTextAboveClear: boolean },
  payload: Record<string, unknown>,
  /** Whose mail it is: SES message tags carry them, so a bounce or complaint finds the subscription (mail-events.ts). */
  ids: MailIds,
) => Promise<AttemptResult>;

export interface DispatchDeps {
  directory: AlertDirectory;
  objects: Pick<ObjectStore, 'versionsOf'>;
  subscriptions: SubscriptionStore;
  ledger: AlertLedger;
  queue: AlertQueue;
  sendWebhook: WebhookSender;
  sendMail?: AlertMailer;
  /** The `alerts` secret list (acknowledgement links). */
  ackSecrets: () => Promise<string[]>;
  /** The API's base URL, no trailing slash. */
  baseUrl: string;
  now: () => number;
}

const pending = (subscription: Subscription, escalation: boolean): Delivery => ({
  subscriptionId: subscription.id,
  channel: subscription.channel.kind,
  escalation,
  state: 'pending',
  attempts: 0,
});

const deliverMessage = (
  recipient: Pick<RecipientRecord, 'tenantId' | 'alertId' | 'memberId'>,
  delivery: Delivery,
  nowMs: number,
): DeliverMessage => ({
  kind: 'deliver',
  tenantId: recipient.tenantId,
  alertId: recipient.alertId,
  memberId: recipient.memberId,
  subscriptionId: delivery.subscriptionId,
  attempt: delivery.attempts + 1,
  dueAtMs: nowMs,
  escalation: delivery.escalation,
});

async function versionOf(
  objects: Pick<ObjectStore, 'versionsOf'>,
  tenantId: string,
  collectionId: string,
  objectId: string,
  version: string,
): Promise<StoredVersion | undefined> {
  return (await objects.versionsOf(tenantId, collectionId, objectId)).find((v) => v.version === version);
}

/**
 * Fans one committed version out to its recipients: the ledger first (one record per alert and member, pending
 * deliveries per channel), then one `deliver` message per channel. A redelivered `raise` finds the alert in the
 * ledger and sends again only the deliveries never attempted (a crash between the two steps loses nothing; a
 * delivery already attempted is skipped by `deliverAlert`).
 */
export async function raiseAlert(message: RaiseMessage, deps: DispatchDeps): Promise<{ alertId: string; recipients: number }> {
  const { tenantId, collectionId, objectId } = message;
  const alertId = alertIdOf(tenantId, collectionId, objectId, message.version);
  const nowMs = deps.now();
  const existing = await deps.ledger.get(tenantId, alertId);
  if (existing) {
    const recipients = await deps.ledger.recipients(tenantId, alertId);
    const unsent = recipients.flatMap((r) =>
      Object.values(r.deliveries)
        .filter((d) => d.state === 'pending' && d.attempts === 0)
        .map((d) => ({ message: deliverMessage(r, d, nowMs) })),
    );
    if (unsent.length > 0) await deps.queue.send(unsent);
    return { alertId, recipients: recipients.length };
  }
  const version = await versionOf(deps.objects, tenantId, collectionId, objectId, message.version);
  // Deleted between its commit and now: nothing left to alert about.
  if (!version) return { alertId, recipients: 0 };
  const [collection, members, grants, groups, subscriptions] = await Promise.all([
    deps.directory.getCollection(tenantId, collectionId),
    deps.directory.listMembers(tenantId),
    deps.directory.listGrants(tenantId),
    deps.directory.listGroups(tenantId),
    deps.subscriptions.list(tenantId),
  ]);
  const policy = collection?.policy ?? CollectionPolicySchema.parse({});
  const groupsOf = new Map<string, string[]>();
  for (const group of groups) for (const memberId of group.memberIds) groupsOf.set(memberId, [...(groupsOf.get(memberId) ?? []), group.id]);
  const audience = recipientsOf(version, message.urgent, { members, grants, groupsOf, subscriptions });
  const raisedAt = new Date(nowMs).toISOString();
  const deadline = new Date(nowMs + policy.ackMinutes * 60_000).toISOString();
  const alert: AlertRecord = {
    tenantId,
    alertId,
    collectionId,
    objectId,
    version: version.version,
    type: version.type,
    kind: message.alertKind,
    urgent: message.urgent,
    tlp: version.access.tlp,
    title: titleOf(version.object),
    providerMemberId: version.access.providerMemberId,
    raisedAt,
    deadline,
    recipients: [...audience.keys()],
  };
  const recipients: RecipientRecord[] = [...audience].map(([memberId, subs]) => ({
    tenantId,
    alertId,
    memberId,
    raisedAt,
    deadline,
    deliveries: Object.fromEntries(subs.map((s) => [s.id, pending(s, false)])),
  }));
  if ((await deps.ledger.raise(alert, recipients)) === 'exists') return raiseAlert(message, deps);
  await deps.queue.send(recipients.flatMap((r) => Object.values(r.deliveries).map((d) => ({ message: deliverMessage(r, d, nowMs) }))));
  return { alertId, recipients: recipients.length };
}

async function mayStillReceive(tenantId: string, memberId: string, version: StoredVersion, directory: AlertDirectory): Promise<boolean> {
  const [member, grants, groups] = await Promise.all([
    directory.getMember(tenantId, memberId),
    directory.listGrants(tenantId),
    directory.listGroups(tenantId),
  ]);
  const groupIds = groups.filter((g) => g.memberIds.includes(memberId)).map((g) => g.id);
  return member !== undefined && mayReceive(member, version, grants, groupIds);
}

export const webhookIdOf = (alertId: string, subscriptionId: string): string => `${alertId}~${subscriptionId}`;

/** The links of one recipient's payload. */
export async function linksOf(
  alert: Pick<AlertRecord, 'tenantId' | 'alertId' | 'collectionId' | 'objectId'>,
  memberId: string,
  deps: Pick<DispatchDeps, 'ackSecrets' | 'baseUrl'>,
) {
  const token = ackToken(await deps.ackSecrets(), { tenantId: alert.tenantId, alertId: alert.alertId, memberId });
  return {
    taxiiUrl: `${deps.baseUrl}/${alert.tenantId}/collections/${alert.collectionId}/objects/${alert.objectId}/`,
    ackUrl: `${deps.baseUrl}/alerts/${token}`,
    ackApi: `POST ${deps.baseUrl}/admin/tenants/${alert.tenantId}/alerts/${alert.alertId}`,
  };
}

/**
 * One attempt at one channel. A message that arrives before it is due goes back on the queue for the time left
 * (SQS delays 15 minutes at most); an attempt the ledger already records is not made again (redelivery).
 */
export async function deliverAlert(message: DeliverMessage, deps: DispatchDeps): Promise<Delivery['state'] | 'early' | 'skipped'> {
  const nowMs = deps.now();
  if (message.dueAtMs > nowMs + 1000) {
    await deps.queue.send([{ message, delaySeconds: delaySecondsUntil(message.dueAtMs, nowMs) }]);
    return 'early';
  }
  const { tenantId, alertId, memberId, subscriptionId } = message;
  const [recipient, alert] = await Promise.all([deps.ledger.recipient(tenantId, alertId, memberId), deps.ledger.get(tenantId, alertId)]);
  const delivery = recipient?.deliveries[subscriptionId];
  if (!recipient || !alert || !delivery || delivery.state !== 'pending' || delivery.attempts >= message.attempt) return 'skipped';
  const subscription = await deps.subscriptions.get(tenantId, memberId, subscriptionId);
  const at = new Date(nowMs).toISOString();
  if (subscription?.status !== 'active') {
    await deps.ledger.recordDelivery(tenantId, alertId, memberId, {
      ...delivery,
      state: 'disabled',
      lastError: subscription ? 'the subscription is disabled' : 'the subscription was deleted',
    });
    return 'disabled';
  }
  // A retry or an escalation comes minutes to hours after the alert was raised: meanwhile the member may have lost its
  // grant or clearance, or the version may have been taken down. The first attempt follows the raise at once.
  const later = message.attempt > 1 || message.escalation;
  const version =
    later || subscription.payload === 'full'
      ? await versionOf(deps.objects, tenantId, alert.collectionId, alert.objectId, alert.version)
      : undefined;
  if (later && !(version && (await mayStillReceive(tenantId, memberId, version, deps.directory)))) {
    await deps.ledger.recordDelivery(tenantId, alertId, memberId, {
      ...delivery,
      state: 'withdrawn',
      lastError: 'the member may no longer see this version',
    });
    return 'withdrawn';
  }
  const { providerMemberId: _provider, recipients: _others, ...shown } = alert;
  const payload = alertPayload(
    shown,
    subscription.payload === 'full' && version ? present({ tenantId, memberId }, version) : undefined,
    await linksOf(alert, memberId, deps),
    message.escalation,
  );
  let result: AttemptResult;
  if (subscription.channel.kind === 'webhook') {
    const body = JSON.stringify(payload);
    const headers = webhookHeaders(
      await deps.subscriptions.secretsOf(subscription),
      webhookIdOf(alertId, subscriptionId),
      Math.floor(nowMs / 1000),
      body,
    );
    result = await deps.sendWebhook(subscription.channel.url, headers, body);
  } else if (deps.sendMail) {
    result = await deps.sendMail(subscription.channel, payload, { tenantId, memberId, subscriptionId });
  } else {
    result = { error: 'e-mail is not configured on this deployment', refused: true };
  }
  const step = nextStep(message.attempt, result, deps.now());
  const attempted: Delivery = { ...delivery, attempts: message.attempt, lastAttemptAt: at };
  switch (step.kind) {
    case 'delivered':
      await deps.ledger.recordDelivery(tenantId, alertId, memberId, {
        ...attempted,
        state: 'delivered',
        deliveredAt: new Date(deps.now()).toISOString(),
      });
      return 'delivered';
    case 'retry':
      await deps.ledger.recordDelivery(tenantId, alertId, memberId, {
        ...attempted,
        lastError: step.reason,
        nextAttemptAt: new Date(step.dueAtMs).toISOString(),
      });
      await deps.queue.send([
        {
          message: { ...message, attempt: message.attempt + 1, dueAtMs: step.dueAtMs },
          delaySeconds: delaySecondsUntil(step.dueAtMs, deps.now()),
        },
      ]);
      return 'pending';
    case 'disabled':
      await deps.subscriptions.put({ ...subscription, status: 'disabled', disabledReason: step.reason, updatedAt: at });
      await deps.ledger.recordDelivery(tenantId, alertId, memberId, { ...attempted, state: 'disabled', lastError: step.reason });
      return 'disabled';
    case 'failed':
      await deps.ledger.recordDelivery(tenantId, alertId, memberId, { ...attempted, state: 'failed', lastError: step.reason });
      await deps.queue.deadLetter(message, step.reason);
      return 'failed';
  }
}

/**
 * The escalation (issue #16 §6): a recipient that has not acknowledged by the collection's deadline gets the alert
 * again on its escalation contacts (subscriptions with role `escalation`), once.
 */
export async function escalateOverdue(deps: DispatchDeps, limit = 500): Promise<{ escalated: number }> {
  const nowMs = deps.now();
  const at = new Date(nowMs).toISOString();
  let escalated = 0;
  for (const recipient of await deps.ledger.overdue(at, limit)) {
    if ((await deps.ledger.markEscalated(recipient.tenantId, recipient.alertId, recipient.memberId, at)) !== 'done') continue;
    const contacts = (await deps.subscriptions.list(recipient.tenantId, recipient.memberId)).filter(
      (s) => s.role === 'escalation' && s.status === 'active',
    );
    const deliveries = contacts.map((s) => pending(s, true));
    for (const d of deliveries) await deps.ledger.recordDelivery(recipient.tenantId, recipient.alertId, recipient.memberId, d);
    if (deliveries.length > 0) await deps.queue.send(deliveries.map((d) => ({ message: deliverMessage(recipient, d, nowMs) })));
    escalated++;
  }
  return { escalated };
}
