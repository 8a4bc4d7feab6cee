import { z } from 'zod';
import { BadRequestError, ForbiddenError, NotFoundError } from '../errors';
import { isOperator, type Caller, type Principal } from '../directory/model';
import { recordChange } from '../audit/record';
import { assertOwnMemberOrAdmin, existingMember, visibleTenant } from '../policy/admin-access';
import type { AdminDeps } from '../admin/deps';
import { parseInput, parsePatch } from '../input';
import { ChannelSchema, SubscriptionFiltersSchema, SubscriptionSchema, type Subscription } from './model';
import type { SubscriptionStore } from './ports';
import { refusedWebhookUrl } from './address-guard';
import { generateWebhookSecret } from './standard-webhooks';

/**
 * Subscriptions (issue #16 §1): a member manages its own (its tenant admins, moderators and analysts; readers and
 * submit-only users may list them), tenant admins see and manage every member's. Operators do not: where a member's
 * alerts go is the member's business. Every change is on the audit log; webhook secrets never are, and are shown
 * once, when created or rotated.
 */

export interface SubscriptionDeps extends AdminDeps {
  subscriptions: SubscriptionStore;
  /** Loopback and plain http receivers: `npm start` and tests only (config ALERTS_ALLOW_LOOPBACK), never on AWS. */
  allowLoopback: boolean;
}

export const SubscriptionInputSchema = z
  .object({
    channel: ChannelSchema,
    filters: SubscriptionFiltersSchema.optional(),
    payload: z.enum(['thin', 'full']).optional(),
    role: z.enum(['primary', 'escalation']).optional(),
  })
  .strict();
export const SubscriptionPatchSchema = z
  .object({
    filters: SubscriptionFiltersSchema,
    payload: z.enum(['thin', 'full']),
    role: z.enum(['primary', 'escalation']),
    status: z.enum(['active', 'disabled']),
  })
  .partial()
  .strict();

const WRITING_ROLES: readonly Principal['role'][] = ['tenant-admin', 'moderator', 'analyst'];

async function subscriptionAccess(
  caller: Caller,
  tenantId: string,
  memberId: string,
  mode: 'read' | 'write',
  deps: SubscriptionDeps,
): Promise<Principal> {
  if (isOperator(caller))
    throw new ForbiddenError('Subscriptions are managed by the member and its tenant admins; operators do not see where alerts go');
  await visibleTenant(caller, tenantId, deps);
  assertOwnMemberOrAdmin(caller, tenantId, memberId);
  await existingMember(tenantId, memberId, deps);
  if (caller.role === 'tenant-admin') return caller;
  if (mode === 'write' && !WRITING_ROLES.includes(caller.role))
    throw new ForbiddenError(`Your role (${caller.role}) may read but not change subscriptions`);
  return caller;
}

function assertChannelAllowed(channel: Subscription['channel'], deps: SubscriptionDeps): void {
  if (channel.kind !== 'webhook') return;
  const refused = refusedWebhookUrl(channel.url, { allowLoopback: deps.allowLoopback, allowHttp: deps.allowLoopback });
  if (refused) throw new BadRequestError(`channel.url: ${refused}`);
}

const target = (s: Pick<Subscription, 'memberId' | 'id'>) => ({ type: 'subscription', id: `${s.memberId}/${s.id}` });

export async function listSubscriptions(
  caller: Caller,
  tenantId: string,
  memberId: string,
  deps: SubscriptionDeps,
): Promise<{ subscriptions: Subscription[] }> {
  await subscriptionAccess(caller, tenantId, memberId, 'read', deps);
  return { subscriptions: await deps.subscriptions.list(tenantId, memberId) };
}

/** Every member's subscriptions at once, for tenant admins (issue #16 §1: "tenant admins see all"), never secrets. */
export async function listTenantSubscriptions(
  caller: Caller,
  tenantId: string,
  deps: SubscriptionDeps,
): Promise<{ subscriptions: Subscription[] }> {
  if (isOperator(caller))
    throw new ForbiddenError('Subscriptions are managed by the member and its tenant admins; operators do not see where alerts go');
  await visibleTenant(caller, tenantId, deps);
  if (caller.role !== 'tenant-admin')
    throw new ForbiddenError(
      `Only tenant admins list every member's subscriptions; list your member's with /admin/tenants/${tenantId}/members/${caller.memberId}/subscriptions`,
    );
  return { subscriptions: await deps.subscriptions.list(tenantId) };
}

