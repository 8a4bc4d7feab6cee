import { randomUUID } from 'node:crypto';
import { addObjects } from '../../shared/core/taxii/add-objects';
import { assertTaxiiContentType } from '../../shared/core/taxii/media-types';
import { taxiiRoute } from '../../shared/runtime/http';

/** POST /{tenant}/collections/{collectionId}/objects/ — TAXII 2.1 §5.5 */
export const handler = taxiiRoute(async (request, c) => {
  assertTaxiiContentType(request.headers['content-type']);
  const status = await addObjects(
    {
      principal: request.principal,
      tenantId: request.pathParameters.tenant!,
      collectionId: request.pathParameters.collectionId!,
      body: request.body,
      review: request.query.review,
    },
    { directory: c.directory, statuses: c.statuses, pipeline: c.pipeline, now: Date.now, newId: randomUUID },
  );
  return { status: 202, body: status };
});
