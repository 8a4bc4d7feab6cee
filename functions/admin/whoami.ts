import { whoAmI } from '../../shared/core/admin/whoami';
import { adminDeps } from '../../shared/runtime/admin-deps';
import { adminRoute } from '../../shared/runtime/http';

/** GET /admin/whoami: who these credentials are (what `kyoyu status` shows). */
export const handler = adminRoute({ GET: async (r, c) => ({ status: 200, body: await whoAmI(r.caller, adminDeps(c)) }) });
