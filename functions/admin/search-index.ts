import { z } from 'zod';
import { BadRequestError } from '../../shared/core/errors';
import { reindexCollection } from '../../shared/core/search/reindex';
import { adminRoute } from '../../shared/runtime/http';

const ReindexSchema = z.object({ next: z.string().max(32).optional() }).strict();

/**
 * POST /admin/tenants/{tenant}/collections/{collectionId}/search-index — rebuilds one collection's search postings
 * from its stored versions, a slice per call; `next` in the answer continues (CLI: `kyoyu search reindex`).
 */
export const handler = adminRoute({
  POST: async ({ caller, json, pathParameters: { tenant, collectionId } }, c) => {
    const parsed = ReindexSchema.safeParse(json ?? {});
    if (!parsed.success) throw new BadRequestError('The body is {} or {"next": "<the next of the previous answer>"}');
    const progress = await reindexCollection(caller, tenant!, collectionId!, parsed.data.next, {
      directory: c.directory,
      objects: c.objects,
      index: c.searchIndex,
      now: Date.now,
    });
    return { status: 200, body: progress };
  },
});
