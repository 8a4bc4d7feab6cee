import { z } from 'zod';
import { isOperator, TenantIdSchema, type Caller } from './model';
import { bounded, LIMITS } from '../text/limits';

/**
 * Groups of members inside a tenant (BRIEF, rules): `open` and `limited` groups are visible to every member,
 * `private` groups are visible but their content is for members only, and a `secret` group's very existence is
 * hidden from everyone outside it.
 */
export const GroupKindSchema = z.enum(['open', 'limited', 'private', 'secret']);

export const GroupIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1–63 lower-case letters, digits or hyphens');

export const GroupSchema = z.object({
  tenantId: TenantIdSchema,
  id: GroupIdSchema,
  title: bounded(LIMITS.name).min(1),
  description: bounded(LIMITS.description).default(''),
  kind: GroupKindSchema,
  memberIds: z.array(z.string().min(1)).default([]),
});
export type Group = z.infer<typeof GroupSchema>;

/** Whether `caller` may know that `group` exists: tenant admins and operators see all; a secret group only its members. */
export function isGroupVisibleTo(group: Group, caller: Caller): boolean {
  if (isOperator(caller)) return true;
  if (caller.tenantId !== group.tenantId) return false;
  if (caller.role === 'tenant-admin' || group.kind !== 'secret') return true;
  return group.memberIds.includes(caller.memberId);
}
