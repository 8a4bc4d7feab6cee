import { request } from 'node:http';
import { basic, demoUser, startSeededPlatform, TAXII_ACCEPT, type SeededPlatform } from '../support/platform';

let env: SeededPlatform;
beforeAll(async () => {
  env = await startSeededPlatform('discovery');
});
afterAll(async () => {
  await env?.platform.stop();
});

const discovery = (headers: Record<string, string>) => fetch(`${env.platform.url}/taxii2/`, { headers });

describe('GET /taxii2/ through the gateway, the authorizer and DynamoDB Local', () => {
  it('answers a TAXII discovery document listing only the caller tenant API root', async () => {
    const response = await discovery({ Authorization: basic(demoUser(env.demo, 'ics-consumer')), Accept: TAXII_ACCEPT });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/taxii+json;version=2.1');
    const body = (await response.json()) as { title: string; default: string; api_roots: string[] };
    expect(body.title).toMatch(/TAXII/);
    expect(body.api_roots).toEqual([`${env.platform.url}/ics-isac/`]);
    expect(body.default).toBe(`${env.platform.url}/ics-isac/`);
  });

  it('builds its URLs from configuration, never from the Host or X-Forwarded-* headers a client sends', async () => {
    const user = demoUser(env.demo, 'ics-consumer');
    // node:http, not fetch: fetch replaces the Host header with the URL's.
    const text = await new Promise<string>((resolve, reject) => {
      const headers = {
        Authorization: basic(user),
        Accept: TAXII_ACCEPT,
        Host: 'evil.example',
        'X-Forwarded-Host': 'evil.example',
        'X-Forwarded-Proto': 'gopher',
      };
      request(`${env.platform.url}/taxii2/`, { headers }, (response) => {
        let data = '';
        response.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
        response.on('end', () => resolve(data));
      })
        .on('error', reject)
        .end();
    });

    const body = JSON.parse(text) as { default: string; api_roots: string[] };
    expect(body.api_roots).toEqual([`${env.platform.url}/ics-isac/`]);
    expect(JSON.stringify(body)).not.toMatch(/evil|gopher/);
  });

  it('shows a member of the other tenant only its own API root', async () => {
    const response = await discovery({ Authorization: basic(demoUser(env.demo, 'fin-reader')), Accept: TAXII_ACCEPT });

    const body = (await response.json()) as { api_roots: string[] };
    expect(body.api_roots).toEqual([`${env.platform.url}/fin-isac/`]);
  });

  it('accepts the versionless TAXII media type and a missing Accept header', async () => {
    const user = demoUser(env.demo, 'ics-reader');
    expect((await discovery({ Authorization: basic(user), Accept: 'application/taxii+json' })).status).toBe(200);
    expect((await discovery({ Authorization: basic(user) })).status).toBe(200);
  });

  it('refuses a wrong password with 401, WWW-Authenticate and a TAXII error body', async () => {
    const user = demoUser(env.demo, 'ics-consumer');
    const response = await discovery({ Authorization: basic({ ...user, password: `${user.password}x` }), Accept: TAXII_ACCEPT });

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
    const body = (await response.json()) as { title: string; description: string; http_status: string };
    expect(body.http_status).toBe('401');
    expect(body.description).toMatch(/Basic credentials/);
  });

  it('refuses a request without credentials with 401 before any handler runs', async () => {
    const response = await discovery({ Accept: TAXII_ACCEPT });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  it('refuses an Accept it cannot produce with 406 and says what to send', async () => {
    const response = await discovery({ Authorization: basic(demoUser(env.demo, 'ics-consumer')), Accept: 'application/xml' });

    expect(response.status).toBe(406);
    const body = (await response.json()) as { description: string; error_id: string };
    expect(body.description).toContain('application/taxii+json;version=2.1');
    expect(body.error_id).toBe(response.headers.get('x-amzn-requestid'));
  });

  it('stores passwords only as salted scrypt hashes', async () => {
    const user = demoUser(env.demo, 'ics-admin');
    const stored = await env.directory.getUser(user.username);

    expect(stored?.passwordHash).toMatch(/^scrypt\$/);
    expect(stored?.passwordHash).not.toContain(user.password);
  });

  it('answers an unknown method on a known path with a TAXII 405 naming the methods it has (RFC 9110 §15.5.6)', async () => {
    const response = await fetch(`${env.platform.url}/taxii2/`, {
      method: 'PUT',
      headers: { Authorization: basic(demoUser(env.demo, 'ics-reader')), Accept: TAXII_ACCEPT },
    });
    expect([response.status, response.headers.get('allow'), ((await response.json()) as { http_status: string }).http_status]).toEqual([
      405,
      'GET',
      '405',
    ]);
  });

  it('answers an unknown path with a TAXII 404', async () => {
    const response = await fetch(`${env.platform.url}/no/such/resource/`, { headers: { Accept: TAXII_ACCEPT } });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { http_status: string }).http_status).toBe('404');
  });
});
