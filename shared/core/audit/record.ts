import { isOperator, type Caller, type Principal } from '../directory/model';
import { appendAudit, type AppendDeps } from './chain';
import { canonicalJson } from '../text/canonical-json';
import { authChainOf, PLATFORM_CHAIN, type AuditActor, type AuditEntry } from './entry';
import type { AuditEvent } from './events';

/**
 * Synchronous appends (recordChange, recordOriginalsRead, recordDelete, files/audit.ts) are for acts that must be on record before
 * the caller is answered: admin changes (a grant nobody can later show was made is the very harm the log prevents),
 * and disclosures of what a provider submitted before anonymisation. They are few. Reads and refused credentials are
 * many and go through the audit queue as events (readEvent, authFailureEvent; events.ts).
 */
export type AuditDeps = AppendDeps;

/** When and under which id an event happened. */
export interface EventStamp {
  id: string;
  nowMs: number;
}

export function actorOf(caller: Caller): AuditActor {
  return isOperator(caller)
    ? { username: caller.username, role: caller.role }
    : { username: caller.username, role: caller.role, tenantId: caller.tenantId, memberId: caller.memberId };
}

/** Never put a secret's hash into the log, even a slow one. */
function withoutSecrets(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const { passwordHash: _p, secretHash: _s, ...rest } = value as Record<string, unknown>;
  return rest;
}

/**
 * Records an admin change in the tenant's chain (or the platform's), with the state before and after. A change
 * that changes nothing (a repeated PUT) is not recorded.
 */
export async function recordChange(
  caller: Caller,
  change: { chain: string; action: string; target: { type: string; id: string }; before?: unknown; after?: unknown },
  deps: AuditDeps,
): Promise<void> {
  const before = withoutSecrets(change.before);
  const after = withoutSecrets(change.after);
  if (change.before !== undefined && change.after !== undefined && canonicalJson(before) === canonicalJson(after)) return;
  await appendAudit(
    change.chain,
    {
      actor: actorOf(caller),
      memberId: isOperator(caller) ? undefined : caller.memberId,
      action: change.action,
      target: change.target,
      before,
      after,
    },
    deps,
  );
}

/** A member read a collection (TAXII GET objects, manifest, object, versions): which one, how many objects. */
export function readEvent(
  principal: Principal,
  read: { collectionId: string; endpoint: string; objects: number },
  stamp: EventStamp,
): AuditEvent {
  return {
    id: stamp.id,
    chain: principal.tenantId,
    at: new Date(stamp.nowMs).toISOString(),
    actor: actorOf(principal),
    memberId: principal.memberId,
    action: 'taxii.read',
    target: { type: 'collection', id: read.collectionId },
    details: { endpoint: read.endpoint, objects: read.objects },
  };
}

/** Someone read what a provider submitted before anonymisation: which object, which versions. */
export function recordOriginalsRead(
  principal: Principal,
  read: { collectionId: string; objectId: string; versions: string[] },
  deps: AuditDeps,
): Promise<AuditEntry> {
  return appendAudit(
    principal.tenantId,
    {
      actor: actorOf(principal),
      memberId: principal.memberId,
      action: 'taxii.read-originals',
      target: { type: 'object', id: read.objectId },
      details: { collectionId: read.collectionId, versions: read.versions },
    },
    deps,
  );
}

/** A member deleted versions of an object (TAXII DELETE, TAXII 2.1 §5.7): which object, which versions. */
export function recordDelete(
  principal: Principal,
  deletion: { collectionId: string; objectId: string; versions: string[] },
  deps: AuditDeps,
): Promise<AuditEntry> {
  return appendAudit(
    principal.tenantId,
    {
      actor: actorOf(principal),
      memberId: principal.memberId,
      action: 'taxii.delete',
      target: { type: 'object', id: deletion.objectId },
      details: { collectionId: deletion.collectionId, versions: deletion.versions },
    },
    deps,
  );
}

/**
 * Credentials were refused: filed in the auth chain of the tenant of the user or key when known, else the platform's
 * (entry.ts authChainOf).
 */
export function authFailureEvent(
  attempt: { username?: string; tenantId?: string; memberId?: string },
  reason: string,
  source: { ip?: string },
  stamp: EventStamp,
): AuditEvent {
  // A JSON round trip drops the undefined ids of an unknown user, as the queue will.
  const actor = JSON.parse(
    JSON.stringify({
      username: attempt.username ?? '(none)',
      role: 'unauthenticated',
      tenantId: attempt.tenantId,
      memberId: attempt.memberId,
    }),
  ) as AuditActor;
  return {
    id: stamp.id,
    chain: authChainOf(attempt.tenantId ?? PLATFORM_CHAIN),
    at: new Date(stamp.nowMs).toISOString(),
    actor,
    ...(attempt.memberId ? { memberId: attempt.memberId } : {}),
    action: 'auth.failure',
    details: { reason, ...(source.ip ? { sourceIp: source.ip } : {}) },
  };
}
