import { z } from 'zod';
import { ConflictError } from '../errors';
import { isOperator, MemberSchema, type Caller, type Member } from '../directory/model';
import { recordChange } from '../audit/record';
import { administeredTenant, assertOwnMemberOrAdmin, existingMember, visibleTenant } from '../policy/admin-access';
import type { AdminDeps } from './deps';
import { parseInput, parsePatch } from '../input';

const MemberIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1–63 lower-case letters, digits or hyphens');

export const NewMemberSchema = MemberSchema.omit({ tenantId: true }).extend({ id: MemberIdSchema }).strict();
export const MemberPatchSchema = MemberSchema.pick({
  nameEn: true,
  nameJa: true,
  sector: true,
  tier: true,
  status: true,
  secretOptIn: true,
})
  .partial()
  .strict();

const target = (member: Member) => ({ type: 'member', id: member.id });

export async function createMember(caller: Caller, tenantId: string, body: unknown, deps: AdminDeps): Promise<Member> {
  await administeredTenant(caller, tenantId, deps);
  const member = MemberSchema.parse({ ...parseInput(NewMemberSchema, body), tenantId });
  if ((await deps.directory.createMember(member)) === 'exists')
    throw new ConflictError(`Member ${member.id} already exists in ${tenantId}`);
  await recordChange(caller, { chain: tenantId, action: 'member.create', target: target(member), after: member }, deps);
  return member;
}

export async function listMembers(caller: Caller, tenantId: string, deps: AdminDeps): Promise<{ members: Member[] }> {
  await administeredTenant(caller, tenantId, deps);
  return { members: await deps.directory.listMembers(tenantId) };
}

/** A tenant admin reads any member of its tenant; any user reads its own member. */
export async function getMember(caller: Caller, tenantId: string, memberId: string, deps: AdminDeps): Promise<Member> {
  await visibleTenant(caller, tenantId, deps);
  if (!isOperator(caller)) assertOwnMemberOrAdmin(caller, tenantId, memberId);
  return existingMember(tenantId, memberId, deps);
}

/**
 * Renames, re-tiers, suspends or expels a member. Suspension and expulsion take effect on the member's next
 * request: the authorizer checks the member's status every time it is asked.
 */
export async function updateMember(caller: Caller, tenantId: string, memberId: string, body: unknown, deps: AdminDeps): Promise<Member> {
  await administeredTenant(caller, tenantId, deps);
  const before = await existingMember(tenantId, memberId, deps);
  const after = MemberSchema.parse({ ...before, ...parsePatch(MemberPatchSchema, body) });
  await deps.directory.putMember(after);
  await recordChange(caller, { chain: tenantId, action: 'member.update', target: target(after), before, after }, deps);
  return after;
}
