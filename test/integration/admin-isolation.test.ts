import { adminRoutes } from '../../infra/topology';
import { adminClient, type AdminClient } from '../support/admin-client';
import { startSeededPlatform, type SeededPlatform } from '../support/platform';

let env: SeededPlatform;
let icsAdmin: AdminClient;
let finAdmin: AdminClient;
let reader: AdminClient;
let operator: AdminClient;
const fin: Record<string, string> = { tenant: 'fin-isac', member: 'sakura-bank', username: 'fin-provider' };

beforeAll(async () => {
  env = await startSeededPlatform('admin-iso');
  icsAdmin = adminClient(env, 'ics-admin');
  finAdmin = adminClient(env, 'fin-admin');
  reader = adminClient(env, 'ics-reader');
  operator = adminClient(env, 'operator');
  fin.collectionId = env.demo.tenants[1]!.collections[0]!.id;
  fin.keyId = (
    await finAdmin.post<{ key: { id: string } }>('/admin/tenants/fin-isac/members/sakura-bank/keys', { name: 'misp', role: 'analyst' })
  ).body.key.id;
  fin.group = (
    await finAdmin.post<{ id: string }>('/admin/tenants/fin-isac/groups', {
      id: 'banks',
      title: 'Banks',
      kind: 'secret',
      memberIds: ['sakura-bank'],
    })
  ).body.id;
});
afterAll(async () => env?.platform.stop());

const fill = (path: string, values: Record<string, string>) => path.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? name);
const tenantRoutes = adminRoutes.filter((r) => r.path.includes('{tenant}'));
/** Bodies valid enough that only authorisation can refuse them. */
const BODY: Record<string, unknown> = {
  POST: { id: 'x', nameEn: 'X', nameJa: 'X', title: 'X', name: 'x', role: 'reader', username: 'someone', kind: 'open' },
  PUT: {},
  PATCH: { nameEn: 'Y' },
  DELETE: undefined,
};

async function finState() {
  const [members, users, keys, groups, grants, audit] = await Promise.all([
    finAdmin.get('/admin/tenants/fin-isac/members'),
    finAdmin.get('/admin/tenants/fin-isac/members/sakura-bank/users'),
    finAdmin.get('/admin/tenants/fin-isac/members/sakura-bank/keys'),
    finAdmin.get('/admin/tenants/fin-isac/groups'),
    finAdmin.get('/admin/tenants/fin-isac/grants'),
    finAdmin.get<{ entries: number }>('/admin/tenants/fin-isac/audit/verify'),
  ]);
  return {
    members: members.body,
    users: users.body,
    keys: keys.body,
    groups: groups.body,
    grants: grants.body,
    auditEntries: audit.body.entries,
  };
}

describe('tenant isolation', () => {
  it('answers every admin endpoint of another tenant with the 404 of a tenant that does not exist, and changes nothing there', async () => {
    const before = await finState();
    const answers: string[] = [];
    for (const route of tenantRoutes) {
      const foreign = await icsAdmin.call<{ description: string }>(route.method, fill(route.path, fin), BODY[route.method]);
      const missing = await icsAdmin.call<{ description: string }>(
        route.method,
        fill(route.path, { ...fin, tenant: 'no-such-isac' }),
        BODY[route.method],
      );
      answers.push(
        `${route.method} ${route.path} ${foreign.status} ${foreign.body.description.replace('fin-isac', 'T') === missing.body.description.replace('no-such-isac', 'T')}`,
      );
    }

    expect(tenantRoutes.length).toBeGreaterThanOrEqual(25);
    expect(answers).toEqual(tenantRoutes.map((r) => `${r.method} ${r.path} 404 true`));
    expect(await finState()).toEqual(before);
    // Two requests per admin route, one after the other (about 7 s idle): room for a loaded CI machine.
  }, 120000);

  it('lists only the own tenant to a tenant admin, and keeps tenant creation and the platform log to operators', async () => {
    const listed = await icsAdmin.get<{ tenants: Array<{ id: string }> }>('/admin/tenants');
    const created = await icsAdmin.post<{ description: string }>('/admin/tenants', { id: 'rogue-isac', nameEn: 'Rogue', nameJa: 'ローグ' });
    const platformLog = await icsAdmin.get('/admin/audit');

    expect(listed.body.tenants.map((t) => t.id)).toEqual(['ics-isac']);
    expect(created.status).toBe(403);
    expect(created.body.description).toBe('Only platform operators may create tenants');
    expect(platformLog.status).toBe(403);
    expect((await operator.get<{ tenants: Array<{ id: string }> }>('/admin/tenants')).body.tenants.map((t) => t.id).sort()).toEqual([
      'fin-isac',
      'ics-isac',
    ]);
  });

  it('lets a tenant admin rename its tenant but not suspend it', async () => {
    expect((await icsAdmin.patch('/admin/tenants/ics-isac', { description: 'Control-system operators' })).status).toBe(200);
    const suspend = await icsAdmin.patch<{ description: string }>('/admin/tenants/ics-isac', { status: 'suspended' });
    expect(suspend.status).toBe(403);
    expect(suspend.body.description).toBe('Only platform operators may suspend or resume tenants');
  });
});

