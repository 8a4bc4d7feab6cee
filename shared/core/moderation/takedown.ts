import { z } from 'zod';
import { parseInput } from '../input';
import { appendAudit } from '../audit/chain';
import { actorOf, type AuditDeps } from '../audit/record';
import type { Principal } from '../directory/model';
import { BadRequestError, ConflictError, NotFoundError } from '../errors';
import { publishVersions } from '../pipeline/commit';
import { assertModeratorOf, assertOwnTenant } from '../policy/admin-access';
import type { DirectoryStore, ObjectStore, TakedownStore } from '../ports';
import { isObservableType } from '../stix/properties';
import type { StixObject } from '../taxii/model';
import { handledVersion, latestVisibleTo } from './object-access';
import { redactionProblems } from './redaction';

/**
 * Takedown and correction requests (issue #14, point 4; the design guide's requirement 29): any recipient of an item
 * asks the moderators to take it down or correct it, about the latest version it reads. The provider never learns who
 * asked: no user of the provider's member handles the request (object-access.ts); the requester learns the outcome.
 * A takedown publishes a revocation (`revoked: true`) and a correction a redacted version, each a new version that
 * TAXII pollers receive as the latest, recorded as a moderator's correction.
 */
export const TAKEDOWN_KINDS = ['personal-data', 'wrong-attribution', 'victim-identifiable', 'incorrect', 'other'] as const;

export const TakedownRequestSchema = z.object({
  tenantId: z.string(),
  requestId: z.string(),
  collectionId: z.string(),
  objectId: z.string(),
  kind: z.enum(TAKEDOWN_KINDS),
  details: z.string(),
  requester: z.object({ memberId: z.string(), username: z.string() }),
  requestedAt: z.string(),
  state: z.enum(['open', 'revoked', 'corrected', 'dismissed']),
  revision: z.number().int().min(1),
  outcome: z.object({ at: z.string(), by: z.string(), note: z.string().optional(), version: z.string().optional() }).optional(),
});
export type TakedownRequest = z.infer<typeof TakedownRequestSchema>;

export interface TakedownDeps extends AuditDeps {
  directory: DirectoryStore;
  objects: ObjectStore;
  takedowns: TakedownStore;
  newId: () => string;
}

export const NewTakedownInput = z
  .object({
    collectionId: z.string().min(1).max(64),
    objectId: z.string().min(1).max(300),
    kind: z.enum(TAKEDOWN_KINDS),
    details: z.string().min(1).max(4000),
  })
  .strict();

export const TakedownDecisionInput = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('revoke'), note: z.string().max(4000).optional() }).strict(),
  z
    .object({
      decision: z.literal('correct'),
      object: z.looseObject({ type: z.string(), id: z.string() }),
      note: z.string().max(4000).optional(),
    })
    .strict(),
  z.object({ decision: z.literal('dismiss'), note: z.string().min(1).max(4000) }).strict(),
]);

/** What the requester sees of its requests: never the moderator's name. */
const forRequester = ({ requester: _r, revision: _v, outcome, ...rest }: TakedownRequest) => ({
  ...rest,
  ...(outcome ? { outcome: { at: outcome.at, note: outcome.note } } : {}),
});

export async function requestTakedown(principal: Principal, tenantId: string, input: unknown, deps: TakedownDeps) {
  assertOwnTenant(principal, tenantId);
  const parsed = parseInput(NewTakedownInput, input);
  if (!(await latestVisibleTo(principal, tenantId, parsed, deps))) {
    throw new NotFoundError(`No object ${parsed.objectId} in collection ${parsed.collectionId} for these credentials`);
  }
  const requestedAt = new Date(deps.now()).toISOString();
  const request: TakedownRequest = {
    tenantId,
    requestId: `${requestedAt}~${deps.newId()}`,
    ...parsed,
    requester: { memberId: principal.memberId, username: principal.username },
    requestedAt,
    state: 'open',
    revision: 1,
  };
  await deps.takedowns.create(request);
  await appendAudit(
    tenantId,
    {
      actor: actorOf(principal),
      memberId: principal.memberId,
      action: 'takedown.request',
      // Not the object: the provider's tenant admins read the audit log, and never learn who asked (object-access.ts).
      target: { type: 'takedown', id: request.requestId },
      details: { kind: parsed.kind },
    },
    deps,
  );
  return forRequester(request);
}

