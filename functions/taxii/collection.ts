import { getCollection } from '../../shared/core/taxii/collections';
import { taxiiRoute } from '../../shared/runtime/http';

/** GET /{tenant}/collections/{collectionId}/ — TAXII 2.1 §5.2 */
export const handler = taxiiRoute(async (request, c) => ({
  status: 200,
  body: await getCollection(request.principal, request.pathParameters.tenant!, request.pathParameters.collectionId!, {
    directory: c.directory,
  }),
}));
