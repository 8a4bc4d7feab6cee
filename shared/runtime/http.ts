import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { z } from 'zod';
import { BadRequestError, ForbiddenError, KyoyuError, NotFoundError, TooManyRequestsError, UnauthorizedError } from '../core/errors';
import { enforceTenantLimit } from '../core/policy/tenant-throttle';
import { RoleSchema, type Caller, type Principal } from '../core/directory/model';
import { assertAcceptsTaxii, TAXII_MEDIA_TYPE } from '../core/taxii/media-types';
import { assertWellFormedText, decodeBase64Body } from '../core/text/utf8';
import { container, type Container } from './composition-root';

export interface HttpRequest extends RequestParts {
  principal: Principal;
}

/** An admin API request: the caller may be a platform operator; the body is parsed JSON. */
export interface AdminRequest extends RequestParts {
  caller: Caller;
  /** The body parsed as JSON; undefined when there is none. */
  json: unknown;
  /** The first value of each query parameter. */
  params: Record<string, string>;
}

interface RequestParts {
  /** The request path, without the stage prefix. */
  path: string;
  pathParameters: Record<string, string>;
  /** Every value of each query parameter, as TAXII allows repeated `match[...]` parameters. */
  query: Record<string, string[]>;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string | undefined;
  /** Scheme, host and stage prefix clients reach the API at (configured, never from Host), for absolute URLs. */
  baseUrl: string;
  requestId: string;
}

export interface HttpResult {
  status: number;
  /** JSON-encoded into the route's media type. */
  body?: unknown;
  /** Sent as it is, instead of `body`: downloads in their own media type, named by a Content-Type in `headers`. */
  text?: string;
  headers?: Record<string, string>;
}

const AuthorizerContextSchema = z.object({
  tenantId: z.string().min(1),
  memberId: z.string().min(1),
  username: z.string().min(1),
  role: RoleSchema,
});

function lowerCaseHeaders(headers: APIGatewayProxyEvent['headers'] | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) if (value !== undefined) out[name.toLowerCase()] = value;
  return out;
}

function queryOf(event: APIGatewayProxyEvent): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) out[name] = values ?? [];
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) out[name] ??= value === undefined ? [] : [value];
  return out;
}

/**
 * The base of the absolute URLs Kyoyu answers with (discovery's api_roots, file URLs, the OpenAPI server): the
 * configured PUBLIC_BASE_URL, else the domain API Gateway itself served the request on and the stage prefix. Never
 * the client's Host or X-Forwarded-* headers: discovery would hand every client whatever host an attacker sent.
 */
function baseUrlOf(event: APIGatewayProxyEvent, c: Container): string {
  if (c.config.PUBLIC_BASE_URL) return c.config.PUBLIC_BASE_URL.replace(/\/+$/, '');
  const fullPath = event.requestContext.path ?? event.path;
  const stagePrefix = fullPath.endsWith(event.path) ? fullPath.slice(0, fullPath.length - event.path.length) : '';
  return `https://${event.requestContext.domainName ?? 'localhost'}${stagePrefix}`;
}

const OperatorContextSchema = z.object({ role: z.literal('operator'), username: z.string().min(1) });

function callerOf(event: APIGatewayProxyEvent): Caller {
  const operator = OperatorContextSchema.safeParse(event.requestContext.authorizer ?? {});
  return operator.success ? operator.data : principalOf(event);
}

function principalOf(event: APIGatewayProxyEvent): Principal {
  if (OperatorContextSchema.safeParse(event.requestContext.authorizer ?? {}).success) {
    throw new ForbiddenError('Platform operators have no TAXII API root; use the credentials of a tenant user');
  }
  const parsed = AuthorizerContextSchema.safeParse(event.requestContext.authorizer ?? {});
  // Only reachable if a route is deployed without the authorizer: refuse rather than guess.
  if (!parsed.success) throw new UnauthorizedError('This route requires authentication');
  return parsed.data;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}, contentType = TAXII_MEDIA_TYPE): APIGatewayProxyResult {
  return { statusCode: status, headers: { 'Content-Type': contentType, ...headers }, body: JSON.stringify(body) };
}

/**
 * TAXII 2.1 §3.6.1 error message (the admin API answers the same shape as application/json). Unexpected errors
 * name only the error_id, never internals.
 */
