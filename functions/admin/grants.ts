import { deleteGrant, listGrants, putGrant } from '../../shared/core/admin/grants';
import { adminDeps } from '../../shared/runtime/admin-deps';
import { adminRoute, type AdminRequest } from '../../shared/runtime/http';

/** DELETE names the grant in the body, or as ?collection=…&member=… / &group=… for clients that send no DELETE body. */
function grantKey({ json, params }: AdminRequest): unknown {
  if (json !== undefined) return json;
  const grantee = params.group !== undefined ? { kind: 'group', groupId: params.group } : { kind: 'member', memberId: params.member };
  return { collectionId: params.collection, grantee };
}

/** /admin/tenants/{tenant}/grants: list (filter ?collection, ?member, ?group), PUT one, DELETE one. */
export const handler = adminRoute({
  GET: async (r, c) => ({ status: 200, body: await listGrants(r.caller, r.pathParameters.tenant!, r.params, adminDeps(c)) }),
  PUT: async (r, c) => ({ status: 200, body: await putGrant(r.caller, r.pathParameters.tenant!, r.json, adminDeps(c)) }),
  DELETE: async (r, c) => (await deleteGrant(r.caller, r.pathParameters.tenant!, grantKey(r), adminDeps(c)), { status: 204 }),
});