export async function createSubscription(
  caller: Caller,
  tenantId: string,
  memberId: string,
  body: unknown,
  deps: SubscriptionDeps,
): Promise<Subscription & { secret?: string }> {
  await subscriptionAccess(caller, tenantId, memberId, 'write', deps);
  const input = parseInput(SubscriptionInputSchema, body);
  assertChannelAllowed(input.channel, deps);
  const at = new Date(deps.now()).toISOString();
  const subscription = SubscriptionSchema.parse({
    ...input,
    tenantId,
    memberId,
    id: deps.newId(),
    status: 'active',
    createdAt: at,
    updatedAt: at,
  });
  const secret = subscription.channel.kind === 'webhook' ? generateWebhookSecret() : undefined;
  await deps.subscriptions.put(subscription, secret ? [secret] : undefined);
  await recordChange(caller, { chain: tenantId, action: 'subscription.create', target: target(subscription), after: subscription }, deps);
  return secret ? { ...subscription, secret } : subscription;
}

/** One subscription, once the caller may use it as `mode` says: access first, so a refusal says nothing of what exists. */
async function existing(
  caller: Caller,
  mode: 'read' | 'write',
  { tenantId, memberId, subscriptionId }: { tenantId: string; memberId: string; subscriptionId: string },
  deps: SubscriptionDeps,
): Promise<Subscription> {
  await subscriptionAccess(caller, tenantId, memberId, mode, deps);
  const found = await deps.subscriptions.get(tenantId, memberId, subscriptionId);
  if (!found) throw new NotFoundError(`No subscription ${subscriptionId} of member ${memberId}`);
  return found;
}

export async function showSubscription(
  caller: Caller,
  tenantId: string,
  memberId: string,
  subscriptionId: string,
  deps: SubscriptionDeps,
): Promise<Subscription> {
  return existing(caller, 'read', { tenantId, memberId, subscriptionId }, deps);
}

/** Filters, payload, role, status; re-enabling (`status: active`) clears the reason it was disabled. */
export async function updateSubscription(
  caller: Caller,
  tenantId: string,
  memberId: string,
  subscriptionId: string,
  body: unknown,
  deps: SubscriptionDeps,
): Promise<Subscription> {
  const before = await existing(caller, 'write', { tenantId, memberId, subscriptionId }, deps);
  const patch = parsePatch(SubscriptionPatchSchema, body);
  const { disabledReason: _reason, ...rest } = before;
  const after = SubscriptionSchema.parse({
    ...(patch.status === 'active' ? rest : before),
    ...patch,
    updatedAt: new Date(deps.now()).toISOString(),
  });
  await deps.subscriptions.put(after);
  await recordChange(caller, { chain: tenantId, action: 'subscription.update', target: target(after), before, after }, deps);
  return after;
}

export async function deleteSubscription(
  caller: Caller,
  tenantId: string,
  memberId: string,
  subscriptionId: string,
  deps: SubscriptionDeps,
): Promise<void> {
  const before = await existing(caller, 'write', { tenantId, memberId, subscriptionId }, deps);
  await deps.subscriptions.delete(tenantId, memberId, subscriptionId);
  await recordChange(caller, { chain: tenantId, action: 'subscription.delete', target: target(before), before }, deps);
}

/**
 * A new webhook secret, shown once. The previous one keeps signing beside it (two signatures per delivery) until
 * the next rotation or `{"finish": true}`, which drops every secret but the newest: the receiver switches at its
 * own pace, and no delivery fails in between.
 */
export async function rotateSubscriptionSecret(
  caller: Caller,
  tenantId: string,
  memberId: string,
  subscriptionId: string,
  body: unknown,
  deps: SubscriptionDeps,
): Promise<{ secret?: string; signingSecrets: number }> {
  const subscription = await existing(caller, 'write', { tenantId, memberId, subscriptionId }, deps);
  const { finish } = parseInput(z.object({ finish: z.boolean().default(false) }).strict(), body ?? {});
  if (subscription.channel.kind !== 'webhook') throw new BadRequestError('Only webhook subscriptions have a secret');
  const current = await deps.subscriptions.secretsOf(subscription);
  const secrets = finish ? current.slice(0, 1) : [generateWebhookSecret(), ...current.slice(0, 1)];
  await deps.subscriptions.put({ ...subscription, updatedAt: new Date(deps.now()).toISOString() }, secrets);
  await recordChange(
    caller,
    {
      chain: tenantId,
      action: finish ? 'subscription.rotation-finish' : 'subscription.rotate',
      target: target(subscription),
      after: { signingSecrets: secrets.length },
    },
    deps,
  );
  return finish ? { signingSecrets: secrets.length } : { secret: secrets[0], signingSecrets: secrets.length };
}
