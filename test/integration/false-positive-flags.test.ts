import { adminClient, type AdminClient } from '../support/admin-client';
import { basic, demoUser, startSeededPlatform, type SeededPlatform } from '../support/platform';
import { indicator, share, taxiiClient, TLP } from '../support/taxii-client';

/**
 * False-positive flags one member cannot force (shared/core/search/feedback.ts, docs/moderation.md): tried as an
 * adversary would — one member with two users, members below k, the provider voting on its own object — and the
 * moderator's confirmation and lift, read back from what a GREEN reader's firewall receives.
 */
let env: SeededPlatform;
let admin: AdminClient;
const T = '/admin/tenants/ics-isac';
const MEMBERS = ['fp-a', 'fp-b', 'fp-c'];

const ip = (object: Record<string, unknown>) => /'([^']+)'/.exec(object.pattern as string)![1]!;

/** A new analyst user of `memberId`, usable through taxiiClient(env, username). */
async function analyst(memberId: string, username: string) {
  const created = await admin.post<{ password: string }>(`${T}/members/${memberId}/users`, { username, role: 'analyst' });
  expect(created.status).toBe(201);
  const members = env.demo.tenants[0]!.members;
  let member = members.find((m) => m.id === memberId);
  if (!member) members.push((member = { id: memberId, name: memberId, users: [] }));
  member.users.push({ username, password: created.body.password, role: 'analyst' });
}

async function collectionWith(policy: Record<string, unknown>): Promise<string> {
  const created = await admin.post<{ id: string }>(`${T}/collections`, { title: `Flags ${Math.random()}`, defaultTlp: 'green', policy });
  expect(created.status).toBe(201);
  const grants: Array<[string, Record<string, unknown>]> = [
    ...['kanto-power', 'hokuriku-water', ...MEMBERS].map((m): [string, Record<string, unknown>] => [
      m,
      { read: true, write: true, clearance: 'amber' },
    ]),
    ['control-vendor', { read: true, write: false, clearance: 'green' }],
    // The moderators' member: a moderator decides only on what it may read (docs/moderation.md).
    ['secretariat', { read: true, write: false, clearance: 'amber' }],
  ];
  for (const [memberId, grant] of grants) {
    const put = await admin.put(`${T}/grants`, { collectionId: created.body.id, grantee: { kind: 'member', memberId }, ...grant });
    expect(put.status).toBe(200);
  }
  return created.body.id;
}

const opinionOn = (objectId: string, value: string) => ({
  type: 'opinion',
  spec_version: '2.1',
  id: `opinion--${crypto.randomUUID()}`,
  created: '2026-05-02T00:00:00.000Z',
  modified: '2026-05-02T00:00:00.000Z',
  opinion: value,
  object_refs: [objectId],
  object_marking_refs: [TLP.green],
});

async function exported(collectionId: string, format = 'list-ip', username = 'ics-reader') {
  const response = await fetch(`${env.platform.url}/ics-isac/collections/${collectionId}/exports/${format}/`, {
    headers: { Authorization: basic(demoUser(env.demo, username)), Accept: '*/*' },
  });
  expect(response.status).toBe(200);
  return { text: await response.text(), stats: response.headers.get('x-kyoyu-export-stats') ?? '' };
}

/** Whether the GREEN reader's block list still carries the indicator. */
const blocked = async (collectionId: string, object: Record<string, unknown>) =>
  (await exported(collectionId)).text.split('\n').includes(ip(object));

async function disagree(collectionId: string, object: { id: string }, username: string, value = 'disagree') {
  await share(taxiiClient(env, username), `/ics-isac/collections/${collectionId}/`, [opinionOn(object.id, value)]);
}

beforeAll(async () => {
  env = await startSeededPlatform('false-positive-flags');
  admin = adminClient(env, 'ics-admin');
  for (const id of MEMBERS) {
    const created = await admin.post(`${T}/members`, { id, nameEn: `Member ${id}`, nameJa: `会員 ${id}` });
    expect(created.status).toBe(201);
    await analyst(id, `${id}-analyst`);
  }
  await analyst('hokuriku-water', 'ics-consumer-2');
}, 120_000);
afterAll(async () => env?.platform.stop());

