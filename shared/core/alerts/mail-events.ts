import { z } from 'zod';
import type { SubscriptionStore } from './ports';

/**
 * Bounces and complaints of alert e-mail (issue #16: "bounces handled"). Each mail goes out with SES message tags
 * naming its subscription; SES publishes BOUNCE and COMPLAINT events of the configuration set to a topic, and this
 * use case reads one event: a permanent bounce or a complaint disables the subscription, as a 410 disables a webhook
 * (dispatch.ts), with the reason a member sees before re-enabling it. A transient bounce is SES still trying: ignored.
 */

/** The names of the message tags; SES tag values allow only letters, digits, `_` and `-`, so values are base64url. */
const TAG = { tenantId: 'kyoyu-tenant', memberId: 'kyoyu-member', subscriptionId: 'kyoyu-subscription' } as const;

export interface MailIds {
  tenantId: string;
  memberId: string;
  subscriptionId: string;
}

/** The SES message tags for one alert mail (SESv2 `EmailTags`). */
export const mailTags = (ids: MailIds): Array<{ Name: string; Value: string }> =>
  (Object.keys(TAG) as Array<keyof MailIds>).map((key) => ({ Name: TAG[key], Value: Buffer.from(ids[key]).toString('base64url') }));

/** The fields of an SES event publishing record this use case reads (others are ignored). */
const SesEventSchema = z.object({
  eventType: z.string(),
  mail: z.object({ tags: z.record(z.string(), z.array(z.string())).default({}) }),
  bounce: z
    .object({
      bounceType: z.string(),
      bounceSubType: z.string().optional(),
      bouncedRecipients: z.array(z.object({ emailAddress: z.string(), diagnosticCode: z.string().optional() })).default([]),
    })
    .optional(),
  complaint: z.object({ complaintFeedbackType: z.string().optional() }).optional(),
});

const idsOf = (tags: Record<string, string[]>): MailIds | undefined => {
  const value = (name: string) => {
    const raw = tags[name]?.[0];
    return raw === undefined ? undefined : Buffer.from(raw, 'base64url').toString('utf8');
  };
  const [tenantId, memberId, subscriptionId] = [value(TAG.tenantId), value(TAG.memberId), value(TAG.subscriptionId)];
  return tenantId && memberId && subscriptionId ? { tenantId, memberId, subscriptionId } : undefined;
};

/** Why the event disables the subscription, or undefined when it does not (transient bounce, other events). */
function reasonOf(event: z.infer<typeof SesEventSchema>, address: string): string | undefined {
  if (event.eventType === 'Complaint') return 'complaint';
  if (event.eventType !== 'Bounce' || event.bounce?.bounceType !== 'Permanent') return undefined;
  const recipients = event.bounce.bouncedRecipients;
  const recipient = recipients.find((r) => r.emailAddress.toLowerCase() === address.toLowerCase()) ?? recipients[0];
  return `bounced: ${recipient?.diagnosticCode ?? event.bounce.bounceSubType ?? 'permanent bounce'}`;
}

export type MailEventOutcome = 'disabled' | 'ignored' | 'unknown-subscription';

/** Applies one SES event (the SNS message, parsed JSON) to the subscription its tags name. */
export async function handleMailEvent(
  event: unknown,
  deps: { subscriptions: Pick<SubscriptionStore, 'get' | 'put'>; now: () => number },
): Promise<MailEventOutcome> {
  const parsed = SesEventSchema.safeParse(event);
  if (!parsed.success) return 'ignored';
  const ids = idsOf(parsed.data.mail.tags);
  if (!ids) return 'ignored';
  const subscription = await deps.subscriptions.get(ids.tenantId, ids.memberId, ids.subscriptionId);
  if (subscription?.channel.kind !== 'email') return 'unknown-subscription';
  const reason = reasonOf(parsed.data, subscription.channel.address);
  // Already disabled: the first reason stays (a later complaint does not overwrite the bounce that stopped it).
  if (!reason || subscription.status === 'disabled') return 'ignored';
  await deps.subscriptions.put({
    ...subscription,
    status: 'disabled',
    disabledReason: reason,
    updatedAt: new Date(deps.now()).toISOString(),
  });
  return 'disabled';
}
