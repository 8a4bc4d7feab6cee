import { getApiRoot } from '../../shared/core/taxii/api-root';
import { taxiiRoute } from '../../shared/runtime/http';

/** GET /{tenant}/ — TAXII 2.1 §4.2 */
export const handler = taxiiRoute(async (request, c) => ({
  status: 200,
  body: await getApiRoot(request.principal, request.pathParameters.tenant!, { directory: c.directory }),
}));
