import { queryAudit, verifyAudit } from '../../shared/core/admin/audit';
import { PLATFORM_CHAIN } from '../../shared/core/audit/entry';
import { adminDeps } from '../../shared/runtime/admin-deps';
import { adminRoute } from '../../shared/runtime/http';

/**
 * /admin/tenants/{tenant}/audit[/verify]: a tenant's chain; /admin/audit[/verify]: the platform's (operators); `?log=auth`
 * the chain of refused credentials beside either. This function is the verifier: it reads the log and the anchors and
 * may verify MACs, never write (infra/topology.ts).
 */
export const handler = adminRoute({
  GET: async (r, c) => {
    const chain = r.pathParameters.tenant ?? PLATFORM_CHAIN;
    const verify = /\/verify\/?$/.test(r.path);
    return {
      status: 200,
      body: verify
        ? await verifyAudit(r.caller, chain, r.params, { ...adminDeps(c), anchors: c.anchors })
        : await queryAudit(r.caller, chain, r.params, adminDeps(c)),
    };
  },
});
