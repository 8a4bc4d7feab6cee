import { randomUUID } from 'node:crypto';
import { UnsupportedMediaTypeError } from '../../shared/core/errors';
import { addIndicatorList } from '../../shared/core/taxii/add-objects';
import { taxiiRoute } from '../../shared/runtime/http';

/** POST /{tenant}/collections/{collectionId}/indicators/ — plain lists (text/plain) or CSV (text/csv) of indicator values */
export const handler = taxiiRoute(async (request, c) => {
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const format = contentType === 'text/csv' ? 'csv' : contentType === 'text/plain' ? 'lines' : undefined;
  if (!format)
    throw new UnsupportedMediaTypeError(
      `Content-Type "${contentType}" is not supported here; send text/plain (one value per line) or text/csv`,
    );
  const status = await addIndicatorList(
    {
      principal: request.principal,
      tenantId: request.pathParameters.tenant!,
      collectionId: request.pathParameters.collectionId!,
      body: request.body,
      format,
      label: request.query.label?.[0],
      review: request.query.review,
    },
    { directory: c.directory, statuses: c.statuses, pipeline: c.pipeline, now: Date.now, newId: randomUUID },
  );
  return { status: 202, body: status };
});
