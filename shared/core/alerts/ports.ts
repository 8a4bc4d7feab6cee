import type { AlertRecord, Delivery, RecipientRecord, Subscription } from './model';
import type { AlertMessage } from './messages';

/** Members' subscriptions; webhook secrets are stored sealed and read back only to sign. */
export interface SubscriptionStore {
  list(tenantId: string, memberId?: string): Promise<Subscription[]>;
  get(tenantId: string, memberId: string, subscriptionId: string): Promise<Subscription | undefined>;
  /** Stores the subscription; `secrets` (newest first) replace the sealed ones when given. */
  put(subscription: Subscription, secrets?: readonly string[]): Promise<void>;
  delete(tenantId: string, memberId: string, subscriptionId: string): Promise<void>;
  /** The webhook secrets, opened, newest first. */
  secretsOf(subscription: Subscription): Promise<string[]>;
}

/** The alerts ledger. */
export interface AlertLedger {
  /** Stores the alert and its recipients once; 'exists' (and nothing changed) when the alert id is known. */
  raise(alert: AlertRecord, recipients: readonly RecipientRecord[]): Promise<'created' | 'exists'>;
  get(tenantId: string, alertId: string): Promise<AlertRecord | undefined>;
  recipient(tenantId: string, alertId: string, memberId: string): Promise<RecipientRecord | undefined>;
  recipients(tenantId: string, alertId: string): Promise<RecipientRecord[]>;
  /** Newest first; with `before`, only alerts raised before that one (the next page of a listing). */
  list(tenantId: string, limit: number, before?: Pick<AlertRecord, 'raisedAt' | 'alertId'>): Promise<AlertRecord[]>;
  /** The member's alerts, newest first. */
  ofMember(tenantId: string, memberId: string, limit: number): Promise<Array<{ alert: AlertRecord; recipient: RecipientRecord }>>;
  recordDelivery(tenantId: string, alertId: string, memberId: string, delivery: Delivery): Promise<void>;
  /** Acknowledges once; the acknowledgement already there when it was. */
  acknowledge(
    tenantId: string,
    alertId: string,
    memberId: string,
    ack: NonNullable<RecipientRecord['acknowledged']>,
  ): Promise<
    { kind: 'acknowledged' } | { kind: 'already'; acknowledged: NonNullable<RecipientRecord['acknowledged']> } | { kind: 'unknown' }
  >;
  /** Of the given objects of a collection, those an alert was raised for. */
  alertedObjects(tenantId: string, collectionId: string, objectIds: readonly string[]): Promise<Set<string>>;
  /** Recipients whose deadline passed before `nowIso`, unacknowledged and not yet escalated. */
  overdue(nowIso: string, limit: number): Promise<RecipientRecord[]>;
  /** Marks the recipient escalated; 'done' only for the first caller. */
  markEscalated(tenantId: string, alertId: string, memberId: string, atIso: string): Promise<'done' | 'already'>;
}

export interface AlertQueue {
  send(messages: ReadonlyArray<{ message: AlertMessage; delaySeconds?: number }>): Promise<void>;
  /** Where deliveries that finally failed are kept for the operators. */
  deadLetter(message: AlertMessage, reason: string): Promise<void>;
}
