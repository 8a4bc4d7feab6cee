import { z } from 'zod';
import { BadRequestError } from '../../shared/core/errors';
import { samenessOf } from '../../shared/core/pipeline/observables';
import { MAX_SEARCH_VALUES, searchValues, type SearchAnswer } from '../../shared/core/search/search';
import { auditRead } from '../../shared/runtime/audit-read';
import type { Container } from '../../shared/runtime/composition-root';
import { memberJsonRoute, type MemberJsonRequest } from '../../shared/runtime/http';

const BulkSearchSchema = z.object({ values: z.array(z.string().max(4096)).min(1).max(MAX_SEARCH_VALUES) }).strict();

async function answer(request: MemberJsonRequest, c: Container, values: string[]) {
  const results = await searchValues(request.principal, request.pathParameters.tenant!, values, {
    directory: c.directory,
    objects: c.objects,
    index: c.searchIndex,
    samenessOf,
    flags: c.flags,
  });
  await auditRead(request, c, 'search', { objects: results.flatMap((r) => r.hits) });
  return results;
}

/**
 * GET /{tenant}/search/?value=… (one value, repeatable) and POST /{tenant}/search/ `{"values": […]}` (up to 1,000):
 * "have we seen this?" across every collection the member may read (shared/core/search/search.ts).
 */
export const handler = memberJsonRoute({
  GET: async (request, c) => {
    const values = request.query.value ?? [];
    if (values.length === 0) throw new BadRequestError('Name the value to search for: ?value=203.0.113.7 (repeat value for several)');
    const results = await answer(request, c, values);
    const refused = results.find((r: SearchAnswer) => r.error);
    if (refused) throw new BadRequestError(`Cannot search for ${refused.error}`);
    return { status: 200, body: { results } };
  },
  POST: async (request, c) => {
    const parsed = BulkSearchSchema.safeParse(request.json);
    if (!parsed.success) {
      throw new BadRequestError(
        `The body must be {"values": ["…", …]} with 1 to ${MAX_SEARCH_VALUES} strings: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
    }
    return { status: 200, body: { results: await answer(request, c, parsed.data.values) } };
  },
});
