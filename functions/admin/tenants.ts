import { createTenant, deleteTenant, getTenant, listTenants, updateTenant } from '../../shared/core/admin/tenants';
import { adminDeps } from '../../shared/runtime/admin-deps';
import { adminRoute } from '../../shared/runtime/http';

/** /admin/tenants and /admin/tenants/{tenant} */
export const handler = adminRoute({
  GET: async (r, c) => ({
    status: 200,
    body: r.pathParameters.tenant
      ? await getTenant(r.caller, r.pathParameters.tenant, adminDeps(c))
      : await listTenants(r.caller, adminDeps(c)),
  }),
  POST: async (r, c) => ({ status: 201, body: await createTenant(r.caller, r.json, adminDeps(c)) }),
  PATCH: async (r, c) => ({ status: 200, body: await updateTenant(r.caller, r.pathParameters.tenant!, r.json, adminDeps(c)) }),
  DELETE: async (r, c) => (await deleteTenant(r.caller, r.pathParameters.tenant!, adminDeps(c)), { status: 204 }),
});
