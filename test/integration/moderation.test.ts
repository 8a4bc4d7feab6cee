import { startSeededPlatform, type SeededPlatform } from '../support/platform';
import { adminClient, type AdminClient } from '../support/admin-client';
import { indicator, settled, taxiiClient, TLP, type EnvelopeBody, type StatusBody, type TaxiiClient } from '../support/taxii-client';

/**
 * Moderation (issue #14): nothing of a moderated collection, and nothing the filter held, reaches a member before a
 * moderator (and, when asked, the provider) agreed; every decision reaches the provider's TAXII status and the audit
 * log; a moderator may only remove or mask.
 */
let env: SeededPlatform;
let provider: TaxiiClient;
let consumer: TaxiiClient;
let admin: AdminClient;
let providerAdmin: AdminClient;
let secondModerator: AdminClient;
let greenModerator: AdminClient;
let kantoModerator: AdminClient;
let moderated: string;
let moderatedPath: string;
let automatic: string;

interface QueueItem {
  itemId: string;
  objectId: string;
  state: string;
  reason: string;
  revision: number;
}

const T = '/admin/tenants/ics-isac';

async function newModerator(member: string, username: string): Promise<AdminClient> {
  const created = await admin.post<{ password: string }>(`${T}/members/${member}/users`, { username, role: 'moderator' });
  expect(created.status).toBe(201);
  return adminClient(env, { username, password: created.body.password });
}

async function newCollection(body: Record<string, unknown>): Promise<string> {
  const created = await admin.post<{ id: string }>(`${T}/collections`, { title: `Moderation ${Math.random()}`, defaultTlp: 'amber', ...body });
  expect(created.status).toBe(201);
  const grants: Array<[string, Record<string, unknown>]> = [
    ['kanto-power', { read: true, write: true, clearance: 'amber+strict' }],
    ['hokuriku-water', { read: true, write: false, clearance: 'amber' }],
    ['control-vendor', { read: true, write: false, clearance: 'green' }],
    ['secretariat', { read: true, write: true, clearance: 'amber+strict' }],
  ];
  for (const [memberId, grant] of grants) {
    expect((await admin.put(`${T}/grants`, { collectionId: created.body.id, grantee: { kind: 'member', memberId }, ...grant })).status).toBe(200);
  }
  return created.body.id;
}

/** Posts and waits until the pipeline settled what it can; the status says what waits for a moderator. */
async function post(collectionPath: string, objects: unknown[]): Promise<StatusBody> {
  const posted = await provider.post<StatusBody>(`${collectionPath}objects/`, { objects });
  expect(posted.status).toBe(202);
  return settled(provider, 'ics-isac', posted.body.id);
}

async function queuedItem(objectId: string): Promise<QueueItem> {
  const queue = await admin.get<{ items: QueueItem[] }>(`${T}/moderation?limit=500`);
  expect(queue.status).toBe(200);
  const found = queue.body.items.find((i) => i.objectId === objectId);
  if (!found) throw new Error(`${objectId} is not in the queue: ${JSON.stringify(queue.body.items.map((i) => i.objectId))}`);
  return found;
}

const publishedIds = async (collectionPath: string) => (await consumer.get<EnvelopeBody>(`${collectionPath}objects/?limit=1000`)).body.objects.map((o) => o.id);
const statusOf = (id: string) => provider.get<StatusBody>(`/ics-isac/status/${id}/`).then((r) => r.body);
const auditActions = async () =>
  (await admin.get<{ entries: Array<{ action: string; actor: { username: string }; target?: { id: string } }> }>(`${T}/audit?limit=1000`)).body.entries;

beforeAll(async () => {
  env = await startSeededPlatform('moderation');
  provider = taxiiClient(env, 'ics-provider');
  consumer = taxiiClient(env, 'ics-consumer');
  admin = adminClient(env, 'ics-admin');
  providerAdmin = adminClient(env, 'ics-provider');
  moderated = await newCollection({ publication: 'moderation', policy: { fourEyes: true } });
  moderatedPath = `/ics-isac/collections/${moderated}/`;
  automatic = `/ics-isac/collections/${await newCollection({})}/`;
  secondModerator = await newModerator('secretariat', 'ics-moderator-2');
  greenModerator = await newModerator('control-vendor', 'ics-green-moderator');
  kantoModerator = await newModerator('kanto-power', 'ics-kanto-moderator');
}, 90000);
afterAll(async () => env?.platform.stop());

