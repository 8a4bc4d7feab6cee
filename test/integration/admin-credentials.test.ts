import { adminClient, discoveryStatus, type AdminClient } from '../support/admin-client';
import { basic, startSeededPlatform, type SeededPlatform } from '../support/platform';

let env: SeededPlatform;
let icsAdmin: AdminClient;
let operator: AdminClient;
const KEYS = '/admin/tenants/ics-isac/members/kanto-power/keys';

beforeAll(async () => {
  env = await startSeededPlatform('admin-cred');
  icsAdmin = adminClient(env, 'ics-admin');
  operator = adminClient(env, 'operator');
});
afterAll(async () => env?.platform.stop());

async function newKey(role = 'analyst'): Promise<{ id: string; secret: string }> {
  const created = await icsAdmin.post<{ key: { id: string }; secret: string }>(KEYS, { name: 'opencti', role });
  expect(created.status).toBe(201);
  return { id: created.body.key.id, secret: created.body.secret };
}

describe('API keys', () => {
  it('work as Bearer, as Token and as the Basic password (TAXII-CLIENTS #3, #4), and are never shown again', async () => {
    const key = await newKey();
    const listed = await icsAdmin.get<{ keys: Array<Record<string, unknown>> }>(KEYS);

    expect(await discoveryStatus(env, `Bearer ${key.secret}`)).toBe(200);
    expect(await discoveryStatus(env, `Token ${key.secret}`)).toBe(200);
    expect(await discoveryStatus(env, basic({ username: 'sentinel', password: key.secret }))).toBe(200);
    expect(listed.body.keys.find((k) => k.id === key.id)).toMatchObject({ name: 'opencti', role: 'analyst', status: 'active' });
    expect(JSON.stringify(listed.body)).not.toContain(key.secret.slice(-32));
    expect(JSON.stringify(listed.body)).not.toMatch(/secretHash|scrypt/);
  });

  it('stop working at once when revoked, suspended, expired or rotated', async () => {
    const revoked = await newKey();
    const suspended = await newKey();
    const expired = await newKey();
    const rotated = await newKey();

    expect((await icsAdmin.delete(`${KEYS}/${revoked.id}`)).status).toBe(204);
    expect((await icsAdmin.patch(`${KEYS}/${suspended.id}`, { status: 'suspended' })).status).toBe(200);
    expect((await icsAdmin.patch(`${KEYS}/${expired.id}`, { expiresAt: '2020-01-01T00:00:00Z' })).status).toBe(200);
    const renewed = await icsAdmin.post<{ secret: string }>(`${KEYS}/${rotated.id}/rotate`, {});

    expect(await discoveryStatus(env, `Bearer ${revoked.secret}`)).toBe(401);
    expect(await discoveryStatus(env, `Bearer ${suspended.secret}`)).toBe(401);
    expect(await discoveryStatus(env, `Bearer ${expired.secret}`)).toBe(401);
    expect(await discoveryStatus(env, `Bearer ${rotated.secret}`)).toBe(401);
    expect(renewed.body.secret.startsWith(`${rotated.id}_`)).toBe(true);
    expect(await discoveryStatus(env, `Bearer ${renewed.body.secret}`)).toBe(200);
    expect((await icsAdmin.patch(`${KEYS}/${expired.id}`, { expiresAt: null })).status).toBe(200);
    expect(await discoveryStatus(env, `Bearer ${expired.secret}`)).toBe(200);
  });

  it('carry their role: a reader key cannot write over TAXII', async () => {
    const key = await newKey('reader');
    const collection = env.demo.tenants[0]!.collections[0]!.id;
    const response = await fetch(`${env.platform.url}/ics-isac/collections/${collection}/objects/`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${key.secret}`,
        Accept: 'application/taxii+json;version=2.1',
        'Content-Type': 'application/taxii+json;version=2.1',
      },
      body: JSON.stringify({ objects: [] }),
    });
    expect(response.status).toBe(403);
  });
});

describe('suspension', () => {
  it("stops a suspended member's users and keys on the next request, and a resumed member's work again", async () => {
    const key = await newKey();
    const provider = env.demo.tenants[0]!.members[1]!.users[0]!;
    const member = '/admin/tenants/ics-isac/members/kanto-power';

    expect((await icsAdmin.patch(member, { status: 'suspended' })).status).toBe(200);
    const whileSuspended = [await discoveryStatus(env, `Bearer ${key.secret}`), await discoveryStatus(env, basic(provider))];
    expect((await icsAdmin.patch(member, { status: 'active' })).status).toBe(200);
    const afterwards = [await discoveryStatus(env, `Bearer ${key.secret}`), await discoveryStatus(env, basic(provider))];

    expect(whileSuspended).toEqual([401, 401]);
    expect(afterwards).toEqual([200, 200]);
  });

  it('stops every user of a tenant an operator suspends, and hides a deleted tenant for good', async () => {
    const created = await operator.post('/admin/tenants', { id: 'water-isac', nameEn: 'Water ISAC', nameJa: '水道ISAC' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ identity: { type: 'identity', spec_version: '2.1', identity_class: 'organization' } });
    expect(
      (await operator.post('/admin/tenants/water-isac/members', { id: 'secretariat', nameEn: 'Secretariat', nameJa: '事務局' })).status,
    ).toBe(201);
    const admin = await operator.post<{ password: string }>('/admin/tenants/water-isac/members/secretariat/users', {
      username: 'water-admin',
      role: 'tenant-admin',
    });
    const credentials = basic({ username: 'water-admin', password: admin.body.password });
    expect(await discoveryStatus(env, credentials)).toBe(200);

    await operator.patch('/admin/tenants/water-isac', { status: 'suspended' });
    expect(await discoveryStatus(env, credentials)).toBe(401);
    await operator.patch('/admin/tenants/water-isac', { status: 'active' });
    expect(await discoveryStatus(env, credentials)).toBe(200);

    expect((await operator.delete('/admin/tenants/water-isac')).status).toBe(204);
    expect(await discoveryStatus(env, credentials)).toBe(401);
    expect((await operator.get('/admin/tenants/water-isac')).status).toBe(404);
    const again = await operator.post<{ description: string }>('/admin/tenants', {
      id: 'water-isac',
      nameEn: 'Water ISAC',
      nameJa: '水道ISAC',
    });
    expect(again.status).toBe(409);
    expect(again.body.description).toBe('Tenant id water-isac is taken (ids of deleted tenants are never reused)');
  });
});

describe('users', () => {
  it('shows a new password once, rotates it, expires it, and keeps usernames unique across tenants', async () => {
    const users = '/admin/tenants/ics-isac/members/hokuriku-water/users';
    const created = await icsAdmin.post<{ user: Record<string, unknown>; password: string }>(users, {
      username: 'hokuriku-soc',
      role: 'reader',
    });
    const first = { username: 'hokuriku-soc', password: created.body.password };
    const rotated = await icsAdmin.post<{ password: string }>(`${users}/hokuriku-soc/rotate`);
    const taken = await adminClient(env, 'fin-admin').post<{ description: string }>('/admin/tenants/fin-isac/members/sakura-bank/users', {
      username: 'hokuriku-soc',
      role: 'reader',
    });

    expect(created.status).toBe(201);
    expect(created.body.user).not.toHaveProperty('passwordHash');
    expect(await discoveryStatus(env, basic(first))).toBe(401);
    expect(await discoveryStatus(env, basic({ username: 'hokuriku-soc', password: rotated.body.password }))).toBe(200);
    expect(taken.status).toBe(409);
    expect(taken.body.description).toBe('Username hokuriku-soc is taken');

    await icsAdmin.patch(`${users}/hokuriku-soc`, { expiresAt: '2020-01-01T00:00:00Z' });
    expect(await discoveryStatus(env, basic({ username: 'hokuriku-soc', password: rotated.body.password }))).toBe(401);
    expect((await icsAdmin.delete(`${users}/hokuriku-soc`)).status).toBe(204);
    expect((await icsAdmin.get<{ users: Array<{ username: string }> }>(users)).body.users.map((u) => u.username)).toEqual(['ics-consumer']);
  });

  it('keeps operators out of TAXII: they have no API root', async () => {
    const response = await fetch(`${env.platform.url}/taxii2/`, {
      headers: { Authorization: basic(env.demo.operator!), Accept: 'application/taxii+json;version=2.1' },
    });
    expect(response.status).toBe(403);
  });
});
