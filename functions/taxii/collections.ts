import { listCollections } from '../../shared/core/taxii/collections';
import { taxiiRoute } from '../../shared/runtime/http';

/** GET /{tenant}/collections/ — TAXII 2.1 §5.1 */
export const handler = taxiiRoute(async (request, c) => ({
  status: 200,
  body: await listCollections(request.principal, request.pathParameters.tenant!, { directory: c.directory }),
}));
