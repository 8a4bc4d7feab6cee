import { isOperator, type Caller } from '../directory/model';
import { visibleTenant } from '../policy/admin-access';
import type { AdminDeps } from './deps';

/** Who the caller is, with its tenant and member (what `kyoyu status` prints). */
export async function whoAmI(caller: Caller, deps: Pick<AdminDeps, 'directory'>) {
  if (isOperator(caller)) return { username: caller.username, role: caller.role };
  const [tenant, member] = await Promise.all([
    visibleTenant(caller, caller.tenantId, deps),
    deps.directory.getMember(caller.tenantId, caller.memberId),
  ]);
  return {
    username: caller.username,
    role: caller.role,
    tenant: { id: tenant.id, nameEn: tenant.nameEn, nameJa: tenant.nameJa },
    member: member && { id: member.id, nameEn: member.nameEn, nameJa: member.nameJa },
  };
}
