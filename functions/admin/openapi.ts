import { adminOpenApi } from '../../shared/core/admin/openapi';
import { adminRoute } from '../../shared/runtime/http';

/** GET /admin/openapi.json: the OpenAPI 3 description of the admin API. */
export const handler = adminRoute({ GET: async (r) => ({ status: 200, body: adminOpenApi(r.baseUrl) }) });