export function errorResponse(error: unknown, requestId: string, c: Container, contentType = TAXII_MEDIA_TYPE): APIGatewayProxyResult {
  if (error instanceof KyoyuError) {
    const headers: Record<string, string> =
      error instanceof UnauthorizedError
        ? { 'WWW-Authenticate': 'Basic realm="kyoyu", charset="UTF-8"' }
        : error instanceof TooManyRequestsError
          ? { 'Retry-After': String(error.retryAfterSeconds) }
          : {};
    c.logger.info('request refused', { requestId, status: error.httpStatus, reason: error.description });
    return json(
      error.httpStatus,
      { title: error.title, description: error.description, error_id: requestId, http_status: String(error.httpStatus) },
      headers,
      contentType,
    );
  }
  c.logger.error('unexpected error', { requestId, error: error instanceof Error ? error.stack : String(error) });
  return json(
    500,
    {
      title: 'Internal error',
      description: `The server failed to answer; quote error_id ${requestId} to the platform operator`,
      error_id: requestId,
      http_status: '500',
    },
    {},
    contentType,
  );
}

/**
 * The body as text, decoded fatally (shared/core/text/utf8.ts). The API declares every media type binary
 * (infra/topology.ts API_BINARY_MEDIA_TYPES), so API Gateway hands over the bytes the client sent, base64-encoded,
 * instead of text it decoded with replacement characters; a body that still arrives as text is checked for lone
 * surrogates, the only ill-formed UTF-8 a JavaScript string can still show.
 */
function bodyOf(event: APIGatewayProxyEvent): string | undefined {
  if (event.body === null || event.body === undefined) return undefined;
  return event.isBase64Encoded ? decodeBase64Body(event.body) : assertWellFormedText(event.body);
}

function requestParts(event: APIGatewayProxyEvent, headers: Record<string, string>, c: Container): RequestParts {
  return {
    path: event.path,
    pathParameters: Object.fromEntries(Object.entries(event.pathParameters ?? {}).filter(([, v]) => v !== undefined)) as Record<string, string>,
    query: queryOf(event),
    headers,
    body: bodyOf(event),
    baseUrl: baseUrlOf(event, c),
    requestId: event.requestContext.requestId,
  };
}

/**
 * No identifier Kyoyu issues is longer than this (a STIX id is at most 288 characters, the others far less). A
 * longer path parameter names nothing, and used as a key it exceeds DynamoDB's key size and fails the request (500).
 */
const MAX_PATH_PARAMETER_CHARS = 512;

function assertPathParametersBounded(event: APIGatewayProxyEvent): void {
  for (const [name, value] of Object.entries(event.pathParameters ?? {})) {
    if (value !== undefined && value.length > MAX_PATH_PARAMETER_CHARS) {
      throw new NotFoundError(`Nothing here: the ${name} in the path is ${value.length} characters long, and no identifier exceeds ${MAX_PATH_PARAMETER_CHARS}`);
    }
  }
}

/** One middy pipeline for every HTTP route: one onError turns every failure into an error message of `contentType`. */
function httpRoute(contentType: string, run: (event: APIGatewayProxyEvent, headers: Record<string, string>, c: Container) => Promise<HttpResult>) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .onError((request) => {
      request.response = errorResponse(request.error, request.event.requestContext?.requestId ?? request.context.awsRequestId, container(), contentType);
    })
    .handler(async (event) => {
      const c = container();
      assertPathParametersBounded(event);
      const result = await run(event, lowerCaseHeaders(event.headers), c);
      if (result.text !== undefined) return { statusCode: result.status, headers: result.headers ?? {}, body: result.text };
      return result.body === undefined
        ? { statusCode: result.status, headers: result.headers ?? {}, body: '' }
        : json(result.status, result.body, result.headers, contentType);
    });
}

/**
 * The tenant's per-minute request limit (shared/core/policy/tenant-throttle.ts), before the use case runs: one
 * UpdateItem on the throttle table per request, the limit from a per-container cache. A 429 is thrown as such; if
 * counting itself fails, the request is answered anyway, because a failed poll costs TAXII clients their window
 * (TAXII-CLIENTS #26) and API Gateway's stage throttling still stands in front. The error log line says so.
 */
