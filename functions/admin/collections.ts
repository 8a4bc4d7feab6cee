import { createCollection, getAdminCollection, listAdminCollections, updateCollection } from '../../shared/core/admin/collections';
import { adminDeps } from '../../shared/runtime/admin-deps';
import { adminRoute } from '../../shared/runtime/http';

/** /admin/tenants/{tenant}/collections and …/collections/{collectionId} */
export const handler = adminRoute({
  GET: async ({ caller, pathParameters: { tenant, collectionId } }, c) => ({
    status: 200,
    body: collectionId
      ? await getAdminCollection(caller, tenant!, collectionId, adminDeps(c))
      : await listAdminCollections(caller, tenant!, adminDeps(c)),
  }),
  POST: async (r, c) => ({ status: 201, body: await createCollection(r.caller, r.pathParameters.tenant!, r.json, adminDeps(c)) }),
  PATCH: async ({ caller, json, pathParameters: { tenant, collectionId } }, c) => ({
    status: 200,
    body: await updateCollection(caller, tenant!, collectionId!, json, adminDeps(c)),
  }),
});
