import { startSeededPlatform, type SeededPlatform } from '../support/platform';
import { adminClient, type AdminClient } from '../support/admin-client';
import { indicator, share, taxiiClient, TLP, type TaxiiClient } from '../support/taxii-client';

/**
 * Takedowns and support threads without an oracle (docs/moderation.md): no user of the provider's member learns who
 * asked about its object, whatever its role; a member asks about the latest version it reads, whatever newer version
 * it may not see exists; a moderator sees a thread only about what it reads. Each case compares what a user reads when
 * the hidden thing exists with what it reads when it does not.
 */

const T = '/admin/tenants/ics-isac';
let env: SeededPlatform;
let admin: AdminClient;
let consumer: AdminClient;
let reader: AdminClient;
let kantoModerator: AdminClient;
let provider: TaxiiClient;
let secretariatTaxii: TaxiiClient;
let collectionId: string;
let path: string;

interface Body {
  [key: string]: unknown;
  requests?: Array<{ requestId: string; objectId?: string }>;
}
type Answer = { status: number; body: Body };
const NEVER = '2026-01-01T00:00:00.000Z~00000000-0000-4000-8000-000000000000';

/** An answer without the request id (error_id) and without the ids given, which differ between the two worlds. */
const same = (r: Answer, ...ids: string[]) => ({
  status: r.status,
  body: ids.reduce((text, id) => text.replaceAll(id, '<id>'), JSON.stringify({ ...r.body, error_id: '*' })),
});

async function newModerator(member: string, username: string): Promise<AdminClient> {
  const created = await admin.post<{ password: string }>(`${T}/members/${member}/users`, { username, role: 'moderator' });
  expect(created.status).toBe(201);
  return adminClient(env, { username, password: created.body.password });
}

const askTakedown = (client: AdminClient, objectId: string) =>
  client.post<Body>(`${T}/takedowns`, { collectionId, objectId, kind: 'other', details: 'Please check' });
const askSupport = (client: AdminClient, objectId: string) =>
  client.post<Body>(`${T}/support`, { subject: 'About an item', question: 'Is this right?', collectionId, objectId });
const ids = (r: Answer) => (r.body.requests ?? []).map((x) => x.requestId);

beforeAll(async () => {
  env = await startSeededPlatform('takedown-oracle');
  admin = adminClient(env, 'ics-admin');
  consumer = adminClient(env, 'ics-consumer');
  reader = adminClient(env, 'ics-reader');
  provider = taxiiClient(env, 'ics-provider');
  secretariatTaxii = taxiiClient(env, 'ics-admin');
  kantoModerator = await newModerator('kanto-power', 'kanto-moderator');
  const created = await admin.post<{ id: string }>(`${T}/collections`, { title: 'Takedown oracle', defaultTlp: 'green' });
  expect(created.status).toBe(201);
  collectionId = created.body.id;
  path = `/ics-isac/collections/${collectionId}/`;
  const grants: Array<[string, Record<string, unknown>]> = [
    ['kanto-power', { read: true, write: true, clearance: 'red' }],
    ['hokuriku-water', { read: true, write: false, clearance: 'red' }],
    ['control-vendor', { read: true, write: false, clearance: 'green' }],
    ['secretariat', { read: true, write: true, clearance: 'red' }],
  ];
  for (const [memberId, grant] of grants)
    expect((await admin.put(`${T}/grants`, { collectionId, grantee: { kind: 'member', memberId }, ...grant })).status).toBe(200);
}, 120_000);
afterAll(async () => env?.platform.stop());