describe('a moderated collection', () => {
  it('publishes nothing until a moderator approves; the approval reaches pollers, the status and the audit log', async () => {
    const ioc = indicator({ object_marking_refs: [TLP.amber], name: 'C2 seen at our plant' });
    const status = await post(moderatedPath, [ioc]);

    expect(status.pendings).toEqual([expect.objectContaining({ id: ioc.id, message: 'Waiting for moderation: the collection is moderated' })]);
    expect(await publishedIds(moderatedPath)).not.toContain(ioc.id);
    const item = await queuedItem(ioc.id);
    const shown = await admin.get<{ item: { object: Record<string, unknown> }; original: Record<string, unknown>; differences: unknown[] }>(`${T}/moderation/${item.itemId}`);
    expect(shown.status).toBe(200);
    expect(shown.body.original.name).toBe('C2 seen at our plant');

    // Four-eyes: a moderator of the provider's own organisation may not approve; another moderator does.
    const byOwnModerator = await kantoModerator.post(`${T}/moderation/${item.itemId}/decision`, { decision: 'approve' });
    expect(byOwnModerator.status).toBe(400);
    expect(byOwnModerator.body.description).toMatch(/provider's own organisation/);
    const approved = await admin.post<{ state: string }>(`${T}/moderation/${item.itemId}/decision`, { decision: 'approve' });

    expect(approved.status).toBe(200);
    expect(approved.body.state).toBe('published');
    expect(await publishedIds(moderatedPath)).toContain(ioc.id);
    expect((await statusOf(status.id)).successes).toEqual([expect.objectContaining({ id: ioc.id, message: 'Published after moderation' })]);
    expect(await auditActions()).toContainEqual(expect.objectContaining({ action: 'moderation.approved', actor: expect.objectContaining({ username: 'ics-admin' }), target: { type: 'object', id: ioc.id } }));
    // Decided once: a second decision is refused, nothing published twice.
    expect((await secondModerator.post(`${T}/moderation/${item.itemId}/decision`, { decision: 'reject', reason: 'late' })).status).toBe(400);
  });

  it('publishes a redaction (remove or mask) approved by another moderator; refuses one that adds text or drops a marking', async () => {
    const ioc = indicator({ object_marking_refs: [TLP.amber], description: 'Reported by our SOC lead Taro Yamada', labels: ['c2', 'internal-only'] });
    await post(moderatedPath, [ioc]);
    const item = await queuedItem(ioc.id);
    const decide = (client: AdminClient, body: unknown) => client.post<{ state: string; description?: string }>(`${T}/moderation/${item.itemId}/decision`, body);

    const added = await decide(admin, { decision: 'redact', object: { ...ioc, description: 'Reported by a member (confirmed)' } });
    const unmarked = await decide(admin, { decision: 'redact', object: { ...ioc, object_marking_refs: undefined } });
    const redacted = await decide(admin, { decision: 'redact', object: { ...ioc, description: 'Reported by our SOC lead [REDACTED]', labels: ['c2'] } });
    const ownApproval = await decide(admin, { decision: 'approve' });
    const approved = await decide(secondModerator, { decision: 'approve' });

    expect(added.status).toBe(400);
    expect(added.body.description).toMatch(/description may only be masked/);
    expect(unmarked.status).toBe(400);
    expect(unmarked.body.description).toMatch(/widen/);
    expect(redacted.body.state).toBe('queued');
    expect(ownApproval.status).toBe(400);
    expect(approved.body.state).toBe('published');
    const published = (await consumer.get<EnvelopeBody>(`${moderatedPath}objects/${ioc.id}/`)).body.objects;
    expect(published.map((o) => [o.description, o.labels])).toEqual([['Reported by our SOC lead [REDACTED]', ['c2']]]);
  });

  it('rejects with a reason the provider reads, and returns a question the provider answers', async () => {
    const rejected = indicator({ object_marking_refs: [TLP.amber] });
    const asked = indicator({ object_marking_refs: [TLP.amber] });
    const status = await post(moderatedPath, [rejected, asked]);
    const rejectItem = await queuedItem(rejected.id);
    const askItem = await queuedItem(asked.id);

    expect((await admin.post(`${T}/moderation/${rejectItem.itemId}/decision`, { decision: 'reject', reason: 'Duplicate of an older report' })).status).toBe(200);
    expect((await admin.post(`${T}/moderation/${askItem.itemId}/decision`, { decision: 'return', question: 'May we say which sector?' })).status).toBe(200);
    const afterDecisions = await statusOf(status.id);
    const reviews = await providerAdmin.get<{ items: Array<{ itemId: string; state: string; question?: string }> }>(`${T}/reviews`);
    const answered = await providerAdmin.post<{ state: string }>(`${T}/reviews/${askItem.itemId}`, { decision: 'answer', answer: 'Yes: energy' });

    expect(afterDecisions.failures).toEqual([expect.objectContaining({ id: rejected.id, message: 'Rejected by a moderator: Duplicate of an older report' })]);
    expect(afterDecisions.pendings).toEqual([expect.objectContaining({ id: asked.id, message: 'A moderator asks: May we say which sector?' })]);
    expect(reviews.body.items).toContainEqual(expect.objectContaining({ itemId: askItem.itemId, state: 'returned', question: 'May we say which sector?' }));
    expect(answered.body.state).toBe('queued');
    expect(await publishedIds(moderatedPath)).not.toContain(rejected.id);
    // Another member cannot answer or decide the provider's item, nor see it among its reviews.
    expect((await adminClient(env, 'ics-consumer').post(`${T}/reviews/${askItem.itemId}`, { decision: 'withdraw' })).status).toBe(404);
    expect((await adminClient(env, 'ics-consumer').get<{ items: unknown[] }>(`${T}/reviews`)).body.items).toEqual([]);
  });

  it('hides an item from a moderator not cleared for its TLP, and from members who are not moderators', async () => {
    const amber = indicator({ object_marking_refs: [TLP.amber] });
    await post(moderatedPath, [amber]);
    const item = await queuedItem(amber.id);

    const listed = await greenModerator.get<{ items: QueueItem[] }>(`${T}/moderation?limit=500`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((i) => i.objectId)).not.toContain(amber.id);
    expect((await greenModerator.get(`${T}/moderation/${item.itemId}`)).status).toBe(404);
    expect((await greenModerator.post(`${T}/moderation/${item.itemId}/decision`, { decision: 'approve' })).status).toBe(404);
    expect((await adminClient(env, 'ics-consumer').get(`${T}/moderation`)).status).toBe(403);
    expect((await adminClient(env, 'operator').get(`${T}/moderation`)).status).toBe(403);
  });
});

describe('an automatic collection', () => {
  it('publishes a later identical report once the held one is rejected, instead of merging it into nothing', async () => {
    const held = indicator({ object_marking_refs: [TLP.amber], description: 'Ask Taro at 03-1234-5678' });
    await post(automatic, [held]);
    await admin.post(`${T}/moderation/${(await queuedItem(held.id)).itemId}/decision`, { decision: 'reject', reason: 'Personal data' });
    const again = { ...indicator({ object_marking_refs: [TLP.amber] }), pattern: held.pattern };

    const status = await post(automatic, [again]);

    expect(status.successes.map((s) => s.id)).toEqual([again.id]);
    expect(await publishedIds(automatic)).toEqual(expect.arrayContaining([again.id]));
    expect(await publishedIds(automatic)).not.toContain(held.id);
  });

  it('queues what the filter held (personal data) and whatever refers to it, and publishes it once approved', async () => {
    const personal = indicator({ object_marking_refs: [TLP.amber], description: 'Call our SOC at 03-1234-5678' });
    const plain = indicator({ object_marking_refs: [TLP.amber] });
    const pointing = {
      type: 'relationship',
      spec_version: '2.1',
      id: `relationship--${crypto.randomUUID()}`,
      created: '2026-05-01T00:00:00.000Z',
      modified: '2026-05-01T00:00:00.000Z',
      relationship_type: 'related-to',
      source_ref: plain.id,
      target_ref: personal.id,
      object_marking_refs: [TLP.amber],
    };
    const status = await post(automatic, [personal, plain, pointing]);

    expect(status.successes.map((s) => s.id)).toEqual([plain.id]);
    expect(new Map(status.pendings.map((p) => [p.id, p.message]))).toEqual(
      new Map([
        [personal.id, 'Waiting for moderation: held for moderation: description contains a phone number'],
        [pointing.id, `Waiting for moderation: refers to ${personal.id}, which waits for moderation`],
      ]),
    );
    expect(await publishedIds(automatic)).not.toContain(personal.id);
    const item = await queuedItem(personal.id);
    await admin.post(`${T}/moderation/${item.itemId}/decision`, { decision: 'redact', object: { ...personal, description: 'Call our SOC at [REDACTED]' }, approve: true });
    await admin.post(`${T}/moderation/${(await queuedItem(pointing.id)).itemId}/decision`, { decision: 'approve' });

    const published = (await consumer.get<EnvelopeBody>(`${automatic}objects/?limit=1000`)).body.objects;
    expect(published.find((o) => o.id === personal.id)?.description).toBe('Call our SOC at [REDACTED]');
    expect(published.map((o) => o.id)).toContain(pointing.id);
    expect((await statusOf(status.id)).status).toBe('complete');
  });
});