export async function myTakedowns(principal: Principal, tenantId: string, deps: TakedownDeps) {
  assertOwnTenant(principal, tenantId);
  return { requests: (await deps.takedowns.ofRequester(tenantId, principal.memberId)).map(forRequester) };
}

const assertModerator = (principal: Principal, tenantId: string) => assertModeratorOf(principal, tenantId, 'handle takedown requests');

/** Open requests the moderator may handle (object-access.ts rules 2 and 3), with the object's latest version. */
export async function openTakedowns(principal: Principal, tenantId: string, deps: TakedownDeps) {
  assertModerator(principal, tenantId);
  const requests = await deps.takedowns.open(tenantId);
  const withObjects = await Promise.all(
    requests.map(async (request) => ({
      request,
      latest: await handledVersion(principal, tenantId, request, deps),
    })),
  );
  return { requests: withObjects.filter((r) => r.latest).map(({ request, latest }) => ({ ...request, object: latest!.object })) };
}

const later = (version: string, nowMs: number): string => new Date(Math.max(nowMs, Date.parse(version) + 1)).toISOString();

export async function decideTakedown(principal: Principal, tenantId: string, requestId: string, input: unknown, deps: TakedownDeps) {
  assertModerator(principal, tenantId);
  const decision = parseInput(TakedownDecisionInput, input);
  const request = await deps.takedowns.get(tenantId, requestId);
  const latest = request && (await handledVersion(principal, tenantId, request, deps));
  if (!request || !latest) throw new NotFoundError(`No takedown request ${requestId} for these credentials`);
  if (request.state !== 'open') throw new BadRequestError(`Takedown request ${requestId} was already decided: ${request.state}`);

  // An observable has no versions of its own (no `modified`, no `revoked`, STIX 2.1 §6): it is corrected in place of
  // its provider's copy, and taken down by correcting what refers to it.
  const observable = isObservableType(latest.object.type);
  if (observable && decision.decision === 'revoke')
    throw new BadRequestError(`${request.objectId} is an observable: STIX has no revocation for it; correct it instead`);
  const bumped = (object: Record<string, unknown>) =>
    (observable ? object : { ...object, modified: later(latest.version, deps.now()) }) as StixObject;
  let published: StixObject | undefined;
  if (decision.decision === 'revoke') published = bumped({ ...latest.object, revoked: true });
  if (decision.decision === 'correct') {
    const problems = redactionProblems(latest.object, { ...decision.object, modified: latest.object.modified });
    if (problems.length > 0)
      throw new BadRequestError(`Not a redaction of the latest version: ${problems.map((p) => `${p.path} ${p.problem}`).join('; ')}`);
    published = bumped(decision.object);
  }
  const nowIso = new Date(deps.now()).toISOString();
  const state = decision.decision === 'revoke' ? 'revoked' : decision.decision === 'correct' ? 'corrected' : 'dismissed';
  const decided: TakedownRequest = {
    ...request,
    state,
    revision: request.revision + 1,
    outcome: {
      at: nowIso,
      by: principal.username,
      ...(decision.note ? { note: decision.note } : {}),
      ...(published && typeof published.modified === 'string' ? { version: published.modified } : {}),
    },
  };
  if ((await deps.takedowns.update(decided, request.revision)) === 'stale')
    throw new ConflictError(`Takedown request ${requestId} was decided meanwhile; reload it`);
  if (published) {
    await publishVersions(tenantId, request.collectionId, [{ object: published, access: latest.access, submittedAt: nowIso }], true, deps);
  }
  await appendAudit(
    tenantId,
    {
      actor: actorOf(principal),
      memberId: principal.memberId,
      action: `takedown.${state}`,
      target: { type: 'object', id: request.objectId },
      // Not the request id, which the requester's own entry names: the two together would say who asked.
      details: { collectionId: request.collectionId, ...(published ? { version: published.modified } : {}) },
    },
    deps,
  );
  return decided;
}
