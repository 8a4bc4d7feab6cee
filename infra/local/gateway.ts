import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayAuthorizerResult, APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { API_MAX_CONTENT_LENGTH, authorizer, gatewayResponses, routes, type RouteDefinition } from '../topology';
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

const TEXT_TYPES = /^(application\/([a-z0-9.+-]*json|x-www-form-urlencoded|xml)|text\/)/i;

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
        else throw error;
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
    for (const candidate of compiled) {
      const match = candidate.pattern.exec(url.pathname);
      if (!match) continue;
      if (candidate.route.method !== method) continue;
      const parameters: Record<string, string> = {};
      candidate.parameterNames.forEach((name, i) => (parameters[name] = decodeURIComponent(match[i + 1] ?? '')));
      matched = { route: candidate, parameters };
      break;
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
    if (!matched) {
      // API Gateway answers an unknown method on a known path, and an unknown path, with MISSING_AUTHENTICATION_TOKEN
      // (which the topology turns into a TAXII 404).
      return write(gatewayResponse('MISSING_AUTHENTICATION_TOKEN'));
    }
    if (body === 'too-large') {
      return write({
        statusCode: 413,
        headers: { 'Content-Type': 'application/taxii+json;version=2.1' },
        body: JSON.stringify({ title: 'Payload too large', description: `Request bodies are limited to ${API_MAX_CONTENT_LENGTH} bytes`, http_status: '413' }),
      });
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
    const isText = body.length === 0 || TEXT_TYPES.test(contentType);
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
        identity: { sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userAgent: request.headers['user-agent'] ?? null } as APIGatewayProxyEvent['requestContext']['identity'],
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
      return write({ statusCode: 502, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ message: 'Internal server error' }) });
    }
    const handler = options.loadHandler(matched.route.route.entry);
    const result = (await handler(
      event,
      lambdaContext(functionNameOf(matched.route.route.entry), matched.route.route.timeoutSeconds, requestId),
    )) as APIGatewayProxyResult;
    write(result);
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // What API Gateway answers when the integration fails: 502, no internals.
      options.onError?.('handler failed', error);
      if (!response.headersSent) {
        response.writeHead(502, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ message: 'Internal server error' }));
      }
    });
  });
  server.keepAliveTimeout = 5000;
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
