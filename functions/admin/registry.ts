import { approveRegistry, getRegistry, putRegistry, rejectRegistry } from '../../shared/core/admin/registry';
import { NotFoundError } from '../../shared/core/errors';
import { adminDeps } from '../../shared/runtime/admin-deps';
import { adminRoute } from '../../shared/runtime/http';

/**
 * …/members/{member}/registry, …/registry/approve and …/registry/reject: the member's identifiers, for the anonymize
 * stage. A member's own PUT is a proposal (202) until a tenant admin approves it.
 */
export const handler = adminRoute({
  GET: async ({ caller, pathParameters: { tenant, member } }, c) => ({
    status: 200,
    body: await getRegistry(caller, tenant!, member!, adminDeps(c)),
  }),
  PUT: async ({ caller, json, pathParameters: { tenant, member } }, c) => {
    const result = await putRegistry(caller, tenant!, member!, json, adminDeps(c));
    return result.kind === 'replaced' ? { status: 200, body: result.registry } : { status: 202, body: result.proposal };
  },
  POST: async ({ caller, json, path, pathParameters: { tenant, member } }, c) => {
    // The one function serves both POST routes; the last path segment says which (a trailing slash is allowed).
    const review = /\/registry\/reject\/?$/.test(path)
      ? rejectRegistry
      : /\/registry\/approve\/?$/.test(path)
        ? approveRegistry
        : undefined;
    if (!review) throw new NotFoundError(`No such registry action: ${path}`);
    return { status: 200, body: await review(caller, tenant!, member!, json, adminDeps(c)) };
  },
});