describe('roles', () => {
  it('refuses every write to a reader, its own registry included', async () => {
    const own = {
      tenant: 'ics-isac',
      member: 'control-vendor',
      username: 'ics-reader',
      collectionId: env.demo.tenants[0]!.collections[0]!.id,
      keyId: 'kyk_0000000000000000',
      group: 'g',
    };
    // The one public route (the first operator's bootstrap) authenticates by its own secret: 401 without it.
    const writes = adminRoutes.filter((r) => r.method !== 'GET' && !r.public);
    const statuses = [];
    for (const route of writes)
      statuses.push(`${route.method} ${route.path} ${(await reader.call(route.method, fill(route.path, own), BODY[route.method])).status}`);

    // Any recipient may ask the moderators to take an item down, or ask the hub for analysis support (issue #14): a
    // reader gets past the role check; its empty body is refused as invalid, and a thread it did not open is a 404.
    const recipientsMay = new Map([
      ['POST /admin/tenants/{tenant}/takedowns', 400],
      ['POST /admin/tenants/{tenant}/support', 400],
      ['POST /admin/tenants/{tenant}/support/{request}/messages', 404],
      // Acknowledging an alert is reading it (issue #16): a reader gets past the role check; an alert it never
      // received is a 404.
      ['POST /admin/tenants/{tenant}/alerts/{alert}', 404],
    ]);
    expect(statuses).toEqual(writes.map((r) => `${r.method} ${r.path} ${recipientsMay.get(`${r.method} ${r.path}`) ?? 403}`));
    expect((await reader.post('/admin/bootstrap', { username: 'ics-reader-op' })).status).toBe(401);
  }, 120000);

  it('lets a reader read its own member and registry but not other members or their registries (the 404 of a missing one)', async () => {
    expect((await reader.get('/admin/tenants/ics-isac/members/control-vendor')).status).toBe(200);
    expect((await reader.get('/admin/tenants/ics-isac/members/control-vendor/registry')).status).toBe(200);
    expect((await reader.get('/admin/tenants/ics-isac/members/kanto-power')).status).toBe(404);
    expect((await reader.get('/admin/tenants/ics-isac/members/kanto-power/registry')).status).toBe(404);
    expect((await reader.get('/admin/tenants/ics-isac/members')).status).toBe(403);
    expect((await reader.get('/admin/tenants/ics-isac/audit')).status).toBe(403);
  });

  it('lets an analyst propose a change to its own registry, normalised, and nobody but the member and tenant admins read it', async () => {
    const provider = adminClient(env, 'ics-provider');
    const path = '/admin/tenants/ics-isac/members/kanto-power/registry';
    const put = await provider.put(path, {
      names: ['関東電力', 'Kanto Power'],
      domains: ['Kanto-Power.example'],
      emailDomains: ['mail.kanto-power.example'],
      ipRanges: ['192.0.2.0/24', '2001:db8::/32'],
      brands: ['KantoDenki'],
    });

    expect(put.status).toBe(202);
    expect(put.body).toMatchObject({
      domains: ['kanto-power.example'],
      ipRanges: ['192.0.2.0/24', '2001:db8::/32'],
      proposedBy: { username: 'ics-provider' },
    });
    expect((await icsAdmin.get(path)).body.pending).toEqual(put.body);
    expect((await adminClient(env, 'ics-consumer').get(path)).status).toBe(404);
    expect((await operator.get(path)).status).toBe(403);
    expect((await finAdmin.get(path)).status).toBe(404);
  });

  it('explains an invalid body field by field, as JSON', async () => {
    const response = await icsAdmin.put<{ title: string; description: string; http_status: string; error_id: string }>(
      '/admin/tenants/ics-isac/members/kanto-power/registry',
      { domains: ['not a domain'], ipRanges: ['10.0.0.0/33'], colour: 'red' },
    );

    expect(response.status).toBe(400);
    expect(response.contentType).toBe('application/json');
    expect(response.body.description).toBe(
      'domains[0]: "not a domain" is not a domain name such as example.co.jp; ipRanges[0]: "10.0.0.0/33" is not an IP address or CIDR range such as 192.0.2.0/24 or 2001:db8::/32; body: Unrecognized key: "colour"',
    );
    expect(response.body.error_id).toMatch(/[0-9a-f-]{36}/);
  });

  it('serves the OpenAPI document of the admin API, covering every admin route', async () => {
    const doc = await reader.get<{ openapi: string; paths: Record<string, Record<string, unknown>> }>('/admin/openapi.json');

    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    const documented = Object.entries(doc.body.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(adminRoutes.map((r) => `${r.method} ${r.path}`).sort());
  });
});

describe('member enumeration', () => {
  const memberRoutes = adminRoutes.filter((r) => r.path.includes('{member}'));
  /** An answer without what differs between any two requests (the request id) and the member id it may name. */
  const answer = (r: { status: number; body: Record<string, unknown> }, memberId: string) => ({
    status: r.status,
    body: JSON.stringify({ ...r.body, error_id: '*' }).replaceAll(memberId, '<member>'),
  });

  it('answers a user that is not a tenant admin alike for another member and a member that does not exist, on every route naming one', async () => {
    const moderator = await icsAdmin.post<{ password: string }>('/admin/tenants/ics-isac/members/hokuriku-water/users', {
      username: 'ics-iso-moderator',
      role: 'moderator',
    });
    expect(moderator.status).toBe(201);
    const users: Array<[string, AdminClient, string]> = [
      ['ics-reader', reader, 'control-vendor'],
      ['ics-provider', adminClient(env, 'ics-provider'), 'kanto-power'],
      ['ics-iso-moderator', adminClient(env, { username: 'ics-iso-moderator', password: moderator.body.password }), 'hokuriku-water'],
    ];
    const values = {
      tenant: 'ics-isac',
      subscription: crypto.randomUUID(),
      username: 'someone',
      keyId: 'kyk_0000000000000000',
      group: 'g',
    };
    expect(memberRoutes.length).toBeGreaterThan(15);
    const differing: string[] = [];
    for (const [username, client, own] of users)
      for (const route of memberRoutes) {
        const other = own === 'kanto-power' ? 'hokuriku-water' : 'kanto-power';
        const call = (member: string) =>
          client.call<Record<string, unknown>>(route.method, fill(route.path, { ...values, member }), BODY[route.method]);
        const [existing, missing] = [answer(await call(other), other), answer(await call('no-such-member'), 'no-such-member')];
        if (JSON.stringify(existing) !== JSON.stringify(missing))
          differing.push(`${username} ${route.method} ${route.path}: ${JSON.stringify(existing)} vs ${JSON.stringify(missing)}`);
      }
    expect(differing).toEqual([]);
    // Where a member's own resources are open to its users, another member's are the 404 of a missing member.
    for (const path of ['', '/registry', '/subscriptions'])
      expect((await reader.get(`/admin/tenants/ics-isac/members/kanto-power${path}`)).body.description).toBe(
        'No member kanto-power in tenant ics-isac',
      );
  }, 180_000);
});
