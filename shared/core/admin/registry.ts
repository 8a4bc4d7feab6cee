import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../text/canonical-json';
import { recordChange } from '../audit/record';
import type { Caller } from '../directory/model';
import { emptyRegistry, listsOf, type MemberRegistry, type RegistryLists, type RegistryProposal } from '../directory/registry';
import { ConflictError, NotFoundError } from '../errors';
import { registryAccess } from '../policy/admin-access';
import type { AdminDeps } from './deps';
import { parseInput } from '../input';
import { registryEntries, RegistryInputSchema } from './registry-input';

/**
 * A member's identifier registry over the admin API. The active registry is what the anonymize stage strips; a
 * change by the member's own moderator or analyst waits as a proposal (one per member, the newest wins) until a
 * tenant admin approves or rejects it, because every entry silences data for the whole tenant
 * (policy/admin-access.ts `registryAccess`). A tenant admin's PUT takes effect at once.
 *
 * The audit log records what happened and a fingerprint (entry count, SHA-256 of the canonical lists), never the
 * identifiers: the log is readable by people the registry itself is hidden from.
 */

/** A proposal as callers see it: the proposed lists, who proposed them and when. */
export type PendingRegistry = RegistryLists & Pick<RegistryProposal, 'proposedAt' | 'proposedBy'>;
export type RegistryView = MemberRegistry & { pending?: PendingRegistry };
export type RegistryPutResult = { kind: 'replaced'; registry: MemberRegistry } | { kind: 'proposed'; proposal: PendingRegistry };

/** Optional body of approve and reject: which proposal the reviewer looked at. */
export const RegistryReviewSchema = z.object({ proposedAt: z.string().min(1).optional() }).strict();

/** What the audit log keeps of a registry: enough to tell two versions apart, nothing that names the member. */
export function registryFingerprint(lists: RegistryLists): { entries: number; digest: string } {
  const canonical = listsOf(lists);
  return { entries: registryEntries(canonical), digest: createHash('sha256').update(canonicalJson(canonical)).digest('hex') };
}

const pendingOf = (proposal: RegistryProposal): PendingRegistry => ({
  ...listsOf(proposal),
  proposedAt: proposal.proposedAt,
  proposedBy: proposal.proposedBy,
});

async function activeRegistry(tenantId: string, memberId: string, deps: AdminDeps): Promise<MemberRegistry> {
  return (await deps.directory.getRegistry(tenantId, memberId)) ?? emptyRegistry(tenantId, memberId);
}

/** The member's active identifiers, and the change waiting for a tenant admin, if any. */
export async function getRegistry(caller: Caller, tenantId: string, memberId: string, deps: AdminDeps): Promise<RegistryView> {
  await registryAccess(caller, tenantId, memberId, 'read', deps);
  const [active, proposal] = await Promise.all([
    activeRegistry(tenantId, memberId, deps),
    deps.directory.getRegistryProposal(tenantId, memberId),
  ]);
  return proposal ? { ...active, pending: pendingOf(proposal) } : active;
}

/**
 * Replaces the whole registry (PUT semantics), values normalised (admin/registry-input.ts): at once for a tenant
 * admin, as a proposal replacing any earlier one for the member's own moderators and analysts.
 */
export async function putRegistry(
  caller: Caller,
  tenantId: string,
  memberId: string,
  body: unknown,
  deps: AdminDeps,
): Promise<RegistryPutResult> {
  await registryAccess(caller, tenantId, memberId, 'write', deps);
  const lists = parseInput(RegistryInputSchema, body);
  const target = { type: 'registry', id: memberId };
  if (caller.role === 'tenant-admin') {
    const before = await activeRegistry(tenantId, memberId, deps);
    const registry: MemberRegistry = { ...lists, tenantId, memberId };
    await deps.directory.putRegistry(registry);
    await recordChange(
      caller,
      { chain: tenantId, action: 'registry.update', target, before: registryFingerprint(before), after: registryFingerprint(registry) },
      deps,
    );
    return { kind: 'replaced', registry };
  }
  const previous = await deps.directory.getRegistryProposal(tenantId, memberId);
  // Strictly after the proposal it replaces, so that `proposedAt` names one proposal even within a millisecond.
  const proposedAt = new Date(Math.max(deps.now(), previous ? Date.parse(previous.proposedAt) + 1 : 0)).toISOString();
  const proposal: RegistryProposal = {
    ...lists,
    tenantId,
    memberId,
    proposedAt,
    proposedBy: { username: caller.username, role: caller.role },
  };
  await deps.directory.putRegistryProposal(proposal);
  await recordChange(
    caller,
    { chain: tenantId, action: 'registry.propose', target, after: { ...registryFingerprint(proposal), proposedAt } },
    deps,
  );
  return { kind: 'proposed', proposal: pendingOf(proposal) };
}

/** The proposal a review is about: the waiting one, which must be the one the reviewer names, if they name one. */
async function proposalUnderReview(tenantId: string, memberId: string, body: unknown, deps: AdminDeps): Promise<RegistryProposal> {
  const { proposedAt } = parseInput(RegistryReviewSchema, body ?? {});
  const proposal = await deps.directory.getRegistryProposal(tenantId, memberId);
  if (!proposal) throw new NotFoundError(`No registry change of member ${memberId} awaits review`);
  if (proposedAt !== undefined && proposedAt !== proposal.proposedAt) throw replaced(memberId, proposedAt);
  return proposal;
}

const replaced = (memberId: string, proposedAt: string): ConflictError =>
  new ConflictError(
    `The registry change of member ${memberId} proposed at ${proposedAt} was replaced by a newer one; read the registry and review that`,
  );

/** A tenant admin makes the waiting proposal the active registry (409 when a newer proposal replaced the one named). */
export async function approveRegistry(
  caller: Caller,
  tenantId: string,
  memberId: string,
  body: unknown,
  deps: AdminDeps,
): Promise<MemberRegistry> {
  await registryAccess(caller, tenantId, memberId, 'review', deps);
  const proposal = await proposalUnderReview(tenantId, memberId, body, deps);
  const before = await activeRegistry(tenantId, memberId, deps);
  if ((await deps.directory.activateRegistryProposal(proposal)) === 'replaced') throw replaced(memberId, proposal.proposedAt);
  await recordChange(
    caller,
    {
      chain: tenantId,
      action: 'registry.approve',
      target: { type: 'registry', id: memberId },
      before: registryFingerprint(before),
      after: { ...registryFingerprint(proposal), proposedAt: proposal.proposedAt, proposedBy: proposal.proposedBy.username },
    },
    deps,
  );
  return { ...listsOf(proposal), tenantId, memberId };
}

/** A tenant admin discards the waiting proposal; the active registry stays as it is (and is the answer). */
export async function rejectRegistry(
  caller: Caller,
  tenantId: string,
  memberId: string,
  body: unknown,
  deps: AdminDeps,
): Promise<MemberRegistry> {
  await registryAccess(caller, tenantId, memberId, 'review', deps);
  const proposal = await proposalUnderReview(tenantId, memberId, body, deps);
  if ((await deps.directory.discardRegistryProposal(tenantId, memberId, proposal.proposedAt)) === 'replaced')
    throw replaced(memberId, proposal.proposedAt);
  await recordChange(
    caller,
    {
      chain: tenantId,
      action: 'registry.reject',
      target: { type: 'registry', id: memberId },
      before: { ...registryFingerprint(proposal), proposedAt: proposal.proposedAt, proposedBy: proposal.proposedBy.username },
    },
    deps,
  );
  return activeRegistry(tenantId, memberId, deps);
}
