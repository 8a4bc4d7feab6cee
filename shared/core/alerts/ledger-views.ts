import { z } from 'zod';
import { BadRequestError, ForbiddenError, NotFoundError } from '../errors';
import { isOperator, type Caller, type Principal } from '../directory/model';
import { assertOwnTenant } from '../policy/admin-access';
import { parseInput } from '../admin/input';
import { openAckToken } from './ack-token';
import type { AlertRecord, RecipientRecord } from './model';
import type { AlertLedger } from './ports';
import type { DirectoryStore } from '../ports';
import { appendAudit, type AppendDeps } from '../audit/chain';
import type { AuditActor } from '../audit/entry';
import { actorOf } from '../audit/record';

/**
 * Reading the ledger and acknowledging (issue #16 §6). Who sees what:
 * - a recipient: the alert as it was sent to it, and its own deliveries and acknowledgement;
 * - tenant admins: every alert, with counts and each recipient's record;
 * - the provider: counts only — how many members received and acknowledged, never which;
 * - nobody else learns the alert exists (one 404 for missing and hidden).
 * No view names the provider.
 */

export interface LedgerDeps extends AppendDeps {
  ledger: AlertLedger;
  /** Whether a link's member and tenant are still active (suspension ends acknowledgement by link at once). */
  directory: Pick<DirectoryStore, 'getTenant' | 'getMember'>;
  now: () => number;
  ackSecrets: () => Promise<string[]>;
}

export type AlertView = Omit<AlertRecord, 'providerMemberId' | 'recipients'>;
export interface AlertCounts {
  recipients: number;
  delivered: number;
  failed: number;
  acknowledged: number;
  escalated: number;
}

const view = ({ providerMemberId: _p, recipients: _r, ...shown }: AlertRecord): AlertView => shown;
const notFound = (alertId: string) => new NotFoundError(`No alert ${alertId} for these credentials`);

export function countsOf(recipients: readonly RecipientRecord[]): AlertCounts {
  const deliveries = (r: RecipientRecord) => Object.values(r.deliveries).filter((d) => !d.escalation);
  return {
    recipients: recipients.length,
    delivered: recipients.filter((r) => deliveries(r).some((d) => d.state === 'delivered')).length,
    failed: recipients.filter((r) => deliveries(r).length > 0 && deliveries(r).every((d) => d.state === 'failed' || d.state === 'disabled'))
      .length,
    acknowledged: recipients.filter((r) => r.acknowledged).length,
    escalated: recipients.filter((r) => r.escalatedAt).length,
  };
}

function member(caller: Caller, tenantId: string): Principal {
  if (isOperator(caller)) throw new ForbiddenError('Alerts are read by the members of the tenant; operators do not read members’ alerts');
  assertOwnTenant(caller, tenantId);
  return caller;
}

const LimitSchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

export async function listAlerts(caller: Caller, tenantId: string, query: unknown, deps: LedgerDeps) {
  const principal = member(caller, tenantId);
  const { limit } = parseInput(LimitSchema, query ?? {}, 'query');
  if (principal.role === 'tenant-admin') {
    const alerts = await deps.ledger.list(tenantId, limit);
    return {
      alerts: await Promise.all(
        alerts.map(async (a) => ({ ...view(a), counts: countsOf(await deps.ledger.recipients(tenantId, a.alertId)) })),
      ),
    };
  }
  const mine = await deps.ledger.ofMember(tenantId, principal.memberId, limit);
  return {
    alerts: mine.map(({ alert, recipient }) => ({
      ...view(alert),
      deliveries: Object.values(recipient.deliveries),
      ...(recipient.acknowledged ? { acknowledged: recipient.acknowledged } : {}),
    })),
  };
}

export async function showAlert(caller: Caller, tenantId: string, alertId: string, deps: LedgerDeps) {
  const principal = member(caller, tenantId);
  const alert = await deps.ledger.get(tenantId, alertId);
  if (!alert) throw notFound(alertId);
  if (principal.role === 'tenant-admin') {
    const recipients = await deps.ledger.recipients(tenantId, alertId);
    return { ...view(alert), counts: countsOf(recipients), recipients };
  }
  const own = await deps.ledger.recipient(tenantId, alertId, principal.memberId);
  if (own)
    return { ...view(alert), deliveries: Object.values(own.deliveries), ...(own.acknowledged ? { acknowledged: own.acknowledged } : {}) };
  if (alert.providerMemberId === principal.memberId)
    return {
      alertId,
      raisedAt: alert.raisedAt,
      deadline: alert.deadline,
      counts: countsOf(await deps.ledger.recipients(tenantId, alertId)),
    };
  throw notFound(alertId);
}

/**
 * Acknowledges for `memberId`; the first acknowledgement is put on the tenant's audit log (who, which alert, how)
 * before the caller is answered, like an admin change (docs/admin-api.md "Audit log"). A repeated one changes nothing
 * and records nothing.
 */
async function acknowledge(tenantId: string, alertId: string, memberId: string, actor: AuditActor, via: 'api' | 'link', deps: LedgerDeps) {
  const at = new Date(deps.now()).toISOString();
  const by = actor.username;
  const outcome = await deps.ledger.acknowledge(tenantId, alertId, memberId, { at, by, via });
  if (outcome.kind === 'unknown') throw notFound(alertId);
  if (outcome.kind === 'already') return { alertId, acknowledged: outcome.acknowledged, first: false };
  await appendAudit(
    tenantId,
    { actor, memberId, action: 'alert.acknowledge', target: { type: 'alert', id: alertId }, details: { via, at } },
    deps,
  );
  return { alertId, acknowledged: { at, by, via }, first: true };
}

/** The API call: the caller's member acknowledges; readers may too (acknowledging is reading, not sharing). */
export async function acknowledgeAlert(caller: Caller, tenantId: string, alertId: string, deps: LedgerDeps) {
  const principal = member(caller, tenantId);
  return acknowledge(tenantId, alertId, principal.memberId, actorOf(principal), 'api', deps);
}

/** The signed link: the token names tenant, alert and member; used twice, it answers the first acknowledgement. */
export async function acknowledgeByLink(token: string, deps: LedgerDeps) {
  const claim = openAckToken(await deps.ackSecrets(), token);
  if (!claim) throw new BadRequestError('This acknowledgement link is not valid; use the link of the alert as it was sent, or the API');
  // The link is the member's credential: like its users' passwords and keys, it stops working when the member or its
  // tenant is suspended (docs/alerts.md "Acknowledgement, ledger, escalation").
  const [tenant, member] = await Promise.all([
    deps.directory.getTenant(claim.tenantId),
    deps.directory.getMember(claim.tenantId, claim.memberId),
  ]);
  if (tenant?.status !== 'active' || member?.status !== 'active')
    throw new ForbiddenError('This acknowledgement link no longer acknowledges: its member is not active; ask your tenant admin');
  const actor: AuditActor = {
    username: `member ${claim.memberId}`,
    role: 'acknowledgement-link',
    tenantId: claim.tenantId,
    memberId: claim.memberId,
  };
  return acknowledge(claim.tenantId, claim.alertId, claim.memberId, actor, 'link', deps);
}
