import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { z } from 'zod';
import { KyoyuError, UnauthorizedError } from '../core/errors';
import { RoleSchema, type Principal } from '../core/directory/model';
import { assertAcceptsTaxii, TAXII_MEDIA_TYPE } from '../core/taxii/media-types';
import { container, type Container } from './composition-root';

export interface HttpRequest {
  principal: Principal;
  pathParameters: Record<string, string>;
  /** Every value of each query parameter, as TAXII allows repeated `match[...]` parameters. */
  query: Record<string, string[]>;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string | undefined;
  /** Scheme, host and stage prefix the client used, to build absolute URLs (discovery's api_roots). */
  baseUrl: string;
  requestId: string;
}

export interface HttpResult {
  status: number;
  body?: unknown;
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

function baseUrlOf(event: APIGatewayProxyEvent, headers: Record<string, string>): string {
  const proto = headers['x-forwarded-proto'] ?? 'https';
  const host = headers['host'] ?? event.requestContext.domainName ?? 'localhost';
  const fullPath = event.requestContext.path ?? event.path;
  const stagePrefix = fullPath.endsWith(event.path) ? fullPath.slice(0, fullPath.length - event.path.length) : '';
  return `${proto}://${host}${stagePrefix}`;
}

function principalOf(event: APIGatewayProxyEvent): Principal {
  const parsed = AuthorizerContextSchema.safeParse(event.requestContext.authorizer ?? {});
  // Only reachable if a route is deployed without the authorizer: refuse rather than guess.
  if (!parsed.success) throw new UnauthorizedError('This route requires authentication');
  return parsed.data;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode: status, headers: { 'Content-Type': TAXII_MEDIA_TYPE, ...headers }, body: JSON.stringify(body) };
}

/** TAXII 2.1 §3.6.1 error message. Unexpected errors name only the error_id, never internals. */
export function errorResponse(error: unknown, requestId: string, c: Container): APIGatewayProxyResult {
  if (error instanceof KyoyuError) {
    const headers: Record<string, string> =
      error instanceof UnauthorizedError ? { 'WWW-Authenticate': 'Basic realm="kyoyu", charset="UTF-8"' } : {};
    c.logger.info('request refused', { requestId, status: error.httpStatus, reason: error.description });
    return json(
      error.httpStatus,
      { title: error.title, description: error.description, error_id: requestId, http_status: String(error.httpStatus) },
      headers,
    );
  }
  c.logger.error('unexpected error', { requestId, error: error instanceof Error ? error.stack : String(error) });
  return json(500, {
    title: 'Internal error',
    description: `The server failed to answer; quote error_id ${requestId} to the platform operator`,
    error_id: requestId,
    http_status: '500',
  });
}

/**
 * A TAXII route: content negotiation first (TAXII 2.1 §1.6.8), then the use case, then the response shape.
 * One onError turns every failure into a TAXII error message.
 */
export function taxiiRoute(run: (request: HttpRequest, c: Container) => Promise<HttpResult>) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .onError((request) => {
      request.response = errorResponse(request.error, request.event.requestContext?.requestId ?? request.context.awsRequestId, container());
    })
    .handler(async (event) => {
      const c = container();
      const headers = lowerCaseHeaders(event.headers);
      assertAcceptsTaxii(headers['accept']);
      const result = await run(
        {
          principal: principalOf(event),
          pathParameters: Object.fromEntries(Object.entries(event.pathParameters ?? {}).filter(([, v]) => v !== undefined)) as Record<string, string>,
          query: queryOf(event),
          headers,
          body: event.body === null ? undefined : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body,
          baseUrl: baseUrlOf(event, headers),
          requestId: event.requestContext.requestId,
        },
        c,
      );
      return result.body === undefined
        ? { statusCode: result.status, headers: result.headers ?? {}, body: '' }
        : json(result.status, result.body, result.headers);
    });
}
