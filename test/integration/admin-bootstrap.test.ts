import { startPlatform, type Platform } from '../../infra/local/platform';
import { testEndpoints, uniquePrefix } from '../support/emulators';
import { loadSourceHandler } from '../support/platform';

/** A fresh deployment, not seeded: its first operator comes from the bootstrap secret, once. */
let platform: Platform;
const SECRET = 'bootstrap-secret-of-this-test-deployment-0123456789';
beforeAll(async () => {
  platform = await startPlatform({
    endpoints: testEndpoints(),
    prefix: uniquePrefix('bootstrap'),
    httpPort: 0,
    loadHandler: loadSourceHandler,
    authorizerCacheSeconds: 0,
    logLevel: 'silent',
    secrets: { bootstrap: SECRET },
  });
}, 60000);
afterAll(async () => platform?.stop());

const bootstrap = (secret: string | undefined, username: string) =>
  fetch(`${platform.url}/admin/bootstrap`, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...(secret ? { 'X-Kyoyu-Bootstrap-Secret': secret } : {}) },
    body: JSON.stringify({ username }),
  });

it('creates the first operator only with the deployment secret, and only once', async () => {
  const wrong = await bootstrap('not-the-secret', 'first-operator');
  const missing = await bootstrap(undefined, 'first-operator');
  const first = await bootstrap(SECRET, 'first-operator');
  const again = await bootstrap(SECRET, 'second-operator');
  const created = (await first.json()) as { username: string; password: string };
  const basic = `Basic ${Buffer.from(`${created.username}:${created.password}`).toString('base64')}`;
  const tenant = await fetch(`${platform.url}/admin/tenants`, {
    method: 'POST',
    headers: { Authorization: basic, Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify({ id: 'rail-isac', nameEn: 'Rail ISAC', nameJa: '鉄道ISAC' }),
  });

  expect([wrong.status, missing.status]).toEqual([401, 401]);
  expect(first.status).toBe(201);
  expect(created.password.length).toBeGreaterThanOrEqual(24);
  expect(again.status).toBe(409);
  expect(((await again.json()) as { description: string }).description).toMatch(/already has its first operator/);
  expect(tenant.status).toBe(201);
});

it("gives the handlers each secret's name, as Lambda gets its ARN, never its value", () => {
  const values = Object.values(platform.env);

  expect(values).not.toContain(SECRET);
  expect(values.filter((v) => v.includes(SECRET.slice(0, 16)))).toEqual([]);
  expect(platform.env.SECRET_ID_BOOTSTRAP).toMatch(/^t-bootstrap-[0-9a-f]+\/bootstrap$/);
  expect(platform.env.SECRETS_MANAGER_ENDPOINT).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
});