describe('the provider’s member never learns who asked', () => {
  it('a moderator of the provider’s member neither lists nor decides a takedown of its object; another member’s decides', async () => {
    const own = indicator({ name: 'kanto object' });
    await share(provider, path, [own]);
    const listedBefore = await kantoModerator.get<Body>(`${T}/takedowns`);
    const decideNever = await kantoModerator.post<Body>(`${T}/takedowns/${NEVER}/decision`, { decision: 'dismiss', note: 'no' });

    const asked = await askTakedown(consumer, own.id);
    expect(asked.status).toBe(201);
    const requestId = asked.body.requestId as string;
    const listedAfter = await kantoModerator.get<Body>(`${T}/takedowns`);
    const decide = await kantoModerator.post<Body>(`${T}/takedowns/${requestId}/decision`, { decision: 'dismiss', note: 'no' });

    expect(same(listedAfter)).toEqual(same(listedBefore));
    expect(same(decide, requestId)).toEqual(same(decideNever, NEVER));
    expect(decide.status).toBe(404);
    // The tenant admin, of another member, handles it.
    expect(ids(await admin.get<Body>(`${T}/takedowns`))).toContain(requestId);
    expect((await admin.post<Body>(`${T}/takedowns/${requestId}/decision`, { decision: 'dismiss', note: 'fine' })).status).toBe(200);
    // Its audit log, which tenant admins read, does not tie the requester to the object either.
    const audit = await admin.get<{ entries: Array<{ action: string; actor: { username?: string } }> }>(`${T}/audit?limit=1000`);
    const entries = audit.body.entries.filter((e) => e.action.startsWith('takedown.'));
    const byRequester = entries.filter((e) => JSON.stringify(e).includes('ics-consumer'));
    expect(byRequester.map((e) => e.action)).toEqual(['takedown.request']);
    expect(JSON.stringify(byRequester)).not.toContain(own.id);
    expect(JSON.stringify(entries.filter((e) => e.action !== 'takedown.request'))).not.toContain(requestId);
  });

  it('a tenant admin whose member provided the object does not handle it; a moderator of another member does', async () => {
    const secretariats = indicator({ name: 'secretariat object' });
    await share(secretariatTaxii, path, [secretariats]);
    const asked = await askTakedown(consumer, secretariats.id);
    const requestId = asked.body.requestId as string;
    expect(ids(await admin.get<Body>(`${T}/takedowns`))).not.toContain(requestId);
    expect((await admin.post(`${T}/takedowns/${requestId}/decision`, { decision: 'revoke' })).status).toBe(404);
    expect(ids(await kantoModerator.get<Body>(`${T}/takedowns`))).toContain(requestId);
    expect((await kantoModerator.post<Body>(`${T}/takedowns/${requestId}/decision`, { decision: 'revoke' })).body.state).toBe('revoked');
  });

  it('a support thread about its object is hidden from the provider’s moderator as one that does not exist', async () => {
    const own = indicator({ name: 'kanto object, asked about' });
    await share(provider, path, [own]);
    const listedBefore = await kantoModerator.get<Body>(`${T}/support`);
    const showNever = await kantoModerator.get<Body>(`${T}/support/${NEVER}`);
    const replyNever = await kantoModerator.post<Body>(`${T}/support/${NEVER}/messages`, { text: 'who are you?' });

    const asked = await askSupport(consumer, own.id);
    expect(asked.status).toBe(201);
    const requestId = asked.body.requestId as string;
    const show = await kantoModerator.get<Body>(`${T}/support/${requestId}`);
    const reply = await kantoModerator.post<Body>(`${T}/support/${requestId}/messages`, { text: 'who are you?' });

    expect(same(await kantoModerator.get<Body>(`${T}/support`))).toEqual(same(listedBefore));
    expect([same(show, requestId), same(reply, requestId)]).toEqual([same(showNever, NEVER), same(replyNever, NEVER)]);
    expect(show.status).toBe(404);
    expect((await admin.get(`${T}/support/${requestId}`)).status).toBe(200);
  });
});

