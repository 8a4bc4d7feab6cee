import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { APIGatewayAuthorizerResult, APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import {
  API_BINARY_MEDIA_TYPES,
  API_MAX_CONTENT_LENGTH,
  authorizer,
  gatewayResponses,
  methodNotAllowed,
  methodsOf,
  routes,
  type RouteDefinition,
} from '../topology';
import { functionNameOf, lambdaContext, type HandlerLoader } from './lambda-context';

/**
 * A stand-in for API Gateway's REST API: the same routes, the same proxy events, the same REQUEST authorizer
 * with a result cache, and the same gateway responses, in front of the very handlers deployed to Lambda.
 */

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  parameterNames: string[];
  /** Static segments outrank parameters, as in API Gateway. */
  specificity: number[];
}

function compile(route: RouteDefinition): CompiledRoute {
  const segments = route.path.split('/').filter(Boolean);
  const parameterNames: string[] = [];
  const regex = segments
    .map((segment) => {
      const parameter = /^\{(.+)\}$/.exec(segment);
      if (!parameter?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      parameterNames.push(parameter[1]);
      return '([^/]+)';
    })
    .join('/');
  return {
    route,
    // API Gateway matches a resource with or without the trailing slash TAXII URLs carry.
    pattern: new RegExp(`^/${regex}${segments.length ? '/?' : ''}$`),
    parameterNames,
    specificity: segments.map((s) => (s.startsWith('{') ? 0 : 1)),
  };
}

function compareSpecificity(a: CompiledRoute, b: CompiledRoute): number {
  for (let i = 0; i < Math.max(a.specificity.length, b.specificity.length); i++) {
    const diff = (b.specificity[i] ?? -1) - (a.specificity[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}

export interface GatewayOptions {
  port: number;
  loadHandler: HandlerLoader;
  /** Authorizer result cache; API Gateway's default is the topology's TTL. Tests of revocation set 0. */
  authorizerCacheSeconds?: number;
  stage?: string;
  onError?: (message: string, error: unknown) => void;
}

export interface Gateway {
  url: string;
  port: number;
  stop(): Promise<void>;
}

type AuthorizerContext = Record<string, string | number | boolean>;

function gatewayResponse(kind: keyof typeof gatewayResponses): APIGatewayProxyResult {
  const response = gatewayResponses[kind];
  return {
    statusCode: response.status,
    headers: { 'Content-Type': 'application/taxii+json;version=2.1', ...response.headers },
    body: JSON.stringify(response.body),
  };
}

const TAXII_ERROR_TYPE = 'application/taxii+json;version=2.1';

/** A refusal by the gateway itself, as a TAXII 2.1 §3.6.1 error message like every other. */
function taxiiError(status: number, title: string, description: string): APIGatewayProxyResult {
  return {
    statusCode: status,
    headers: { 'Content-Type': TAXII_ERROR_TYPE },
    body: JSON.stringify({ title, description, http_status: String(status) }),
  };
}

/**
 * What Node's HTTP parser refuses before any handler runs (it would answer a bare 400 or 431 with no body): the
 * refusal as a TAXII error, with the limit or the rule that was broken.
 */
export function clientErrorResponse(code: string | undefined): { status: number; title: string; description: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        title: 'Request header fields too large',
        description: `The request line and headers are limited to ${MAX_HEADER_BYTES} bytes in all`,
      };
    case 'HPE_INVALID_METHOD':
      return { status: 400, title: 'Bad request', description: 'Unknown HTTP method; methods are upper case (GET, POST, DELETE)' };
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return {
        status: 400,
        title: 'Bad request',
        description: 'Content-Length must be one non-negative decimal number, and not beside Transfer-Encoding',
      };
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_INVALID_CHUNK_SIZE':
      return { status: 400, title: 'Bad request', description: 'Transfer-Encoding must be chunked, with hexadecimal chunk sizes' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return { status: 408, title: 'Request timeout', description: 'The request was not received in time' };
    default:
      return { status: 400, title: 'Bad request', description: 'The request is not well-formed HTTP/1.1 (RFC 9112)' };
  }
}

/** API Gateway refuses request lines and headers beyond 10 KB (its quota); Node's own default is 16 KB. */
const MAX_HEADER_BYTES = 10 * 1024;

/** The authorizer threw something other than its refusal: API Gateway answers AUTHORIZER_FAILURE (500). */
class AuthorizerFailure extends Error {
  constructor(cause: unknown) {
    super('The authorizer failed', { cause });
  }
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

const LAMBDA_PAYLOAD_LIMIT = 6 * 1024 * 1024;

/** API Gateway's rule for binaryMediaTypes: a body whose Content-Type matches one arrives base64-encoded. */
function isBinary(contentType: string): boolean {
  const essence = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  const [type = '', subtype = ''] = essence.split('/');
  return API_BINARY_MEDIA_TYPES.some((range: string) => {
    const [t, s] = range.split('/');
    return (t === '*' || t === type) && (s === '*' || s === subtype);
  });
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const compiled = routes.map(compile).sort(compareSpecificity);
  const cacheMs = (options.authorizerCacheSeconds ?? authorizer.resultTtlSeconds) * 1000;
  const authorizerCache = new Map<string, { expires: number; result: APIGatewayAuthorizerResult | 'unauthorized' }>();
  const stage = options.stage ?? 'local';
  const authorize = options.loadHandler(authorizer.entry);

  async function authorizeRequest(
    header: string | undefined,
    event: APIGatewayProxyEvent,
  ): Promise<AuthorizerContext | APIGatewayProxyResult> {
    // API Gateway answers 401 itself, without calling the authorizer, when the identity source is absent.
    if (!header) return gatewayResponse('UNAUTHORIZED');
    let cached = authorizerCache.get(header);
    if (!cached || cached.expires < Date.now()) {
      let result: APIGatewayAuthorizerResult | 'unauthorized';
      try {
        result = (await authorize(
          {
            type: 'REQUEST',
            methodArn: `arn:aws:execute-api:local:000000000000:local/${stage}/${event.httpMethod}${event.path}`,
            resource: event.resource,
            path: event.path,
            httpMethod: event.httpMethod,
            headers: event.headers,
            multiValueHeaders: event.multiValueHeaders,
            pathParameters: event.pathParameters,
            queryStringParameters: event.queryStringParameters,
            multiValueQueryStringParameters: event.multiValueQueryStringParameters,
            stageVariables: null,
            requestContext: event.requestContext,
          },
          lambdaContext(functionNameOf(authorizer.entry), authorizer.timeoutSeconds),
        )) as APIGatewayAuthorizerResult;
      } catch (error) {
        if (error instanceof Error && error.message === 'Unauthorized') result = 'unauthorized';
        else throw new AuthorizerFailure(error);
      }
      cached = { expires: Date.now() + cacheMs, result };
      if (cacheMs > 0) authorizerCache.set(header, cached);
    }
    if (cached.result === 'unauthorized') return gatewayResponse('UNAUTHORIZED');
    const allowed = cached.result.policyDocument.Statement.some((s) => 'Effect' in s && s.Effect === 'Allow');
    if (!allowed) return gatewayResponse('ACCESS_DENIED');
    return { ...(cached.result.context ?? {}), principalId: cached.result.principalId };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = (request.method ?? 'GET').toUpperCase();
    let matched: { route: CompiledRoute; parameters: Record<string, string> } | undefined;
    let malformedPath = false;
    // As API Gateway: the resource first (static segments outrank parameters), then its method.
    const known = compiled.find((candidate) => candidate.pattern.test(url.pathname));
    const candidate = known && compiled.find((c) => c.route.path === known.route.path && c.route.method === method);
    const match = candidate?.pattern.exec(url.pathname);
    if (candidate && match) {
      const parameters: Record<string, string> = {};
      try {
        candidate.parameterNames.forEach((name, i) => (parameters[name] = decodeURIComponent(match[i + 1] ?? '')));
        matched = { route: candidate, parameters };
      } catch {
        // A lone `%`, `%zz` or percent-encoded bytes that are not UTF-8 name nothing: refused, not a failed integration.
        malformedPath = true;
      }
    }
    const body = await readBody(request, API_MAX_CONTENT_LENGTH);
    const write = (result: APIGatewayProxyResult) => {
      const headers: Record<string, string | string[]> = { 'x-amzn-requestid': requestId };
      for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
      for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) headers[name] = values.map(String);
      const payload = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : Buffer.from(result.body ?? '', 'utf8');
      headers['content-length'] = String(payload.length);
      response.writeHead(result.statusCode, headers);
      response.end(payload);
    };
    if (malformedPath) {
      return write(
        taxiiError(
          400,
          'Bad request',
          'The path holds a malformed percent-encoding (RFC 3986 §2.1): % must be followed by two hex digits encoding UTF-8',
        ),
      );
    }
    if (!matched && known) {
      // A method the resource does not have: 405 and its methods, before the authorizer (the ANY mock on AWS).
      const refusal = methodNotAllowed(methodsOf(known.route.path));
      return write({
        statusCode: refusal.status,
        headers: { 'Content-Type': TAXII_ERROR_TYPE, ...refusal.headers },
        body: JSON.stringify(refusal.body),
      });
    }
    if (!matched) {
      // API Gateway answers an unknown path with MISSING_AUTHENTICATION_TOKEN (which the topology makes a TAXII 404).
      return write(gatewayResponse('MISSING_AUTHENTICATION_TOKEN'));
    }
    if (body === 'too-large') {
      return write(gatewayResponse('REQUEST_TOO_LARGE'));
    }

    const headers: Record<string, string> = {};
    const multiValueHeaders: Record<string, string[]> = {};
    for (let i = 0; i < request.rawHeaders.length; i += 2) {
      const name = request.rawHeaders[i]!;
      const value = request.rawHeaders[i + 1]!;
      headers[name] = value;
      (multiValueHeaders[name] ??= []).push(value);
    }
    headers['X-Forwarded-Proto'] = 'http';
    multiValueHeaders['X-Forwarded-Proto'] = ['http'];
    const multiValueQuery: Record<string, string[]> = {};
    for (const [name, value] of url.searchParams) (multiValueQuery[name] ??= []).push(value);
    const singleQuery = Object.fromEntries(Object.entries(multiValueQuery).map(([k, v]) => [k, v[v.length - 1]!]));
    const contentType = headers[Object.keys(headers).find((h) => h.toLowerCase() === 'content-type') ?? ''] ?? '';
    const isText = body.length === 0 || !isBinary(contentType);
    const resource = matched.route.route.path;
    const event: APIGatewayProxyEvent = {
      resource,
      path: url.pathname,
      httpMethod: method,
      headers,
      multiValueHeaders,
      queryStringParameters: Object.keys(singleQuery).length ? singleQuery : null,
      multiValueQueryStringParameters: Object.keys(multiValueQuery).length ? multiValueQuery : null,
      pathParameters: Object.keys(matched.parameters).length ? matched.parameters : null,
      stageVariables: null,
      body: body.length === 0 ? null : isText ? body.toString('utf8') : body.toString('base64'),
      isBase64Encoded: !isText,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        authorizer: null,
        domainName: request.headers.host ?? '127.0.0.1',
        httpMethod: method,
        identity: {
          sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
          userAgent: request.headers['user-agent'] ?? null,
        } as APIGatewayProxyEvent['requestContext']['identity'],
        // Locally there is no stage prefix in the URL, as with a custom domain on AWS.
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        requestId,
        requestTimeEpoch: Date.now(),
        resourceId: 'local',
        resourcePath: resource,
        stage,
      },
    };
    if (!matched.route.route.public) {
      const authHeader = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
      const outcome = await authorizeRequest(authHeader, event);
      if ('statusCode' in outcome) return write(outcome as APIGatewayProxyResult);
      event.requestContext.authorizer = outcome;
    }
    // Lambda refuses invocation payloads over 6 MB and API Gateway then answers 502; the same here, so that
    // max_content_length is proven against the real limit rather than a laxer local one.
    if (Buffer.byteLength(JSON.stringify(event)) > LAMBDA_PAYLOAD_LIMIT) {
      return write(gatewayResponse('INTEGRATION_FAILURE'));
    }
    const handler = options.loadHandler(matched.route.route.entry);
    const result = (await handler(
      event,
      lambdaContext(functionNameOf(matched.route.route.entry), matched.route.route.timeoutSeconds, requestId),
    )) as APIGatewayProxyResult;
    write(result);
  }

  const server: Server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      // What API Gateway answers when the integration fails: 502, no internals.
      options.onError?.('handler failed', error);
      if (!response.headersSent) {
        const failure = gatewayResponse(error instanceof AuthorizerFailure ? 'AUTHORIZER_FAILURE' : 'INTEGRATION_FAILURE');
        response.writeHead(failure.statusCode, failure.headers as Record<string, string>);
        response.end(failure.body);
      }
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return socket.destroy();
    const { status, title, description } = clientErrorResponse(error.code);
    const body = JSON.stringify({ title, description, http_status: String(status) });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Bad Request'}\r\nContent-Type: ${TAXII_ERROR_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  // Idle keep-alive connections are closed by the client, never by this server: a server-side idle timeout races with
  // a client reusing the connection at that moment (fetch reuses a socket until a second or two before the server's hint),
  // and when the event loop is busy for longer than that second, as under the tests' load, the request meets a reset
  // socket (ECONNRESET) though nothing failed. Node then sends no Keep-Alive hint, and fetch closes after 4 s idle.
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
