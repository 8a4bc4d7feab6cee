import { isOperator, type Caller, type Principal } from '../directory/model';
import type { AuditStore } from '../ports';
import { appendAudit, canonicalJson } from './chain';
import { PLATFORM_CHAIN, type AuditActor, type AuditEntry } from './entry';

export interface AuditDeps {
  audit: AuditStore;
  now: () => number;
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
export function recordRead(principal: Principal, read: { collectionId: string; endpoint: string; objects: number }, deps: AuditDeps): Promise<AuditEntry> {
  return appendAudit(
    principal.tenantId,
    {
      actor: actorOf(principal),
      memberId: principal.memberId,
      action: 'taxii.read',
      target: { type: 'collection', id: read.collectionId },
      details: { endpoint: read.endpoint, objects: read.objects },
    },
    deps,
  );
}

/** Someone read what a provider submitted before anonymisation: which object, which versions. */
export function recordOriginalsRead(principal: Principal, read: { collectionId: string; objectId: string; versions: string[] }, deps: AuditDeps): Promise<AuditEntry> {
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
export function recordDelete(principal: Principal, deletion: { collectionId: string; objectId: string; versions: string[] }, deps: AuditDeps): Promise<AuditEntry> {
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

/** Credentials were refused: filed under the tenant of the user or key when known, else the platform. */
export function recordAuthFailure(
  attempt: { username?: string; tenantId?: string; memberId?: string },
  reason: string,
  source: { ip?: string },
  deps: AuditDeps,
): Promise<AuditEntry> {
  return appendAudit(
    attempt.tenantId ?? PLATFORM_CHAIN,
    {
      actor: { username: attempt.username ?? '(none)', role: 'unauthenticated', tenantId: attempt.tenantId, memberId: attempt.memberId },
      memberId: attempt.memberId,
      action: 'auth.failure',
      details: { reason, ...(source.ip ? { sourceIp: source.ip } : {}) },
    },
    deps,
  );
}
