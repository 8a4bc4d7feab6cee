import { getStatus } from '../../shared/core/taxii/get-status';
import { taxiiRoute } from '../../shared/runtime/http';

/** GET /{tenant}/status/{statusId}/ — TAXII 2.1 §4.3 */
export const handler = taxiiRoute(async (request, c) => ({
  status: 200,
  body: await getStatus(request.principal, request.pathParameters.tenant!, request.pathParameters.statusId!, { statuses: c.statuses }),
}));