async function throttle(tenantId: string, requestId: string, c: Container): Promise<void> {
  try {
    await enforceTenantLimit(tenantId, { counter: c.requestCounter, limitOf: c.tenantLimits, nowMs: Date.now() });
  } catch (error) {
    if (error instanceof TooManyRequestsError) throw error;
    c.logger.error('tenant throttle unavailable, request let through', { requestId, tenantId, error: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * A TAXII route: content negotiation first (TAXII 2.1 §1.6.8), then the tenant's request limit, then the use case,
 * then the response shape. One onError turns every failure into a TAXII error message. Every route built on this
 * declares the throttle table in infra/topology.ts (its `taxiiRoute` does that).
 */
export function taxiiRoute(run: (request: HttpRequest, c: Container) => Promise<HttpResult>) {
  return httpRoute(TAXII_MEDIA_TYPE, async (event, headers, c) => {
    assertAcceptsTaxii(headers['accept']);
    return run(await memberRequest(event, headers, c), c);
  });
}

/**
 * A download under a tenant's API root (exports): a member's credentials and the tenant's request limit as on TAXII
 * routes, errors as TAXII error messages. The body is `text` in the media type the use case chose, so content
 * negotiation is the route's own first step: the type depends on what is asked for.
 */
export function memberDownloadRoute(run: (request: HttpRequest, c: Container) => Promise<HttpResult>) {
  return httpRoute(TAXII_MEDIA_TYPE, async (event, headers, c) => run(await memberRequest(event, headers, c), c));
}

/** A tenant member's request, counted against the tenant's limit before anything else runs. */
async function memberRequest(event: APIGatewayProxyEvent, headers: Record<string, string>, c: Container): Promise<HttpRequest> {
  const parts = requestParts(event, headers, c);
  const principal = principalOf(event);
  await throttle(principal.tenantId, parts.requestId, c);
  return { principal, ...parts };
}

/** The function serving the request's method on a resource that several methods share. */
function methodHandler<H>(methods: Partial<Record<AdminMethod, H>>, event: APIGatewayProxyEvent): H {
  const run = methods[event.httpMethod.toUpperCase() as AdminMethod];
  // API Gateway only routes the methods the topology declares; this is a deployment mistake, not a request's.
  if (!run) throw new ForbiddenError(`${event.httpMethod} is not allowed on this resource`);
  return run;
}

export const ADMIN_MEDIA_TYPE = 'application/json';

export type AdminMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

function parseJsonBody(body: string | undefined): unknown {
  if (body === undefined || body.trim() === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new BadRequestError('The request body is not valid JSON');
  }
}

/**
 * An admin API resource: one function serves the methods of one resource, JSON in and out, with the same error
 * mapping as TAXII routes (errors are `{ title, description, error_id, http_status }` as application/json).
 */
export function publicAdminRoute(run: (request: Omit<AdminRequest, 'caller'>, c: Container) => Promise<HttpResult>) {
  return httpRoute(ADMIN_MEDIA_TYPE, (event, headers, c) => {
    const parts = requestParts(event, headers, c);
    return run({ ...parts, json: parseJsonBody(parts.body), params: {} }, c);
  });
}

export function adminRoute(methods: Partial<Record<AdminMethod, (request: AdminRequest, c: Container) => Promise<HttpResult>>>) {
  return httpRoute(ADMIN_MEDIA_TYPE, (event, headers, c) => {
    const run = methodHandler(methods, event);
    const parts = requestParts(event, headers, c);
    const params = Object.fromEntries(Object.entries(parts.query).flatMap(([name, values]) => (values[0] === undefined ? [] : [[name, values[0]]])));
    return run({ ...parts, caller: callerOf(event), json: parseJsonBody(parts.body), params }, c);
  });
}

/** A request to one of Kyoyu's JSON extensions under a tenant's API root (attachments, samples). */
export interface MemberJsonRequest extends HttpRequest {
  /** The body parsed as JSON; undefined when there is none. */
  json: unknown;
}

/**
 * Kyoyu's JSON extensions under a tenant's API root: a member's credentials and the tenant's request limit as on
 * TAXII routes, JSON in and out, errors in the TAXII error shape as application/json.
 */
export function memberJsonRoute(methods: Partial<Record<AdminMethod, (request: MemberJsonRequest, c: Container) => Promise<HttpResult>>>) {
  return httpRoute(ADMIN_MEDIA_TYPE, async (event, headers, c) => {
    const run = methodHandler(methods, event);
    const request = await memberRequest(event, headers, c);
    return run({ ...request, json: parseJsonBody(request.body) }, c);
  });
}
