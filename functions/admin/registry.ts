import { getRegistry, putRegistry } from '../../shared/core/admin/registry';
import { adminDeps } from '../../shared/runtime/admin-deps';
import { adminRoute } from '../../shared/runtime/http';

/** …/members/{member}/registry: the member's identifiers, for the anonymize stage. */
export const handler = adminRoute({
  GET: async ({ caller, pathParameters: { tenant, member } }, c) => ({ status: 200, body: await getRegistry(caller, tenant!, member!, adminDeps(c)) }),
  PUT: async ({ caller, json, pathParameters: { tenant, member } }, c) => ({ status: 200, body: await putRegistry(caller, tenant!, member!, json, adminDeps(c)) }),
});
