import { z } from 'zod';
import { BadRequestError, ForbiddenError, NotFoundError } from '../errors';
import { isOperator, type Caller, type Principal } from '../directory/model';
import { assertOwnTenant } from '../policy/admin-access';
import { canSee } from '../policy/visibility';
import type { DirectoryStore, ObjectStore } from '../ports';
import { parseInput } from '../input';
import { readerViews } from '../taxii/collections';
import { openAckToken } from './ack-token';
import type { AlertRecord, RecipientRecord } from './model';
import type { AlertLedger } from './ports';
import { appendAudit, type AppendDeps } from '../audit/chain';
import type { AuditActor } from '../audit/entry';
import { actorOf } from '../audit/record';

/**
 * Reading the ledger and acknowledging (issue #16 §6). Who sees what:
 * 1. A recipient: the alert as it was sent to it, and its own deliveries and acknowledgement, for as long as the
 *    ledger keeps it (it received the alert; losing its grant later does not unsay that).
 * 2. Tenant admins: the alerts about versions they may read now, by the TAXII read rules (a read grant on the
 *    collection, `canSee`: clearance, TLP:RED's named recipients, the secret opt-in), with counts and each
 *    recipient's record. An alert about a version they may not read is, for them, an alert that does not exist:
 *    absent from the listing (which reads on past it, so a page is as full as it would be without it) and the 404
 *    of a missing alert — unless rule 1 or 3 shows them part of it. Decided: administering the tenant is not a
 *    read grant; the secretariat reads TLP:RED only when named, as every member does (docs/alerts.md).
 * 3. The provider: counts only — how many members received and acknowledged, never which.
 * 4. Nobody else learns the alert exists (one 404 for missing and hidden).
 * No view names the provider.
 */

export interface LedgerDeps extends AppendDeps {
  ledger: AlertLedger;
  /** The ledger views read grants and members; suspension ends acknowledgement by link at once. */
  directory: DirectoryStore;
  objects: Pick<ObjectStore, 'versionsOf'>;
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

/** Of `alerts`, those whose version `principal` may read now (rule 2): what a TAXII GET of it would answer. */
async function readableAlerts(principal: Principal, alerts: readonly AlertRecord[], deps: LedgerDeps): Promise<Set<string>> {
  const viewOf = await readerViews(principal, principal.tenantId, deps);
  const readable = alerts.filter((a) => viewOf(a.collectionId).access.canRead);
  const objects = new Map(readable.map((a) => [`${a.collectionId}/${a.objectId}`, a]));
  const versions = new Map(
    await Promise.all(
      [...objects].map(async ([key, a]) => [key, await deps.objects.versionsOf(principal.tenantId, a.collectionId, a.objectId)] as const),
    ),
  );
  return new Set(
    readable
      .filter((a) => {
        const version = versions.get(`${a.collectionId}/${a.objectId}`)?.find((v) => v.version === a.version);
        return version !== undefined && canSee(viewOf(a.collectionId).reader, version);
      })
      .map((a) => a.alertId),
  );
}

/**
 * A tenant admin's listing (rule 2): newest first, reading on past the alerts it may not read until the page is
 * full or the ledger ends, so that a hidden alert neither shows nor shortens the page.
 */
async function adminListing(principal: Principal, tenantId: string, limit: number, deps: LedgerDeps) {
  const shown: AlertRecord[] = [];
  const mine = new Map<string, RecipientRecord>();
  let before: AlertRecord | undefined;
  while (shown.length < limit) {
    const batch = await deps.ledger.list(tenantId, limit, before);
    if (batch.length === 0) break;
    const readable = await readableAlerts(principal, batch, deps);
    for (const alert of batch) {
      if (readable.has(alert.alertId)) shown.push(alert);
      else if (alert.recipients.includes(principal.memberId)) {
        const own = await deps.ledger.recipient(tenantId, alert.alertId, principal.memberId);
        if (own) mine.set(alert.alertId, own), shown.push(alert);
      }
    }
    before = batch.at(-1);
  }
  return {
    alerts: await Promise.all(
      shown.slice(0, limit).map(async (a) => {
        const own = mine.get(a.alertId);
        return own ? recipientView(a, own) : { ...view(a), counts: countsOf(await deps.ledger.recipients(tenantId, a.alertId)) };
      }),
    ),
  };
}

const recipientView = (alert: AlertRecord, own: RecipientRecord) => ({
  ...view(alert),
  deliveries: Object.values(own.deliveries),
  ...(own.acknowledged ? { acknowledged: own.acknowledged } : {}),
});

export async function listAlerts(caller: Caller, tenantId: string, query: unknown, deps: LedgerDeps) {
  const principal = member(caller, tenantId);
  const { limit } = parseInput(LimitSchema, query ?? {}, 'query');
  if (principal.role === 'tenant-admin') return adminListing(principal, tenantId, limit, deps);
  const mine = await deps.ledger.ofMember(tenantId, principal.memberId, limit);
  return { alerts: mine.map(({ alert, recipient }) => recipientView(alert, recipient)) };
}

export async function showAlert(caller: Caller, tenantId: string, alertId: string, deps: LedgerDeps) {
  const principal = member(caller, tenantId);
  const alert = await deps.ledger.get(tenantId, alertId);
  if (!alert) throw notFound(alertId);
  if (principal.role === 'tenant-admin' && (await readableAlerts(principal, [alert], deps)).has(alertId)) {
    const recipients = await deps.ledger.recipients(tenantId, alertId);
    return { ...view(alert), counts: countsOf(recipients), recipients };
  }
  const own = await deps.ledger.recipient(tenantId, alertId, principal.memberId);
  if (own) return recipientView(alert, own);
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
