import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { runInEnvironment } from '../../../../shared/runtime/config';
import { ADMIN_MEDIA_TYPE, route } from '../../../../shared/runtime/http/route';
import { TAXII_MEDIA_TYPE } from '../../../../shared/core/taxii/media-types';

const MEMBER = { tenantId: 'ics-isac', memberId: 'kanto-power', username: 'kp-analyst', role: 'analyst' };

/** An API Gateway proxy event as the gateways hand it over, with the authorizer's context. */
function event(
  method: string,
  overrides: { headers?: Record<string, string>; authorizer?: Record<string, string> | null; body?: string } = {},
): APIGatewayProxyEvent {
  return {
    resource: '/admin/whoami',
    path: '/admin/whoami',
    httpMethod: method,
    headers: overrides.headers ?? { Accept: TAXII_MEDIA_TYPE },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: overrides.body ?? null,
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-42',
      path: '/admin/whoami',
      authorizer: overrides.authorizer === undefined ? MEMBER : overrides.authorizer,
    } as never,
  };
}

const context = { functionName: 'kyoyu-test', awsRequestId: 'lambda-1', getRemainingTimeInMillis: () => 10_000 } as Context;
const answer = (result: APIGatewayProxyResult) => ({
  status: result.statusCode,
  headers: result.headers,
  body: JSON.parse(result.body) as Record<string, unknown>,
});

describe('the route builder', () => {
  it('answers a method the resource does not have with 405 and the methods it has, without running anything', async () => {
    // Prepare
    let ran = 0;
    const handler = route(
      { mediaType: ADMIN_MEDIA_TYPE, caller: 'admin' },
      {
        GET: async () => ({ status: 200, body: { ran: ++ran } }),
        PATCH: async () => ({ status: 200, body: { ran: ++ran } }),
      },
    );

    // Act
    const refused = answer(await handler(event('PUT'), context));

    // Assess
    expect(refused).toEqual({
      status: 405,
      headers: { 'Content-Type': ADMIN_MEDIA_TYPE, Allow: 'GET, PATCH' },
      body: {
        title: 'Method not allowed',
        description: 'PUT is not allowed on this resource; it allows GET, PATCH',
        error_id: 'req-42',
        http_status: '405',
      },
    });
    expect(ran).toBe(0);
  });

  it('still answers a TAXII error naming the error_id when the function cannot build its container', async () => {
    // Prepare: a configuration error (the container refuses an endpoint that is not a URL).
    const handler = route({ mediaType: TAXII_MEDIA_TYPE, caller: 'public' }, async () => ({ status: 200, body: {} }));

    // Act
    const result = await runInEnvironment({ DYNAMODB_ENDPOINT: 'not a url' }, () => handler(event('GET'), context));

    // Assess: not a bare gateway 502, and nothing of the configuration in the answer.
    expect(answer(result)).toEqual({
      status: 500,
      headers: { 'Content-Type': TAXII_MEDIA_TYPE },
      body: {
        title: 'Internal error',
        description: 'The server failed to answer; quote error_id req-42 to the platform operator',
        error_id: 'req-42',
        http_status: '500',
      },
    });
    expect(result.body).not.toMatch(/DYNAMODB|not a url/);
  });

  it('negotiates TAXII content before it looks at the caller', async () => {
    // Prepare: a client that accepts only JSON, and no authorizer context either.
    const handler = route({ mediaType: TAXII_MEDIA_TYPE, caller: 'member' }, async () => ({ status: 200, body: {} }));

    // Act
    const refused = answer(await handler(event('GET', { headers: { Accept: 'application/json' }, authorizer: null }), context));

    // Assess
    expect([refused.status, refused.headers?.['Content-Type'], refused.body['error_id']]).toEqual([406, TAXII_MEDIA_TYPE, 'req-42']);
  });

  it('refuses a platform operator on a member route and hands an admin route the operator as its caller', async () => {
    // Prepare
    const operator = { role: 'operator', username: 'root-op' };
    const member = route({ mediaType: ADMIN_MEDIA_TYPE, caller: 'member' }, { GET: async (r) => ({ status: 200, body: r.principal }) });
    const admin = route({ mediaType: ADMIN_MEDIA_TYPE, caller: 'admin' }, { GET: async (r) => ({ status: 200, body: r.caller }) });

    // Act
    const [refused, served] = await Promise.all([
      member(event('GET', { authorizer: operator }), context),
      admin(event('GET', { authorizer: operator }), context),
    ]);

    // Assess
    expect([answer(refused).status, answer(refused).body['title']]).toEqual([403, 'Forbidden']);
    expect(answer(served)).toEqual({ status: 200, headers: { 'Content-Type': ADMIN_MEDIA_TYPE }, body: operator });
  });

  it('parses a JSON body only when the use case reads it, and refuses it then if it is not JSON', async () => {
    // Prepare
    const ignoring = route({ mediaType: ADMIN_MEDIA_TYPE, caller: 'admin' }, { POST: async () => ({ status: 200, body: { ok: true } }) });
    const reading = route(
      { mediaType: ADMIN_MEDIA_TYPE, caller: 'admin' },
      { POST: async (r) => ({ status: 200, body: { got: r.json } }) },
    );

    // Act
    const [ignored, read, good] = await Promise.all([
      ignoring(event('POST', { body: '{not json' }), context),
      reading(event('POST', { body: '{not json' }), context),
      reading(event('POST', { body: '{"a":1}' }), context),
    ]);

    // Assess
    expect([answer(ignored).status, answer(read).status, answer(read).body['description'], answer(good).body]).toEqual([
      200,
      400,
      'The request body is not valid JSON',
      { got: { a: 1 } },
    ]);
  });
});
