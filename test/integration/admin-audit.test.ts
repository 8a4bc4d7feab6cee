import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { auditKeys } from '../../shared/adapters/dynamodb/keys';
import { createDocumentClient } from '../../shared/runtime/aws-clients';
import { baseConfig } from '../../shared/runtime/config';
import { adminClient, discoveryStatus, type AdminClient } from '../support/admin-client';
import { basic, startSeededPlatform, type SeededPlatform } from '../support/platform';
import { indicator, share, taxiiClient } from '../support/taxii-client';

interface Entry {
  seq: number;
  at: string;
  action: string;
  memberId?: string;
  actor: { username: string };
  target?: { type: string; id: string };
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  details?: Record<string, unknown>;
}
interface Page {
  entries: Entry[];
  more: boolean;
  next?: string;
}

let env: SeededPlatform;
let icsAdmin: AdminClient;
const AUDIT = '/admin/tenants/ics-isac/audit';

beforeAll(async () => {
  env = await startSeededPlatform('admin-audit');
  icsAdmin = adminClient(env, 'ics-admin');
});
afterAll(async () => env?.platform.stop());

async function allEntries(query = ''): Promise<Entry[]> {
  const entries: Entry[] = [];
  let next: string | undefined;
  do {
    const page = await icsAdmin.get<Page>(`${AUDIT}?limit=50${query}${next ? `&next=${next}` : ''}`);
    expect(page.status).toBe(200);
    entries.push(...page.body.entries);
    next = page.body.next;
  } while (next);
  return entries;
}

describe('audit log', () => {
  it('records an admin change with who, what, before and after', async () => {
    await icsAdmin.patch('/admin/tenants/ics-isac/members/control-vendor', { tier: 2 });

    const entry = (await allEntries()).find((e) => e.action === 'member.update');
    expect(entry).toMatchObject({ actor: { username: 'ics-admin' }, memberId: 'secretariat', target: { type: 'member', id: 'control-vendor' }, before: { tier: 0 }, after: { tier: 2 } });
  });

  it("records a member's reads (collection, how many objects) and authentication failures", async () => {
    const provider = taxiiClient(env, 'ics-provider');
    const collection = env.demo.tenants[0]!.collections[0]!.id;
    await share(provider, `/ics-isac/collections/${collection}/`, [indicator(), indicator()]);
    const since = new Date().toISOString();
    await taxiiClient(env, 'ics-consumer').get(`/ics-isac/collections/${collection}/objects/`);
    expect(await discoveryStatus(env, basic({ username: 'ics-reader', password: 'wrong' }))).toBe(401);

    const recent = await allEntries(`&since=${since}`);
    expect(recent.find((e) => e.action === 'taxii.read')).toMatchObject({
      memberId: 'hokuriku-water',
      target: { type: 'collection', id: collection },
      details: { endpoint: 'objects', objects: 2 },
    });
    expect(recent.find((e) => e.action === 'auth.failure')).toMatchObject({ memberId: 'control-vendor', details: { reason: 'Unknown user or wrong password' } });
    expect(recent.every((e) => e.at >= since)).toBe(true);
  });

  it('files failures of unknown usernames in the platform log, for operators', async () => {
    await discoveryStatus(env, basic({ username: 'mallory', password: 'x' }));
    const platform = await adminClient(env, 'operator').get<Page>('/admin/audit');
    expect(platform.body.entries.some((e) => e.action === 'auth.failure' && e.actor.username === 'mallory')).toBe(true);
  });

  it('is queryable by member', async () => {
    const byMember = await allEntries('&member=hokuriku-water');
    expect(byMember.length).toBeGreaterThan(0);
    expect(byMember.every((e) => e.memberId === 'hokuriku-water')).toBe(true);
  });

  it('verifies, and names an entry edited in the table', async () => {
    const intact = await icsAdmin.get<{ ok: boolean; entries: number; problems: unknown[] }>(`${AUDIT}/verify`);
    expect(intact.body).toMatchObject({ ok: true, problems: [] });
    const target = (await allEntries()).find((e) => e.action === 'member.update')!;

    const client = createDocumentClient(baseConfig());
    await client.send(
      new UpdateCommand({
        TableName: env.platform.env.TABLE_AUDIT!,
        Key: auditKeys.entry('ics-isac', target.seq),
        UpdateExpression: 'SET #after.#tier = :tier',
        ExpressionAttributeNames: { '#after': 'after', '#tier': 'tier' },
        ExpressionAttributeValues: { ':tier': 0 },
      }),
    );
    client.destroy();
    const tampered = await icsAdmin.get<{ ok: boolean; entries: number; problems: Array<{ seq: number; problem: string }> }>(`${AUDIT}/verify`);

    expect(intact.body.entries).toBeGreaterThan(10);
    expect(tampered.body.ok).toBe(false);
    expect(tampered.body.problems).toEqual([{ seq: target.seq, problem: 'was altered after it was written (its hash does not match its content)' }]);
  });

  it('is for tenant admins only', async () => {
    expect((await adminClient(env, 'ics-consumer').get(AUDIT)).status).toBe(403);
    expect((await adminClient(env, 'fin-admin').get(AUDIT)).status).toBe(404);
  });
});
