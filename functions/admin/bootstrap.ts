import { bootstrapOperator } from '../../shared/core/admin/bootstrap';
import { adminDeps } from '../../shared/runtime/admin-deps';
import { bootstrapSecrets } from '../../shared/runtime/config';
import { publicAdminRoute } from '../../shared/runtime/http';

/** POST /admin/bootstrap — the first operator of a fresh deployment (no authorizer: it brings its own secret). */
export const handler = publicAdminRoute(async (r, c) => ({
  status: 201,
  body: await bootstrapOperator(r.headers['x-kyoyu-bootstrap-secret'], bootstrapSecrets(c.config), r.json, adminDeps(c)),
}));
