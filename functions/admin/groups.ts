import {
  addGroupMember,
  createGroup,
  deleteGroup,
  getGroup,
  listGroups,
  removeGroupMember,
  updateGroup,
} from '../../shared/core/admin/groups';
import { adminDeps } from '../../shared/runtime/admin-deps';
import { adminRoute } from '../../shared/runtime/http';

/** /admin/tenants/{tenant}/groups, …/groups/{group} and …/groups/{group}/members/{member} */
export const handler = adminRoute({
  GET: async ({ caller, pathParameters: { tenant, group } }, c) => ({
    status: 200,
    body: group ? await getGroup(caller, tenant!, group, adminDeps(c)) : await listGroups(caller, tenant!, adminDeps(c)),
  }),
  POST: async (r, c) => ({ status: 201, body: await createGroup(r.caller, r.pathParameters.tenant!, r.json, adminDeps(c)) }),
  PATCH: async ({ caller, json, pathParameters: { tenant, group } }, c) => ({
    status: 200,
    body: await updateGroup(caller, tenant!, group!, json, adminDeps(c)),
  }),
  PUT: async ({ caller, pathParameters: { tenant, group, member } }, c) => ({
    status: 200,
    body: await addGroupMember(caller, tenant!, group!, member!, adminDeps(c)),
  }),
  DELETE: async ({ caller, pathParameters: { tenant, group, member } }, c) =>
    member
      ? { status: 200, body: await removeGroupMember(caller, tenant!, group!, member, adminDeps(c)) }
      : (await deleteGroup(caller, tenant!, group!, adminDeps(c)), { status: 204 }),
});
