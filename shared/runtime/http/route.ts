import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { MethodNotAllowedError, TooManyRequestsError } from '../../core/errors';
import { enforceTenantLimit } from '../../core/policy/tenant-throttle';
import { assertAcceptsTaxii, TAXII_MEDIA_TYPE } from '../../core/taxii/media-types';
import { container, type Container } from '../composition-root';
import { logger, observe } from '../observability';
import { errorResponse, json } from './error-response';
import {
  assertPathParametersBounded,
  callerOf,
  lowerCaseHeaders,
  principalOf,
  requestParts,
  type AdminRequest,
  type HttpRequest,
  type HttpResult,
  type RequestParts,
} from './request';

export const ADMIN_MEDIA_TYPE = 'application/json';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Who calls a route: what its use case is handed, and whether the tenant's request limit applies. */
export interface Callers {
  /** A tenant member (TAXII, files): its principal; operators are refused; counted against the tenant's limit. */
  member: HttpRequest;
  /** The admin API: a member or a platform operator; not throttled, as operators need it during an incident. */
  admin: AdminRequest;
  /** No authorizer in front (the bootstrap): nobody is known. */
  public: RequestParts;
}
export type CallerKind = keyof Callers;

export interface RouteOptions<K extends CallerKind> {
  /** The media type of every answer, errors included; a TAXII route also requires it in Accept (TAXII 2.1 §1.6.8). */
  mediaType: string;
  caller: K;
  /** Downloads (exports) answer in the media type the request asks for: the use case negotiates, not the route. */
  negotiatedByUseCase?: boolean;
}

export type RouteHandler<K extends CallerKind> = (request: Callers[K], c: Container) => Promise<HttpResult>;

/** One use case per method the function serves, or one for whichever method the topology routes to it. */
export type RouteHandlers<K extends CallerKind> = RouteHandler<K> | Partial<Record<HttpMethod, RouteHandler<K>>>;

type Request = middy.Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>;
type Step = middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>;

/** Every failure becomes an error message of the route's media type, a container that cannot be built included. */
const errors = (mediaType: string): Step => ({
  onError: (request: Request) => {
    request.response = errorResponse(request.error, request.event.requestContext?.requestId ?? request.context.awsRequestId, mediaType);
  },
});

const boundedPathParameters: Step = { before: ({ event }) => assertPathParametersBounded(event) };

/**
 * RFC 9110 §15.5.6: a method the resource does not have is a 405 naming those it has. The gateways answer it before
 * a function runs (infra/aws/rest-api.ts, infra/local/gateway.ts); this holds for a function serving several.
 */
const allowedMethods = (methods: readonly HttpMethod[] | undefined): Step => ({
  before: ({ event }) => {
    if (methods && !methods.includes(event.httpMethod.toUpperCase() as HttpMethod)) {
      throw new MethodNotAllowedError(`${event.httpMethod} is not allowed on this resource; it allows ${methods.join(', ')}`, methods);
    }
  },
});

/** Content negotiation first (TAXII 2.1 §1.6.8): a TAXII route answers only clients that accept TAXII 2.1. */
const negotiate = (mediaType: string | undefined): Step => ({
  before: ({ event }) => {
    if (mediaType === TAXII_MEDIA_TYPE) assertAcceptsTaxii(lowerCaseHeaders(event.headers)['accept']);
  },
});

const authenticated = (caller: CallerKind): Step => ({
  before: ({ event }) => {
    if (caller === 'member') principalOf(event);
    else if (caller === 'admin') callerOf(event);
  },
});

/**
 * The tenant's per-minute request limit (shared/core/policy/tenant-throttle.ts), before the use case runs: one
 * UpdateItem on the throttle table per request, the limit from a per-container cache. A 429 is thrown as such; if
 * counting itself fails, the request is answered anyway, because a failed poll costs TAXII clients their window
 * (TAXII-CLIENTS #26) and API Gateway's stage throttling still stands in front. The error log line says so. Every
 * member route declares the throttle table in infra/topology.ts (`throttled`).
 */
const throttled: Step = {
  before: async ({ event }) => {
    const tenantId = principalOf(event).tenantId;
    const c = container();
    try {
      await enforceTenantLimit(tenantId, { counter: c.requestCounter, limitOf: c.tenantLimits, nowMs: Date.now() });
    } catch (error) {
      if (error instanceof TooManyRequestsError) throw error;
      logger.error('tenant throttle unavailable, request let through', {
        requestId: event.requestContext.requestId,
        tenantId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  },
};

function requestOf<K extends CallerKind>(caller: K, event: APIGatewayProxyEvent, c: Container): Callers[K] {
  if (caller === 'member') return requestParts(event, c.config, { principal: principalOf(event) }) as Callers[K];
  if (caller === 'admin') return requestParts(event, c.config, { caller: callerOf(event) }) as Callers[K];
  return requestParts(event, c.config, {}) as Callers[K];
}

/**
 * The one HTTP route builder: middy steps in the order a request meets them — trace and log context (observability),
 * the error mapping, bounded path parameters, the method, content negotiation, the caller, the tenant's limit — then
 * the use case, then the response in the route's media type.
 */
export function route<K extends CallerKind>(options: RouteOptions<K>, handlers: RouteHandlers<K>) {
  const methods = typeof handlers === 'function' ? undefined : HTTP_METHODS.filter((m) => handlers[m] !== undefined);
  const handlerFor = (method: string): RouteHandler<K> =>
    typeof handlers === 'function' ? handlers : handlers[method.toUpperCase() as HttpMethod]!;
  const steps = observe(middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>())
    .use(errors(options.mediaType))
    .use(boundedPathParameters)
    .use(allowedMethods(methods))
    .use(negotiate(options.negotiatedByUseCase ? undefined : options.mediaType))
    .use(authenticated(options.caller));
  return (options.caller === 'member' ? steps.use(throttled) : steps).handler(async (event) => {
    const c = container();
    const result = await handlerFor(event.httpMethod)(requestOf(options.caller, event, c), c);
    if (result.text !== undefined) return { statusCode: result.status, headers: result.headers ?? {}, body: result.text };
    return result.body === undefined
      ? { statusCode: result.status, headers: result.headers ?? {}, body: '' }
      : json(result.status, result.body, result.headers, options.mediaType);
  });
}
