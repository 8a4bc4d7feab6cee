import { getDiscovery } from '../../shared/core/taxii/discovery';
import { taxiiRoute } from '../../shared/runtime/http';

/** GET /taxii2/ — TAXII 2.1 §4.1 */
export const handler = taxiiRoute(async (request, c) => ({
  status: 200,
  body: await getDiscovery(request.principal, request.baseUrl, { directory: c.directory }),
}));
