import type { HttpMethod, RouteHandler } from './http/route';
import { ADMIN_MEDIA_TYPE, route } from './http/route';
import { TAXII_MEDIA_TYPE } from '../core/taxii/media-types';

/**
 * The four builders the functions were written against, now options of the one route builder (http/route.ts): kept
 * as thin aliases so that call sites stay as they are while issue #13 is merged.
 */
export { errorResponse } from './http/error-response';
export type { AdminRequest, HttpRequest, HttpResult, MemberJsonRequest } from './http/request';
export {
  ADMIN_MEDIA_TYPE,
  route,
  type CallerKind,
  type HttpMethod,
  type RouteHandler,
  type RouteHandlers,
  type RouteOptions,
} from './http/route';

export type AdminMethod = HttpMethod;

/**
 * A TAXII route: content negotiation first (TAXII 2.1 §1.6.8), then the tenant's request limit, then the use case,
 * then the response shape. Every route built on this declares the throttle table in infra/topology.ts (`throttled`).
 */
export const taxiiRoute = (run: RouteHandler<'member'>) => route({ mediaType: TAXII_MEDIA_TYPE, caller: 'member' }, run);

/** An admin resource without the authorizer (the bootstrap): JSON in and out, nobody known. */
export const publicAdminRoute = (run: RouteHandler<'public'>) => route({ mediaType: ADMIN_MEDIA_TYPE, caller: 'public' }, run);

/**
 * An admin API resource: one function serves the methods of one resource, JSON in and out, errors in the TAXII
 * shape as application/json.
 */
export const adminRoute = (methods: Partial<Record<HttpMethod, RouteHandler<'admin'>>>) =>
  route({ mediaType: ADMIN_MEDIA_TYPE, caller: 'admin' }, methods);

/**
 * Kyoyu's JSON extensions under a tenant's API root: a member's credentials and the tenant's request limit as on
 * TAXII routes, JSON in and out, errors in the TAXII error shape as application/json.
 */
export const memberJsonRoute = (methods: Partial<Record<HttpMethod, RouteHandler<'member'>>>) =>
  route({ mediaType: ADMIN_MEDIA_TYPE, caller: 'member' }, methods);

/**
 * A download under a tenant's API root (exports): a member's credentials and the tenant's request limit as on TAXII
 * routes, errors as TAXII error messages; the body is `text` in the media type the use case negotiated.
 */
export const memberDownloadRoute = (run: RouteHandler<'member'>) =>
  route({ mediaType: TAXII_MEDIA_TYPE, caller: 'member', negotiatedByUseCase: true }, run);
