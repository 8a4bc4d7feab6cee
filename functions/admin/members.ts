import { createMember, getMember, listMembers, updateMember } from '../../shared/core/admin/members';
import { adminDeps } from '../../shared/runtime/admin-deps';
import { adminRoute } from '../../shared/runtime/http';

/** /admin/tenants/{tenant}/members and …/members/{member} */
export const handler = adminRoute({
  GET: async ({ caller, pathParameters: { tenant, member } }, c) => ({
    status: 200,
    body: member ? await getMember(caller, tenant!, member, adminDeps(c)) : await listMembers(caller, tenant!, adminDeps(c)),
  }),
  POST: async (r, c) => ({ status: 201, body: await createMember(r.caller, r.pathParameters.tenant!, r.json, adminDeps(c)) }),
  PATCH: async (r, c) => ({
    status: 200,
    body: await updateMember(r.caller, r.pathParameters.tenant!, r.pathParameters.member!, r.json, adminDeps(c)),
  }),
});
