import { bootstrapOperator } from '../../shared/core/admin/bootstrap';
import { adminDeps } from '../../shared/runtime/admin-deps';
import { publicAdminRoute } from '../../shared/runtime/http';

/** POST /admin/bootstrap — the first operator of a fresh deployment (no authorizer: it brings its own secret). */
export const handler = publicAdminRoute(async (r, c) => ({
  status: 201,
  body: await bootstrapOperator(r.headers['x-kyoyu-bootstrap-secret'], await c.secretList('bootstrap'), r.json, adminDeps(c)),
}));