describe('members cannot force a flag alone', () => {
  it('one member with two users is one voice: below k = 2 it flags nothing; a second member flags', async () => {
    const collectionId = await collectionWith({ falsePositiveMembers: 2 });
    const target = indicator({ name: 'disputed by one member' });
    await share(taxiiClient(env, 'ics-provider'), `/ics-isac/collections/${collectionId}/`, [target]);

    await disagree(collectionId, target, 'ics-consumer');
    await disagree(collectionId, target, 'ics-consumer-2', 'strongly-disagree');
    const afterOneMember = await blocked(collectionId, target);
    await disagree(collectionId, target, 'fp-a-analyst');
    const afterTwoMembers = await blocked(collectionId, target);

    expect([afterOneMember, afterTwoMembers]).toEqual([true, false]);
  }, 120_000);

  it('with the default k = 3, two members and the provider do not flag; a third member does, and exports say so', async () => {
    const collectionId = await collectionWith({});
    const target = indicator({ name: 'disputed by members' });
    await share(taxiiClient(env, 'ics-provider'), `/ics-isac/collections/${collectionId}/`, [target]);

    await disagree(collectionId, target, 'ics-provider', 'strongly-disagree');
    await disagree(collectionId, target, 'ics-consumer');
    await disagree(collectionId, target, 'fp-a-analyst');
    const belowK = await blocked(collectionId, target);
    await disagree(collectionId, target, 'fp-b-analyst');
    const atK = await exported(collectionId);
    const rules = await exported(collectionId, 'suricata');
    const listed = await adminClient(env, 'ics-provider').get<{ flags: Array<{ objectId: string; feedback: Record<string, unknown> }> }>(
      `${T}/flags`,
    );

    expect(belowK).toBe(true);
    expect(atK.text).not.toContain(ip(target));
    expect(atK.stats).toContain('flagged=1');
    expect(rules.text).toMatch(/^# kyoyu: 1 object\(s\) left out: flagged as false positives/m);
    expect(listed.body.flags.find((f) => f.objectId === target.id)?.feedback).toMatchObject({
      false_positive: true,
      flagged_by: 'members',
    });
    expect(JSON.stringify(listed.body)).not.toMatch(/hokuriku|fp-a|fp-b|ics-consumer/);
  }, 120_000);
});

describe('moderators confirm and lift flags', () => {
  it("a moderator's confirmation flags; the provider and moderators list it; other members do not", async () => {
    const collectionId = await collectionWith({});
    const target = indicator({ name: 'confirmed false positive' });
    await share(taxiiClient(env, 'ics-provider'), `/ics-isac/collections/${collectionId}/`, [target]);

    const byMember = await adminClient(env, 'ics-consumer').post(`${T}/flags`, {
      collectionId,
      objectId: target.id,
      decision: 'confirm',
      reason: 'mine',
    });
    const bad = await admin.post(`${T}/flags`, { collectionId, objectId: target.id, decision: 'maybe', reason: 'x' });
    const confirmed = await admin.post(`${T}/flags`, { collectionId, objectId: target.id, decision: 'confirm', reason: 'a CDN address' });
    type Listing = { flags: Array<{ objectId: string; decision?: { by: string } }> };
    const ofProvider = await adminClient(env, 'ics-provider').get<Listing>(`${T}/flags`);
    const ofOther = await adminClient(env, 'ics-consumer').get<Listing>(`${T}/flags`);
    const ofModerator = await admin.get<Listing>(`${T}/flags`);
    const audit = await admin.get<{ entries: Array<{ action: string; target?: { id: string } }> }>(`${T}/audit?limit=1000`);

    expect([byMember.status, bad.status, confirmed.status]).toEqual([403, 400, 200]);
    expect(await blocked(collectionId, target)).toBe(false);
    expect(ofProvider.body.flags.find((f) => f.objectId === target.id)).toMatchObject({ feedback: { flagged_by: 'moderator' } });
    expect(ofProvider.body.flags.find((f) => f.objectId === target.id)?.decision).toBeUndefined();
    expect(ofOther.body.flags.map((f) => f.objectId)).not.toContain(target.id);
    expect(ofModerator.body.flags.find((f) => f.objectId === target.id)?.decision?.by).toBe('ics-admin');
    expect(audit.body.entries.filter((e) => e.action === 'feedback.confirmed' && e.target?.id === target.id)).toHaveLength(1);
  }, 120_000);

  it('a lift unflags and holds until k members disagree again after it', async () => {
    const collectionId = await collectionWith({});
    const target = indicator({ name: 'lifted flag' });
    await share(taxiiClient(env, 'ics-provider'), `/ics-isac/collections/${collectionId}/`, [target]);
    for (const user of ['ics-consumer', 'fp-a-analyst', 'fp-b-analyst']) await disagree(collectionId, target, user);
    const flagged = await blocked(collectionId, target);

    const lifted = await admin.post(`${T}/flags`, { collectionId, objectId: target.id, decision: 'lift', reason: 'verified malicious' });
    const afterLift = await blocked(collectionId, target);
    await disagree(collectionId, target, 'fp-c-analyst');
    await disagree(collectionId, target, 'ics-consumer');
    const twoNew = await blocked(collectionId, target);
    await disagree(collectionId, target, 'fp-a-analyst');
    const threeNew = await blocked(collectionId, target);

    expect(lifted.status).toBe(200);
    expect([flagged, afterLift, twoNew, threeNew]).toEqual([false, true, true, false]);
  }, 180_000);
});
