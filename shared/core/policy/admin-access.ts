import { isModeratingRole } from './roles';
import { ForbiddenError, NotFoundError } from '../errors';
import { isOperator, type Caller, type Member, type Principal, type Tenant } from '../directory/model';
import type { DirectoryStore } from '../ports';

/**
 * Who may use which part of the admin API. Platform operators create, suspend and delete tenants and may act in
 * any tenant (to set up its first admin). A tenant admin manages its own tenant only: another tenant answers 404,
 * word for word like one that does not exist, as TAXII API roots do. Other roles only read what concerns them
 * and edit their own member's identifier registry; readers and submit-only users never change anything.
 */

export const tenantNotFound = (tenantId: string): NotFoundError => new NotFoundError(`No tenant ${tenantId} for these credentials`);

export function assertOperator(caller: Caller, what: string): void {
  if (!isOperator(caller)) throw new ForbiddenError(`Only platform operators may ${what}`);
}

/** The tenant a request names, if the caller belongs to it (or operates the platform); deleted tenants are gone. */
export async function visibleTenant(caller: Caller, tenantId: string, deps: { directory: DirectoryStore }): Promise<Tenant> {
  if (!isOperator(caller) && caller.tenantId !== tenantId) throw tenantNotFound(tenantId);
  const tenant = await deps.directory.getTenant(tenantId);
  if (!tenant || tenant.status === 'deleted') throw tenantNotFound(tenantId);
  return tenant;
}

export const isTenantAdmin = (caller: Caller): boolean => isOperator(caller) || caller.role === 'tenant-admin';

/** As visibleTenant, and the caller must administer it. */
export async function administeredTenant(caller: Caller, tenantId: string, deps: { directory: DirectoryStore }): Promise<Tenant> {
  const tenant = await visibleTenant(caller, tenantId, deps);
  if (!isTenantAdmin(caller)) throw new ForbiddenError(`Only tenant admins of ${tenantId} may do this (your role is ${caller.role})`);
  return tenant;
}

/** The one 404 for a member: missing, or another member's resources asked for by a user that is not a tenant admin. */
export const memberNotFound = (tenantId: string, memberId: string): NotFoundError =>
  new NotFoundError(`No member ${memberId} in tenant ${tenantId}`);

export async function existingMember(tenantId: string, memberId: string, deps: { directory: DirectoryStore }): Promise<Member> {
  const member = await deps.directory.getMember(tenantId, memberId);
  if (!member) throw memberNotFound(tenantId, memberId);
  return member;
}

/**
 * Another member's resources (its record, registry, subscriptions) answer a user that is not a tenant admin with the
 * 404 of a member that does not exist, word for word, before anything is read: whether a member id exists is not
 * something such a user learns from the admin API (tenant admins list the members). Checks that do not depend on
 * the member (the caller's role) come before it, so they answer alike for every member id.
 */
export function assertOwnMemberOrAdmin(caller: Principal, tenantId: string, memberId: string): void {
  if (caller.role !== 'tenant-admin' && caller.memberId !== memberId) throw memberNotFound(tenantId, memberId);
}

/** Roles that may change what concerns their own member (its registry). */
const WRITING_ROLES: readonly Principal['role'][] = ['tenant-admin', 'moderator', 'analyst'];

/**
 * A member's identifier registry says who the victim is, so only the member itself and its tenant's admins read
 * it; not other members, not operators. Readers and submit-only users of the member may read but not edit it.
 *
 * What a member's moderator or analyst writes is a proposal: everything in a registry is withheld from the whole
 * tenant, so a change takes effect only once a tenant admin reviews it (`review`: approve or reject). Operators
 * review nothing here: approving means reading the registry.
 */
export async function registryAccess(
  caller: Caller,
  tenantId: string,
  memberId: string,
  mode: 'read' | 'write' | 'review',
  deps: { directory: DirectoryStore },
): Promise<Member> {
  if (isOperator(caller)) throw new ForbiddenError('A member registry is readable only by the member and its tenant admins');
  await visibleTenant(caller, tenantId, deps);
  if (caller.role !== 'tenant-admin' && mode === 'review')
    throw new ForbiddenError(`Only tenant admins of ${tenantId} may approve or reject registry changes (your role is ${caller.role})`);
  assertOwnMemberOrAdmin(caller, tenantId, memberId);
  const member = await existingMember(tenantId, memberId, deps);
  if (mode === 'write' && !WRITING_ROLES.includes(caller.role))
    throw new ForbiddenError(`Your role (${caller.role}) may read but not change the registry`);
  return member;
}

/** A member acting on its own tenant only: another tenant is the 404 of a tenant that does not exist. */
export function assertOwnTenant(principal: Principal, tenantId: string): void {
  if (principal.tenantId !== tenantId) throw tenantNotFound(tenantId);
}

/** Moderation acts (the queue, takedowns, posting): moderators and tenant admins of the tenant, saying what was refused. */
export function assertModeratorOf(principal: Principal, tenantId: string, refused: string): void {
  assertOwnTenant(principal, tenantId);
  if (!isModeratingRole(principal.role)) throw new ForbiddenError(`Only moderators and tenant admins of this tenant ${refused}`);
}
