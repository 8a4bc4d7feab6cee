import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { HmacAuditMac } from '../../shared/adapters/hmac/audit-mac';
import { auditKeys } from '../../shared/adapters/dynamodb/keys';
import { appendAudit, entryHash, PROBLEMS } from '../../shared/core/audit/chain';
import type { AuditEntry } from '../../shared/core/audit/entry';
import { createDocumentClient } from '../../shared/runtime/aws-clients';
import { baseConfig } from '../../shared/runtime/config';
import { adminClient, discoveryStatus, type AdminClient } from '../support/admin-client';
import { basic, startSeededPlatform, type SeededPlatform } from '../support/platform';
import { indicator, share, taxiiClient } from '../support/taxii-client';
import { eventually } from '../support/eventually';

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
/** One read or refusal listed in a batch entry (shared/core/audit/events.ts). */
interface Listed {
  id: string;
  at: string;
  memberId?: string;
  actor: { username: string };
  action: string;
  target?: { type: string; id: string };
  details?: Record<string, unknown>;
}
interface Verification {
  ok: boolean;
  entries: number;
  anchor?: { seq: number };
  problems: Array<{ seq: number; problem: string }>;
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

async function allEntries(query = '', client: AdminClient = icsAdmin, path = AUDIT): Promise<Entry[]> {
  const entries: Entry[] = [];
  let next: string | undefined;
  do {
    const page = await client.get<Page>(`${path}?limit=50${query}${next ? `&next=${next}` : ''}`);
    expect(page.status).toBe(200);
    entries.push(...page.body.entries);
    next = page.body.next;
  } while (next);
  return entries;
}

/** Every event listed in the batch entries of `action`, in chain order. */
const listed = (entries: Entry[], action: string): Listed[] =>
  entries
    .filter((e) => e.action === action || e.action === 'audit.batch')
    .flatMap((e) => (e.details?.events as Listed[] | undefined) ?? [])
    .filter((e) => e.action === action);

const documentClient = () => createDocumentClient(baseConfig());

describe('audit log', () => {
  it('records an admin change with who, what, before and after', async () => {
    await icsAdmin.patch('/admin/tenants/ics-isac/members/control-vendor', { tier: 2 });

    const entry = (await allEntries()).find((e) => e.action === 'member.update');
    expect(entry).toMatchObject({
      actor: { username: 'ics-admin' },
      memberId: 'secretariat',
      target: { type: 'member', id: 'control-vendor' },
      before: { tier: 0 },
      after: { tier: 2 },
    });
  });

  it("records a member's reads (collection, how many objects), and authentication failures in the tenant's auth log", async () => {
    const provider = taxiiClient(env, 'ics-provider');
    const collection = env.demo.tenants[0]!.collections[0]!.id;
    await share(provider, `/ics-isac/collections/${collection}/`, [indicator(), indicator()]);
    const since = new Date().toISOString();
    await taxiiClient(env, 'ics-consumer').get(`/ics-isac/collections/${collection}/objects/`);
    expect(await discoveryStatus(env, basic({ username: 'ics-reader', password: 'wrong' }))).toBe(401);

    // Reads and refusals reach the log through the audit queue, after the answer: poll until they are listed.
    const recent = await eventually(
      () => allEntries(`&since=${since}`),
      (entries) => listed(entries, 'taxii.read').length > 0,
    );
    const auth = await eventually(
      () => allEntries(`&since=${since}&log=auth`),
      (entries) => listed(entries, 'auth.failure').length > 0,
    );

    expect(listed(recent, 'taxii.read')).toEqual([
      expect.objectContaining({
        memberId: 'hokuriku-water',
        target: { type: 'collection', id: collection },
        details: { endpoint: 'objects', objects: 2 },
      }),
    ]);
    expect(listed(recent, 'auth.failure')).toEqual([]);
    expect(listed(auth, 'auth.failure')).toEqual([
      expect.objectContaining({
        memberId: 'control-vendor',
        details: expect.objectContaining({ reason: 'Unknown user or wrong password' }),
      }),
    ]);
    expect([...recent, ...auth].every((e) => e.at >= since)).toBe(true);
    expect([...listed(recent, 'taxii.read'), ...listed(auth, 'auth.failure')].every((e) => e.at >= since)).toBe(true);
  });

  it('files failures of unknown usernames in the platform auth log, for operators', async () => {
    await discoveryStatus(env, basic({ username: 'mallory', password: 'x' }));
    const operator = adminClient(env, 'operator');
    const entries = await eventually(
      () => allEntries('&log=auth', operator, '/admin/audit'),
      (found) => listed(found, 'auth.failure').some((e) => e.actor.username === 'mallory'),
    );
    expect(listed(entries, 'auth.failure').filter((e) => e.actor.username === 'mallory')).toHaveLength(1);
    expect((await adminClient(env, 'ics-admin').get('/admin/audit?log=auth')).status).toBe(403);
  });

  it('batches concurrent reads into fewer entries, each read listed exactly once, and the chain verifies', async () => {
    const collection = env.demo.tenants[0]!.collections[0]!.id;
    const since = new Date().toISOString();
    const readers = [taxiiClient(env, 'ics-consumer'), taxiiClient(env, 'ics-reader')];
    const polls = 20;
    const answers = await Promise.all(
      Array.from({ length: polls }, (_, i) => readers[i % 2]!.get(`/ics-isac/collections/${collection}/manifest/`)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(polls).fill(200));

    const entries = await eventually(
      () => allEntries(`&since=${since}`),
      (found) => listed(found, 'taxii.read').length >= polls,
    );
    const reads = listed(entries, 'taxii.read');
    const readEntries = entries.filter((e) => listed([e], 'taxii.read').length > 0);

    expect(reads).toHaveLength(polls);
    expect(new Set(reads.map((r) => r.id)).size).toBe(polls);
    expect(reads.map((r) => r.memberId).sort()).toEqual([
      ...Array(polls / 2).fill('control-vendor'),
      ...Array(polls / 2).fill('hokuriku-water'),
    ]);
    expect(reads.every((r) => r.details?.endpoint === 'manifest' && r.target?.id === collection)).toBe(true);
    expect(readEntries.length).toBeLessThan(polls);
    expect((await icsAdmin.get<Verification>(`${AUDIT}/verify`)).body).toMatchObject({ ok: true, problems: [] });
  });

  it('is queryable by member', async () => {
    const byMember = await allEntries('&member=hokuriku-water');
    expect(byMember.length).toBeGreaterThan(0);
    expect(byMember.every((e) => e.memberId === 'hokuriku-water')).toBe(true);
  });

  it('lists and verifies every entry of a chain past several 1 MB pages, and its anchor raises no false alarm', async () => {
    // Prepare: 16 entries of about 300 KB each appended as the appender would (entries this large came from unbounded
    // inputs; any chain long enough spans pages the same way).
    const before = (await icsAdmin.get<Verification>(`${AUDIT}/verify`)).body;
    for (let i = 0; i < 16; i++) {
      await appendAudit(
        'ics-isac',
        { actor: { username: 'ics-admin', role: 'tenant-admin' }, action: 'bulk.test', details: { blob: `${i}`.padEnd(300_000, '.') } },
        { audit: env.audit, mac: env.mac, now: Date.now },
      );
    }
    const head = (await env.audit.head('ics-isac'))!;

    // Act
    const listed = await allEntries('');
    const verified = (await icsAdmin.get<Verification>(`${AUDIT}/verify`)).body;
    await env.platform.runScheduled('audit-anchor');
    const anchored = (await icsAdmin.get<Verification>(`${AUDIT}/verify`)).body;

    // Assess
    expect(before).toMatchObject({ ok: true });
    expect(listed.map((e) => e.seq)).toEqual(Array.from({ length: head.seq }, (_, i) => i + 1));
    expect(listed.filter((e) => e.action === 'bulk.test')).toHaveLength(16);
    expect(verified).toMatchObject({ ok: true, entries: head.seq, problems: [] });
    expect(anchored).toMatchObject({ ok: true, entries: head.seq, anchor: { seq: head.seq }, problems: [] });
  });

  it('reports a chain cut back behind its latest anchor', async () => {
    // Prepare: a fresh chain of admin changes in the other tenant, anchored, then its last two entries deleted.
    const finAdmin = adminClient(env, 'fin-admin');
    for (const tier of [1, 2, 3]) expect((await finAdmin.patch('/admin/tenants/fin-isac/members/sakura-bank', { tier })).status).toBe(200);
    await env.platform.runScheduled('audit-anchor');
    const anchored = (await finAdmin.get<Verification>('/admin/tenants/fin-isac/audit/verify')).body;
    const client = documentClient();
    for (const seq of [anchored.entries, anchored.entries - 1]) {
      await client.send(new DeleteCommand({ TableName: env.platform.env.TABLE_AUDIT!, Key: auditKeys.entry('fin-isac', seq) }));
    }
    client.destroy();

    // Act
    const truncated = (await finAdmin.get<Verification>('/admin/tenants/fin-isac/audit/verify')).body;

    // Assess: what is left links and verifies; only the anchor shows entries are gone.
    expect(anchored).toMatchObject({ ok: true, anchor: { seq: anchored.entries } });
    expect(truncated).toMatchObject({ ok: false, entries: anchored.entries - 2, anchor: { seq: anchored.entries } });
    expect(truncated.problems).toEqual([
      {
        seq: anchored.entries,
        problem: expect.stringMatching(
          new RegExp(`up to entry ${anchored.entries}, it now ends at ${anchored.entries - 2} \\(truncated\\)$`),
        ),
      },
    ]);
  });

  it('verifies, and names an entry edited in the table', async () => {
    const intact = await icsAdmin.get<{ ok: boolean; entries: number; problems: unknown[] }>(`${AUDIT}/verify`);
    expect(intact.body).toMatchObject({ ok: true, problems: [] });
    const target = (await allEntries()).find((e) => e.action === 'member.update')!;

    const client = documentClient();
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
    const tampered = await icsAdmin.get<{ ok: boolean; entries: number; problems: Array<{ seq: number; problem: string }> }>(
      `${AUDIT}/verify`,
    );

    expect(intact.body.entries).toBeGreaterThan(10);
    expect(tampered.body.ok).toBe(false);
    expect(tampered.body.problems).toEqual([
      { seq: target.seq, problem: 'was altered after it was written (its hash does not match its content)' },
    ]);
  });

  it('names an entry rewritten and re-hashed in the table without the audit key, and the link it breaks', async () => {
    // Prepare: someone who can write the table but holds no key rewrites an admin change and seals it with a key of their own.
    const client = documentClient();
    const entries = await allEntries();
    const target = entries.find((e) => e.action === 'member.create')!;
    const stored = (await env.audit.scan('ics-isac', target.seq - 1, 1))[0]!;
    const { hash: _hash, mac: _mac, ...content } = { ...stored, after: { ...(stored.after as object), tier: 3 } } as AuditEntry;
    const hash = entryHash(content);
    const forged: AuditEntry = {
      ...content,
      hash,
      mac: await new HmacAuditMac(['not the platform key, but long enough to be one']).sign(hash),
    };
    const key = auditKeys.entry('ics-isac', forged.seq);
    await client.send(
      new PutCommand({
        TableName: env.platform.env.TABLE_AUDIT!,
        Item: { ...key, gsi1pk: auditKeys.pk('ics-isac'), gsi1sk: auditKeys.timeSortKey(forged.at, forged.seq), ...forged },
      }),
    );
    client.destroy();

    // Act
    const verification = (await icsAdmin.get<Verification>(`${AUDIT}/verify`)).body;

    // Assess: its own hash is consistent now, so only the MAC and the next entry's link give it away.
    expect(verification.ok).toBe(false);
    expect(verification.problems).toEqual(
      expect.arrayContaining([
        { seq: forged.seq, problem: PROBLEMS.badMac },
        { seq: forged.seq + 1, problem: PROBLEMS.unlinked },
      ]),
    );
    expect(verification.problems.filter((p) => p.seq === forged.seq)).toEqual([{ seq: forged.seq, problem: PROBLEMS.badMac }]);
  });

  it('is for tenant admins only', async () => {
    expect((await adminClient(env, 'ics-consumer').get(AUDIT)).status).toBe(403);
    expect((await adminClient(env, 'fin-admin').get(AUDIT)).status).toBe(404);
  });
});
