import { startGateway, type Gateway } from '../../infra/local/gateway';

/** The local gateway alone, with handlers that only count their invocations: nothing here may reach one. */
let gateway: Gateway;
const invoked: string[] = [];

beforeAll(async () => {
  gateway = await startGateway({
    port: 0,
    loadHandler: (entry) => async () => {
      invoked.push(entry);
      throw new Error(`${entry} must not run`);
    },
    authorizerCacheSeconds: 0,
  });
});
afterAll(async () => gateway.stop());

async function send(method: string, path: string) {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/taxii+json;version=2.1' },
    body: method === 'GET' ? undefined : '{}',
  });
  return {
    status: response.status,
    allow: response.headers.get('allow'),
    contentType: response.headers.get('content-type'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('the local gateway, asked a method a resource does not have', () => {
  it('answers 405 with the methods the topology gives the resource, before any authorizer or function runs', async () => {
    // Act: no credentials at all, as the ANY mock on AWS needs none.
    const answers = await Promise.all([
      send('PUT', '/taxii2/'),
      send('POST', '/admin/tenants/acme'),
      send('PATCH', '/ics-isac/collections/c1/objects/'),
    ]);

    // Assess
    expect(answers).toEqual([
      {
        status: 405,
        allow: 'GET',
        contentType: 'application/taxii+json;version=2.1',
        body: { title: 'Method not allowed', description: 'This resource allows GET', http_status: '405' },
      },
      expect.objectContaining({ status: 405, allow: 'GET, PATCH, DELETE' }),
      expect.objectContaining({ status: 405, allow: 'GET, POST' }),
    ]);
    expect(invoked).toEqual([]);
  });

  it('still answers an unknown path with a TAXII 404', async () => {
    // Act
    const answer = await send('PUT', '/no/such/resource/here/at/all/');

    // Assess
    expect([answer.status, answer.allow, answer.body['http_status']]).toEqual([404, null, '404']);
    expect(invoked).toEqual([]);
  });
});
