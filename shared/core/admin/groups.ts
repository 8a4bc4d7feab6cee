import { z } from 'zod';
import { ConflictError, NotFoundError } from '../errors';
import type { Caller } from '../directory/model';
import { GroupSchema, isGroupVisibleTo, type Group } from '../directory/groups';
import { recordChange } from '../audit/record';
import { administeredTenant, existingMember, isTenantAdmin, visibleTenant } from '../policy/admin-access';
import type { AdminDeps } from './deps';
import { parseInput, parsePatch } from '../input';
import { LIMITS } from '../text/limits';

export const NewGroupSchema = GroupSchema.omit({ tenantId: true, memberIds: true })
  .extend({
    memberIds: z
      .array(z.string().min(1).max(63, 'must be at most 63 characters'))
      .max(LIMITS.groupMembers, `must hold at most ${LIMITS.groupMembers} members`)
      .optional(),
  })
  .strict();
export const GroupPatchSchema = GroupSchema.pick({ title: true, description: true, kind: true }).partial().strict();

/** Admins see the member list; members see the group and whether they are in it, not who else is. */
function view(group: Group, caller: Caller) {
  if (isTenantAdmin(caller)) return group;
  const { memberIds, ...rest } = group;
  return { ...rest, member: 'memberId' in caller && memberIds.includes(caller.memberId) };
}

/** A group the caller may not know about is the same 404 as a group that does not exist. */
async function knownGroup(caller: Caller, tenantId: string, groupId: string, deps: AdminDeps): Promise<Group> {
  const group = await deps.directory.getGroup(tenantId, groupId);
  if (!group || !isGroupVisibleTo(group, caller)) throw new NotFoundError(`No group ${groupId} in tenant ${tenantId}`);
  return group;
}

const target = (groupId: string) => ({ type: 'group', id: groupId });

export async function listGroups(caller: Caller, tenantId: string, deps: AdminDeps) {
  await visibleTenant(caller, tenantId, deps);
  const groups = await deps.directory.listGroups(tenantId);
  return { groups: groups.filter((g) => isGroupVisibleTo(g, caller)).map((g) => view(g, caller)) };
}

export async function getGroup(caller: Caller, tenantId: string, groupId: string, deps: AdminDeps) {
  await visibleTenant(caller, tenantId, deps);
  return view(await knownGroup(caller, tenantId, groupId, deps), caller);
}

export async function createGroup(caller: Caller, tenantId: string, body: unknown, deps: AdminDeps): Promise<Group> {
  await administeredTenant(caller, tenantId, deps);
  const input = parseInput(NewGroupSchema, body);
  for (const memberId of input.memberIds ?? []) await existingMember(tenantId, memberId, deps);
  const group = GroupSchema.parse({ ...input, memberIds: [...new Set(input.memberIds ?? [])], tenantId });
  if ((await deps.directory.createGroup(group)) === 'exists') throw new ConflictError(`Group ${group.id} already exists in ${tenantId}`);
  await recordChange(caller, { chain: tenantId, action: 'group.create', target: target(group.id), after: group }, deps);
  return group;
}

async function change(
  caller: Caller,
  tenantId: string,
  groupId: string,
  deps: AdminDeps,
  update: (group: Group) => Group | Promise<Group>,
): Promise<Group> {
  await administeredTenant(caller, tenantId, deps);
  const before = await knownGroup(caller, tenantId, groupId, deps);
  const after = GroupSchema.parse(await update(before));
  await deps.directory.putGroup(after);
  await recordChange(caller, { chain: tenantId, action: 'group.update', target: target(groupId), before, after }, deps);
  return after;
}

export const updateGroup = (caller: Caller, tenantId: string, groupId: string, body: unknown, deps: AdminDeps) =>
  change(caller, tenantId, groupId, deps, (group) => ({ ...group, ...parsePatch(GroupPatchSchema, body) }));

/** Membership changes take effect on the member's next TAXII request: group grants are read per request. */
export const addGroupMember = (caller: Caller, tenantId: string, groupId: string, memberId: string, deps: AdminDeps) =>
  change(caller, tenantId, groupId, deps, async (group) => {
    await existingMember(tenantId, memberId, deps);
    return { ...group, memberIds: [...new Set([...group.memberIds, memberId])] };
  });

export const removeGroupMember = (caller: Caller, tenantId: string, groupId: string, memberId: string, deps: AdminDeps) =>
  change(caller, tenantId, groupId, deps, (group) => {
    if (!group.memberIds.includes(memberId)) throw new NotFoundError(`Member ${memberId} is not in group ${groupId}`);
    return { ...group, memberIds: group.memberIds.filter((m) => m !== memberId) };
  });

/** Deleting a group deletes its grants with it, so a later group of the same id does not inherit them. */
export async function deleteGroup(caller: Caller, tenantId: string, groupId: string, deps: AdminDeps): Promise<void> {
  await administeredTenant(caller, tenantId, deps);
  const before = await knownGroup(caller, tenantId, groupId, deps);
  for (const grant of await deps.directory.grantsOfGroup(tenantId, groupId))
    await deps.directory.deleteGrant(tenantId, grant.collectionId, grant.grantee);
  await deps.directory.deleteGroup(tenantId, groupId);
  await recordChange(caller, { chain: tenantId, action: 'group.delete', target: target(groupId), before }, deps);
}
