import { queryAudit, verifyAudit } from '../../shared/core/admin/audit';
import { PLATFORM_CHAIN } from '../../shared/core/audit/entry';
import { adminDeps } from '../../shared/runtime/admin-deps';
import { adminRoute } from '../../shared/runtime/http';

/** /admin/tenants/{tenant}/audit[/verify]: a tenant's chain; /admin/audit[/verify]: the platform's (operators). */
export const handler = adminRoute({
  GET: async (r, c) => {
    const chain = r.pathParameters.tenant ?? PLATFORM_CHAIN;
    const verify = /\/verify\/?$/.test(r.path);
    return { status: 200, body: verify ? await verifyAudit(r.caller, chain, adminDeps(c)) : await queryAudit(r.caller, chain, r.params, adminDeps(c)) };
  },
});
