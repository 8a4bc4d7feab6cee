import { createKey, listKeys, revokeKey, rotateKey, updateKey } from '../../shared/core/admin/credentials';
import { adminDeps } from '../../shared/runtime/admin-deps';
import { adminRoute } from '../../shared/runtime/http';

/** …/members/{member}/keys, …/keys/{keyId} and …/keys/{keyId}/rotate. Key secrets are in the answer once. */
export const handler = adminRoute({
  GET: async ({ caller, pathParameters: { tenant, member } }, c) => ({
    status: 200,
    body: await listKeys(caller, tenant!, member!, adminDeps(c)),
  }),
  POST: async ({ caller, json, pathParameters: { tenant, member, keyId } }, c) =>
    keyId
      ? { status: 200, body: await rotateKey(caller, tenant!, member!, keyId, json, adminDeps(c)) }
      : { status: 201, body: await createKey(caller, tenant!, member!, json, adminDeps(c)) },
  PATCH: async ({ caller, json, pathParameters: { tenant, member, keyId } }, c) => ({
    status: 200,
    body: await updateKey(caller, tenant!, member!, keyId!, json, adminDeps(c)),
  }),
  DELETE: async ({ caller, pathParameters: { tenant, member, keyId } }, c) => (
    await revokeKey(caller, tenant!, member!, keyId!, adminDeps(c)), { status: 204 }
  ),
});