describe('a member asks about what it reads', () => {
  it('a takedown of the version it reads is accepted alike whether a newer version it may not see exists', async () => {
    const plain = indicator({ name: 'green only' });
    const corrected = indicator({ name: 'green, then red' });
    await share(provider, path, [plain, corrected]);
    // A newer version, TLP:RED for the secretariat only: control-vendor (GREEN) still reads the first.
    const newer = {
      ...corrected,
      modified: '2026-05-02T00:00:00.000Z',
      object_marking_refs: [TLP.red],
      x_kyoyu_recipients: ['secretariat'],
    };
    await share(provider, path, [newer]);
    expect((await taxiiClient(env, 'ics-reader').get(`${path}objects/${corrected.id}/`)).status).toBe(200);

    const [withHidden, without] = [await askTakedown(reader, corrected.id), await askTakedown(reader, plain.id)];
    const strip = (r: Answer) => ({ ...r, body: { ...r.body, requestId: '*', requestedAt: '*', objectId: '*' } });
    expect(strip(withHidden)).toEqual(strip(without));
    expect(withHidden.status).toBe(201);
    // The moderator who reads the latest version decides on it.
    const decided = await admin.post<Body>(`${T}/takedowns/${withHidden.body.requestId}/decision`, { decision: 'revoke' });
    expect(decided.body.state).toBe('revoked');
  });

  it('a support thread about an object names only what the asker reads, and reaches only moderators who read it', async () => {
    const red = indicator({ name: 'red for water', object_marking_refs: [TLP.red], x_kyoyu_recipients: ['hokuriku-water'] });
    await share(provider, path, [red]);
    // The asker reads it; control-vendor does not, and gets the 404 of an object that does not exist.
    const [unseen, missing] = [
      await askSupport(reader, red.id),
      await askSupport(reader, 'indicator--00000000-0000-4000-8000-000000000000'),
    ];
    expect(same(unseen, red.id)).toEqual(same(missing, 'indicator--00000000-0000-4000-8000-000000000000'));
    expect(unseen.status).toBe(404);
    const asked = await askSupport(consumer, red.id);
    expect(asked.status).toBe(201);
    // The secretariat is not named: to its admin the thread does not exist.
    const requestId = asked.body.requestId as string;
    expect(ids(await admin.get<Body>(`${T}/support`))).not.toContain(requestId);
    expect(same(await admin.get<Body>(`${T}/support/${requestId}`), requestId)).toEqual(
      same(await admin.get<Body>(`${T}/support/${NEVER}`), NEVER),
    );
    expect((await consumer.get(`${T}/support/${requestId}`)).status).toBe(200);
  });

  it('a moderator re-posts the latest version it reads, alike whether a newer version it may not see exists', async () => {
    const created = await admin.post<{ id: string }>(`${T}/collections`, { title: 'Re-post target', defaultTlp: 'green' });
    const target = created.body.id;
    expect(
      (
        await admin.put(`${T}/grants`, {
          collectionId: target,
          grantee: { kind: 'member', memberId: 'secretariat' },
          read: true,
          write: true,
          clearance: 'red',
        })
      ).status,
    ).toBe(200);
    const plain = indicator({ name: 'to re-post' });
    const first = indicator({ name: 'to re-post, then red' });
    await share(provider, path, [plain, first]);
    // A newer version for hokuriku-water only: the secretariat's admin, a moderator, reads the first.
    await share(provider, path, [
      {
        ...first,
        name: 'RED newer',
        modified: '2026-05-02T00:00:00.000Z',
        object_marking_refs: [TLP.red],
        x_kyoyu_recipients: ['hokuriku-water'],
      },
    ]);
    const repost = (objectId: string) =>
      admin.post<{ state: string }>(`${T}/moderation/repost`, { fromCollectionId: collectionId, objectId, toCollectionId: target });

    const [withHidden, without] = [await repost(first.id), await repost(plain.id)];
    expect([withHidden.status, withHidden.body.state]).toEqual([without.status, without.body.state]);
    expect(withHidden.body.state).toBe('published');
    const reposted = (
      await secretariatTaxii.get<{ objects: Array<{ name: string }> }>(`/ics-isac/collections/${target}/objects/${first.id}/`)
    ).body;
    expect(reposted.objects.map((o) => o.name)).toEqual(['to re-post, then red']);
  });
});
