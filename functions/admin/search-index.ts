import { reindexCollection } from '../../shared/core/search/reindex';
import { adminRoute } from '../../shared/runtime/http';

/**
 * POST /admin/tenants/{tenant}/collections/{collectionId}/search-index — rebuilds one collection's search postings
 * from its stored versions, a slice per call; `next` in the answer continues (CLI: `kyoyu search reindex`).
 */
export const handler = adminRoute({
  POST: async ({ caller, json, pathParameters: { tenant, collectionId } }, c) => {
    const progress = await reindexCollection(caller, tenant!, collectionId!, json, {
      directory: c.directory,
      objects: c.objects,
      index: c.searchIndex,
      now: Date.now,
    });
    return { status: 200, body: progress };
  },
});
