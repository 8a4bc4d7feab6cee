import { z } from 'zod';
import { TenantIdSchema } from '../directory/model';
import { bounded, LIMITS } from '../text/limits';
import type { TLP_LEVELS } from '../taxii/model';

/**
 * Alerts (注意喚起, issue #16): what a member subscribes to and what the platform records of every alert. A
 * subscription is one channel (a webhook or an e-mail address) with its filters; a member holds several.
 */

export const WebhookChannelSchema = z.object({ kind: z.literal('webhook'), url: bounded(LIMITS.url).min(1) }).strict();
export const EmailChannelSchema = z
  .object({
    kind: z.literal('email'),
    address: z.email().max(LIMITS.email, `must be at most ${LIMITS.email} characters`),
    language: z.enum(['ja', 'en']).default('ja'),
    /** A plain-text body may carry content above TLP:CLEAR only when the member opted in (mail is read on the way). */
    plainTextAboveClear: z.boolean().default(false),
  })
  .strict();
export const ChannelSchema = z.discriminatedUnion('kind', [WebhookChannelSchema, EmailChannelSchema]);
export type Channel = z.infer<typeof ChannelSchema>;

/** Which alerts reach the subscription; the TLP a member may receive is never a filter here: its grants decide it. */
export const SubscriptionFiltersSchema = z
  .object({
    /** Collection ids; empty = every collection the member may read. */
    collections: z.array(z.string().uuid()).max(100, 'must hold at most 100 collections').default([]),
    /** STIX types; empty = every type. */
    types: z.array(bounded(LIMITS.stixType).min(1)).max(100, 'must hold at most 100 types').default([]),
    /** Alerts whose object carries at least one of these labels; empty = any. */
    labels: z.array(bounded(LIMITS.label).min(1)).max(100, 'must hold at most 100 labels').default([]),
    /** Objects with a `confidence` (STIX 2.1 §3.2) below this are not alerted; objects without one pass only at 0. */
    minConfidence: z.number().int().min(0).max(100).default(0),
    /** Only objects marked urgent, not every commit of an `alert: all` collection. */
    urgentOnly: z.boolean().default(false),
  })
  .strict();
export type SubscriptionFilters = z.infer<typeof SubscriptionFiltersSchema>;

export const SubscriptionSchema = z.object({
  tenantId: TenantIdSchema,
  memberId: z.string().min(1),
  id: z.string().uuid(),
  channel: ChannelSchema,
  filters: SubscriptionFiltersSchema.default(SubscriptionFiltersSchema.parse({})),
  /** `thin`: title, TLP, object ids and the TAXII URL to fetch them; `full`: the STIX objects as well. */
  payload: z.enum(['thin', 'full']).default('thin'),
  /** `escalation`: a secondary contact, reached only when an alert stays unacknowledged past its deadline. */
  role: z.enum(['primary', 'escalation']).default('primary'),
  status: z.enum(['active', 'disabled']).default('active'),
  /** Why the platform disabled it (a 410 from the receiver, a mail bounce or complaint); a member re-enables it with a PATCH. */
  disabledReason: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Subscription = z.infer<typeof SubscriptionSchema>;

export const AlertKindSchema = z.enum(['new', 'correction', 'revocation']);
export type AlertKind = z.infer<typeof AlertKindSchema>;

/** One alert: one committed version of one object. Its provider is kept for the counts it may see, never sent. */
export interface AlertRecord {
  tenantId: string;
  alertId: string;
  collectionId: string;
  objectId: string;
  version: string;
  type: string;
  kind: AlertKind;
  urgent: boolean;
  tlp: (typeof TLP_LEVELS)[number];
  title: string;
  providerMemberId: string;
  raisedAt: string;
  /** Unacknowledged after this, the member's escalation contacts are alerted. */
  deadline: string;
  recipients: string[];
}

/** `withdrawn`: not attempted again because the member may no longer see the version (dispatch.ts deliverAlert). */
export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'disabled' | 'withdrawn';

/** One channel's delivery of one alert to one member. */
export interface Delivery {
  subscriptionId: string;
  channel: Channel['kind'];
  escalation: boolean;
  state: DeliveryState;
  attempts: number;
  deliveredAt?: string;
  lastAttemptAt?: string;
  nextAttemptAt?: string;
  lastError?: string;
}

/** What the ledger holds per alert and member. */
export interface RecipientRecord {
  tenantId: string;
  alertId: string;
  memberId: string;
  raisedAt: string;
  deadline: string;
  deliveries: Record<string, Delivery>;
  acknowledged?: { at: string; by: string; via: 'link' | 'api' };
  escalatedAt?: string;
}
