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

describe('the local gateway, with a connection left idle', () => {
  it('never closes it itself: the client does, so a request never meets a socket the server is closing', async () => {
    // Arrange: one keep-alive connection and a request that needs no function (a 405).
    const { connect } = await import('node:net');
    const socket = connect(Number(new URL(gateway.url).port), '127.0.0.1');
    let received = '';
    let closedByServer = false;
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('end', () => (closedByServer = true));
    const request = 'PUT /taxii2/ HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n';
    const answers = () => (received.match(/HTTP\/1\.1 405 /g) ?? []).length;
    const answered = async (count: number) => {
      while (answers() < count && !socket.destroyed) await new Promise((r) => setTimeout(r, 20));
    };

    // Act: a request, then longer idle than Node's default keep-alive timeout (5 s), then another request.
    socket.write(request);
    await answered(1);
    await new Promise((r) => setTimeout(r, 5500));
    const openAfterIdle = !closedByServer;
    if (openAfterIdle) {
      socket.write(request);
      await answered(2);
    }
    socket.destroy();

    // Assess: no idle timeout announced, none applied, and the second request answered on the same connection.
    expect(received).not.toMatch(/^keep-alive:/im);
    expect(openAfterIdle).toBe(true);
    expect(answers()).toBe(2);
  }, 15_000);
});
