import type { Role } from '../directory/model';
import type { CollectionAccess } from './collection-access';

/**
 * A role narrows what grants allow (BRIEF, roles): readers never write, submit-only users never read. Grants say
 * what a member organisation may do with a collection; the role says what this user of it may do.
 */
export function narrowByRole(access: CollectionAccess, role: Role): CollectionAccess {
  switch (role) {
    case 'reader':
      return { ...access, canWrite: false };
    case 'submit-only':
      return { ...access, canRead: false, clearance: 'clear', canReceiveSamples: false };
    default:
      return access;
  }
}

/** Roles that moderate a tenant. The tenant admin (the secretariat) can make itself moderator anyway. */
export const isModeratingRole = (role: Role): boolean => role === 'moderator' || role === 'tenant-admin';

/** Who may DELETE an object (TAXII 2.1 §5.7): its provider, or the tenant's moderators. */
export function mayDelete(role: Role, memberId: string, providerMemberIds: readonly string[]): boolean {
  if (isModeratingRole(role)) return true;
  return role !== 'reader' && providerMemberIds.length > 0 && providerMemberIds.every((p) => p === memberId);
}
