import type { APIGatewayProxyEvent } from 'aws-lambda';
import { z } from 'zod';
import { BadRequestError, ForbiddenError, NotFoundError, UnauthorizedError } from '../../core/errors';
import { RoleSchema, type Caller, type Principal } from '../../core/directory/model';
import { assertWellFormedText, decodeBase64Body } from '../../core/text/utf8';
import type { BaseConfig } from '../config';

/** What every route's use case receives, whoever calls. */
export interface RequestParts {
  /** The request path, without the stage prefix. */
  path: string;
  pathParameters: Record<string, string>;
  /** Every value of each query parameter, as TAXII allows repeated `match[...]` parameters. */
  query: Record<string, string[]>;
  /** The first value of each query parameter. */
  params: Record<string, string>;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string | undefined;
  /** The body parsed as JSON, when first read (a TAXII POST parses its own); undefined when there is none. */
  json: unknown;
  /** Scheme, host and stage prefix clients reach the API at (configured, never from Host), for absolute URLs. */
  baseUrl: string;
  requestId: string;
}

/** A tenant member's request (TAXII routes and Kyoyu's JSON extensions under an API root). */
export interface HttpRequest extends RequestParts {
  principal: Principal;
}

/** A request to one of Kyoyu's JSON extensions under a tenant's API root (attachments, samples). */
export type MemberJsonRequest = HttpRequest;

/** An admin API request: the caller may be a platform operator. */
export interface AdminRequest extends RequestParts {
  caller: Caller;
}

export interface HttpResult {
  status: number;
  /** JSON-encoded into the route's media type. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as it is, instead of `body`: downloads in their own media type, named by a Content-Type in `headers`. */
  text?: string;
}

const AuthorizerContextSchema = z.object({
  tenantId: z.string().min(1),
  memberId: z.string().min(1),
  username: z.string().min(1),
  role: RoleSchema,
});

export function lowerCaseHeaders(headers: APIGatewayProxyEvent['headers'] | null): Record<string, string> {
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
function baseUrlOf(event: APIGatewayProxyEvent, config: BaseConfig): string {
  if (config.PUBLIC_BASE_URL) return config.PUBLIC_BASE_URL.replace(/\/+$/, '');
  const fullPath = event.requestContext.path ?? event.path;
  const stagePrefix = fullPath.endsWith(event.path) ? fullPath.slice(0, fullPath.length - event.path.length) : '';
  return `https://${event.requestContext.domainName ?? 'localhost'}${stagePrefix}`;
}

const OperatorContextSchema = z.object({ role: z.literal('operator'), username: z.string().min(1) });

export function callerOf(event: APIGatewayProxyEvent): Caller {
  const operator = OperatorContextSchema.safeParse(event.requestContext.authorizer ?? {});
  return operator.success ? operator.data : principalOf(event);
}

export function principalOf(event: APIGatewayProxyEvent): Principal {
  if (OperatorContextSchema.safeParse(event.requestContext.authorizer ?? {}).success) {
    throw new ForbiddenError('Platform operators have no TAXII API root; use the credentials of a tenant user');
  }
  const parsed = AuthorizerContextSchema.safeParse(event.requestContext.authorizer ?? {});
  // Only reachable if a route is deployed without the authorizer: refuse rather than guess.
  if (!parsed.success) throw new UnauthorizedError('This route requires authentication');
  return parsed.data;
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

function parseJsonBody(body: string | undefined): unknown {
  if (body === undefined || body.trim() === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new BadRequestError('The request body is not valid JSON');
  }
}

/** The request's parts, with `extra` (who calls); the JSON body is parsed when the use case first reads it. */
export function requestParts<T extends object>(event: APIGatewayProxyEvent, config: BaseConfig, extra: T): RequestParts & T {
  const query = queryOf(event);
  const body = bodyOf(event);
  let parsed: { value: unknown } | undefined;
  return {
    ...extra,
    path: event.path,
    pathParameters: Object.fromEntries(Object.entries(event.pathParameters ?? {}).filter(([, v]) => v !== undefined)) as Record<
      string,
      string
    >,
    query,
    params: Object.fromEntries(Object.entries(query).flatMap(([name, values]) => (values[0] === undefined ? [] : [[name, values[0]]]))),
    headers: lowerCaseHeaders(event.headers),
    body,
    get json() {
      return (parsed ??= { value: parseJsonBody(body) }).value;
    },
    baseUrl: baseUrlOf(event, config),
    requestId: event.requestContext.requestId,
  };
}

/**
 * No identifier Kyoyu issues is longer than this (a STIX id is at most 288 characters, the others far less). A
 * longer path parameter names nothing, and used as a key it exceeds DynamoDB's key size and fails the request (500).
 */
const MAX_PATH_PARAMETER_CHARS = 512;

export function assertPathParametersBounded(event: APIGatewayProxyEvent): void {
  for (const [name, value] of Object.entries(event.pathParameters ?? {})) {
    if (value !== undefined && value.length > MAX_PATH_PARAMETER_CHARS) {
      throw new NotFoundError(
        `Nothing here: the ${name} in the path is ${value.length} characters long, and no identifier exceeds ${MAX_PATH_PARAMETER_CHARS}`,
      );
    }
  }
}
