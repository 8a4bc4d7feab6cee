import { PUBLISHING_LEASE_MS } from '../../shared/core/moderation/queue';
import { container } from '../../shared/runtime/composition-root';
import { runInEnvironment } from '../../shared/runtime/config';
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
  const created = await admin.post<{ id: string }>(`${T}/collections`, {
    title: `Moderation ${Math.random()}`,
    defaultTlp: 'amber',
    ...body,
  });
  expect(created.status).toBe(201);
  const grants: Array<[string, Record<string, unknown>]> = [
    ['kanto-power', { read: true, write: true, clearance: 'amber+strict' }],
    ['hokuriku-water', { read: true, write: false, clearance: 'amber' }],
    ['control-vendor', { read: true, write: false, clearance: 'green' }],
    ['secretariat', { read: true, write: true, clearance: 'amber+strict' }],
  ];
  for (const [memberId, grant] of grants) {
    expect(
      (await admin.put(`${T}/grants`, { collectionId: created.body.id, grantee: { kind: 'member', memberId }, ...grant })).status,
    ).toBe(200);
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

const publishedIds = async (collectionPath: string) =>
  (await consumer.get<EnvelopeBody>(`${collectionPath}objects/?limit=1000`)).body.objects.map((o) => o.id);
const statusOf = (id: string) => provider.get<StatusBody>(`/ics-isac/status/${id}/`).then((r) => r.body);
const auditActions = async () =>
  (await admin.get<{ entries: Array<{ action: string; actor: { username: string }; target?: { id: string } }> }>(`${T}/audit?limit=1000`))
    .body.entries;

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

    expect(status.pendings).toEqual([
      expect.objectContaining({ id: ioc.id, message: 'Waiting for moderation: the collection is moderated' }),
    ]);
    expect(await publishedIds(moderatedPath)).not.toContain(ioc.id);
    const item = await queuedItem(ioc.id);
    const shown = await admin.get<{ item: { object: Record<string, unknown> }; original: Record<string, unknown>; differences: unknown[] }>(
      `${T}/moderation/${item.itemId}`,
    );
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
    expect(await auditActions()).toContainEqual(
      expect.objectContaining({
        action: 'moderation.approved',
        actor: expect.objectContaining({ username: 'ics-admin' }),
        target: { type: 'object', id: ioc.id },
      }),
    );
    // Decided once: a second decision is refused, nothing published twice.
    expect((await secondModerator.post(`${T}/moderation/${item.itemId}/decision`, { decision: 'reject', reason: 'late' })).status).toBe(
      400,
    );
  });

  it('lets exactly one of two moderators deciding at once win, and publishes only if the approval won', async () => {
    const ioc = indicator({ object_marking_refs: [TLP.amber] });
    await post(moderatedPath, [ioc]);
    const item = await queuedItem(ioc.id);

    const [approval, rejection] = await Promise.all([
      admin.post<{ state: string }>(`${T}/moderation/${item.itemId}/decision`, { decision: 'approve' }),
      secondModerator.post<{ state: string }>(`${T}/moderation/${item.itemId}/decision`, { decision: 'reject', reason: 'Not relevant' }),
    ]);

    const winners = [approval, rejection].filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect([approval, rejection].find((r) => r.status !== 200)!.status).toBeGreaterThanOrEqual(400);
    expect((await publishedIds(moderatedPath)).includes(ioc.id)).toBe(approval.status === 200);
  });

  it('completes by itself a publication whose commit failed, once its claim expired, without a moderator acting again', async () => {
    // Prepare: the moderation route's next commit fails (an outage between the claim and the commit).
    const objects = runInEnvironment(env.platform.environmentOf('functions/admin/moderation.ts'), () => container()).objects;
    const commit = objects.commit.bind(objects);
    objects.commit = async () => {
      objects.commit = commit;
      throw new Error('simulated outage during the commit');
    };
    const store = runInEnvironment(env.platform.environmentOf('functions/moderation/deadlines.ts'), () => container()).moderation;
    const ioc = indicator({ object_marking_refs: [TLP.amber] });
    const status = await post(moderatedPath, [ioc]);
    const { itemId } = await queuedItem(ioc.id);
    const failed = await admin.post(`${T}/moderation/${itemId}/decision`, { decision: 'approve' });
    const claimed = (await store.get('ics-isac', itemId))!;
    const sweptWithinLease = await env.platform.runScheduled('moderation-deadlines');
    const stillClaimed = (await store.get('ics-isac', itemId))!;
    // The claim is made older than its lease (the store's clock, not the test's, decides what has expired).
    const expiredAt = new Date(Date.parse(claimed.updatedAt) - PUBLISHING_LEASE_MS).toISOString();
    expect(await store.update({ ...stillClaimed, updatedAt: expiredAt, revision: stillClaimed.revision + 1 }, stillClaimed.revision)).toBe(
      'updated',
    );
    const beforeSweep = await publishedIds(moderatedPath);

    // Act: only the schedule runs; no moderator acts.
    const swept = await env.platform.runScheduled('moderation-deadlines');

    // Assess
    expect(failed.status).toBe(500);
    expect(claimed.state).toBe('publishing');
    expect(sweptWithinLease).toMatchObject({ completed: 0 });
    expect(stillClaimed.state).toBe('publishing');
    expect(beforeSweep).not.toContain(ioc.id);
    expect(await publishedIds(moderatedPath)).toContain(ioc.id);
    expect(swept).toMatchObject({ completed: 1 });
    expect((await store.get('ics-isac', itemId))!.state).toBe('published');
    expect((await statusOf(status.id)).successes).toEqual([expect.objectContaining({ id: ioc.id, message: 'Published after moderation' })]);
    expect(await auditActions()).toContainEqual(
      expect.objectContaining({
        action: 'moderation.publication-completed',
        actor: expect.objectContaining({ username: '(platform)' }),
        target: { type: 'object', id: ioc.id },
      }),
    );
  });

  it('publishes a redaction (remove or mask) approved by another moderator; refuses one that adds text or drops a marking', async () => {
    const ioc = indicator({
      object_marking_refs: [TLP.amber],
      description: 'Reported by our SOC lead Taro Yamada',
      labels: ['c2', 'internal-only'],
    });
    await post(moderatedPath, [ioc]);
    const item = await queuedItem(ioc.id);
    const decide = (client: AdminClient, body: unknown) =>
      client.post<{ state: string; description?: string }>(`${T}/moderation/${item.itemId}/decision`, body);

    const added = await decide(admin, { decision: 'redact', object: { ...ioc, description: 'Reported by a member (confirmed)' } });
    const unmarked = await decide(admin, { decision: 'redact', object: { ...ioc, object_marking_refs: undefined } });
    const redacted = await decide(admin, {
      decision: 'redact',
      object: { ...ioc, description: 'Reported by our SOC lead [REDACTED]', labels: ['c2'] },
    });
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

    expect(
      (await admin.post(`${T}/moderation/${rejectItem.itemId}/decision`, { decision: 'reject', reason: 'Duplicate of an older report' }))
        .status,
    ).toBe(200);
    expect(
      (await admin.post(`${T}/moderation/${askItem.itemId}/decision`, { decision: 'return', question: 'May we say which sector?' })).status,
    ).toBe(200);
    const afterDecisions = await statusOf(status.id);
    const reviews = await providerAdmin.get<{ items: Array<{ itemId: string; state: string; question?: string }> }>(`${T}/reviews`);
    const answered = await providerAdmin.post<{ state: string }>(`${T}/reviews/${askItem.itemId}`, {
      decision: 'answer',
      answer: 'Yes: energy',
    });

    expect(afterDecisions.failures).toEqual([
      expect.objectContaining({ id: rejected.id, message: 'Rejected by a moderator: Duplicate of an older report' }),
    ]);
    expect(afterDecisions.pendings).toEqual([
      expect.objectContaining({ id: asked.id, message: 'A moderator asks: May we say which sector?' }),
    ]);
    expect(reviews.body.items).toContainEqual(
      expect.objectContaining({ itemId: askItem.itemId, state: 'returned', question: 'May we say which sector?' }),
    );
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

  it('loses no report merged while the object it would join waits for a moderator: once that object is rejected, the report is published on its own', async () => {
    const held = indicator({ object_marking_refs: [TLP.amber], description: 'Ask Hanako at 03-8765-4321' });
    await post(automatic, [held]);
    await queuedItem(held.id);
    const again = { ...indicator({ object_marking_refs: [TLP.amber] }), pattern: held.pattern };
    // Posted while the identical object waits: dedupe may not merge it into something that may never be published.
    const posted = await provider.post<StatusBody>(`${automatic}objects/`, { objects: [again] });
    expect(posted.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await statusOf(posted.body.id)).pending_count).toBe(1);
    expect(await publishedIds(automatic)).not.toContain(again.id);

    await admin.post(`${T}/moderation/${(await queuedItem(held.id)).itemId}/decision`, { decision: 'reject', reason: 'Personal data' });

    const status = await settled(provider, 'ics-isac', posted.body.id, 90_000);
    expect(status.successes.map((s) => s.id)).toEqual([again.id]);
    expect(await publishedIds(automatic)).toEqual(expect.arrayContaining([again.id]));
    expect(await publishedIds(automatic)).not.toContain(held.id);
  }, 120_000);

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
    await admin.post(`${T}/moderation/${item.itemId}/decision`, {
      decision: 'redact',
      object: { ...personal, description: 'Call our SOC at [REDACTED]' },
      approve: true,
    });
    await admin.post(`${T}/moderation/${(await queuedItem(pointing.id)).itemId}/decision`, { decision: 'approve' });

    const published = (await consumer.get<EnvelopeBody>(`${automatic}objects/?limit=1000`)).body.objects;
    expect(published.find((o) => o.id === personal.id)?.description).toBe('Call our SOC at [REDACTED]');
    expect(published.map((o) => o.id)).toContain(pointing.id);
    expect((await statusOf(status.id)).status).toBe('complete');
  });
});

describe("the provider's review before publication", () => {
  it('shows the provider the anonymised version first; what it approves is published, what it leaves past the deadline is withdrawn', async () => {
    // 0.0005 h: the deadline passes within two seconds.
    const reviewed = `/ics-isac/collections/${await newCollection({ policy: { providerReview: { always: true, hours: 0.0005, onDeadline: 'withdraw' } } })}/`;
    const approvedLater = indicator({ object_marking_refs: [TLP.amber] });
    const forgotten = indicator({ object_marking_refs: [TLP.amber] });
    const status = await post(reviewed, [approvedLater, forgotten]);
    const waiting = (await providerAdmin.get<{ items: Array<QueueItem & { object: { id: string } }> }>(`${T}/reviews`)).body.items;
    const itemOf = (id: string) => waiting.find((i) => i.objectId === id)!;

    const approved = await providerAdmin.post<{ state: string }>(`${T}/reviews/${itemOf(approvedLater.id).itemId}`, {
      decision: 'approve',
    });
    const beforeDeadline = await publishedIds(reviewed);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const swept = await env.platform.runScheduled('moderation-deadlines');
    const settledStatus = await statusOf(status.id);

    expect(status.pendings.map((p) => p.message)).toEqual([
      'Waiting for moderation: awaiting your review',
      'Waiting for moderation: awaiting your review',
    ]);
    expect(itemOf(forgotten.id)).toMatchObject({ state: 'awaiting-provider', object: { id: forgotten.id } });
    expect(approved.body.state).toBe('published');
    expect(beforeDeadline).toEqual([approvedLater.id]);
    expect(swept).toMatchObject({ expired: 1 });
    expect(settledStatus.failures).toEqual([
      expect.objectContaining({ id: forgotten.id, message: 'Withdrawn: your review deadline passed without an answer' }),
    ]);
    expect(await publishedIds(reviewed)).toEqual([approvedLater.id]);
  });
});

describe('a review asked for one POST', () => {
  it('holds that POST for the provider (?review=provider) in an automatic collection, and refuses any other review value', async () => {
    const mine = indicator({ object_marking_refs: [TLP.amber] });
    const posted = await provider.post<StatusBody>(`${automatic}objects/?review=provider`, { objects: [mine] });
    const status = await settled(provider, 'ics-isac', posted.body.id);
    const item = (await providerAdmin.get<{ items: QueueItem[] }>(`${T}/reviews`)).body.items.find((i) => i.objectId === mine.id)!;
    const hidden = await publishedIds(automatic);
    await providerAdmin.post(`${T}/reviews/${item.itemId}`, { decision: 'approve' });
    const wrong = await provider.post<{ description: string }>(`${automatic}objects/?review=moderator`, { objects: [indicator()] });

    expect(status.pendings).toEqual([expect.objectContaining({ id: mine.id, message: 'Waiting for moderation: awaiting your review' })]);
    expect(item.state).toBe('awaiting-provider');
    expect(hidden).not.toContain(mine.id);
    expect(await publishedIds(automatic)).toContain(mine.id);
    expect(wrong.status).toBe(400);
    expect(wrong.body.description).toMatch(/review must be "provider"/);
  });
});

describe('re-posting across collections', () => {
  it('keeps the TLP and RED recipients, refuses a collection whose ceiling is lower, and records the re-post', async () => {
    const [source, target, greenOnly] = [
      await newCollection({}),
      await newCollection({}),
      await newCollection({ policy: { tlpCeiling: 'green' } }),
    ];
    // TLP:RED needs a RED clearance and a name on the item: the moderator's and the named recipient's.
    for (const collectionId of [source, target, greenOnly]) {
      for (const memberId of ['secretariat', 'hokuriku-water']) {
        await admin.put(`${T}/grants`, { collectionId, grantee: { kind: 'member', memberId }, read: true, write: true, clearance: 'red' });
      }
    }
    const red = indicator({ object_marking_refs: [TLP.red], x_kyoyu_recipients: ['hokuriku-water', 'secretariat'] });
    await post(`/ics-isac/collections/${source}/`, [red]);
    const repost = (toCollectionId: string) =>
      admin.post<{ state: string; description?: string }>(`${T}/moderation/repost`, {
        fromCollectionId: source,
        objectId: red.id,
        toCollectionId,
      });

    const reposted = await repost(target);
    const lowered = await repost(greenOnly);
    const byNonModerator = await providerAdmin.post(`${T}/moderation/repost`, {
      fromCollectionId: source,
      objectId: red.id,
      toCollectionId: target,
    });

    expect(reposted.body).toMatchObject({ state: 'published' });
    const asNamed = (await consumer.get<EnvelopeBody>(`/ics-isac/collections/${target}/objects/${red.id}/`)).body.objects;
    expect(asNamed.map((o) => o.object_marking_refs)).toEqual([[TLP.red]]);
    expect((await taxiiClient(env, 'ics-reader').get(`/ics-isac/collections/${target}/objects/${red.id}/`)).status).toBe(404);
    expect(lowered.status).toBe(400);
    expect(lowered.body.description).toMatch(/never lowers a TLP/);
    expect(byNonModerator.status).toBe(403);
    expect(await auditActions()).toContainEqual(
      expect.objectContaining({ action: 'moderation.repost', target: { type: 'object', id: red.id } }),
    );
  });
  it("waits for the provider's consent where the target collection asks for its review", async () => {
    const amber = indicator({ object_marking_refs: [TLP.amber] });
    await post(automatic, [amber]);
    const consenting = await newCollection({ policy: { providerReview: { always: true, hours: 24, onDeadline: 'withdraw' } } });

    const reposted = await admin.post<{ state: string; itemId: string }>(`${T}/moderation/repost`, {
      fromCollectionId: collectionIdOf(automatic),
      objectId: amber.id,
      toCollectionId: consenting,
    });
    const beforeConsent = await publishedIds(`/ics-isac/collections/${consenting}/`);
    const reviews = (await providerAdmin.get<{ items: QueueItem[] }>(`${T}/reviews`)).body.items;
    await providerAdmin.post(`${T}/reviews/${reposted.body.itemId}`, { decision: 'approve' });

    expect(reposted.body.state).toBe('awaiting-provider');
    expect(beforeConsent).toEqual([]);
    expect(reviews).toContainEqual(
      expect.objectContaining({
        itemId: reposted.body.itemId,
        objectId: amber.id,
        reason: `re-posted from collection ${collectionIdOf(automatic)}`,
      }),
    );
    expect(await publishedIds(`/ics-isac/collections/${consenting}/`)).toEqual([amber.id]);
  });
});

describe('takedown and correction requests', () => {
  const asConsumer = () => adminClient(env, 'ics-consumer');
  const collectionId = () => automatic.split('/')[3]!;

  it('a recipient asks, a moderator revokes: pollers get the revocation as the latest version, the requester the outcome, the provider no name', async () => {
    const published = indicator({ object_marking_refs: [TLP.amber], name: 'Names the wrong actor' });
    await post(automatic, [published]);

    const asked = await asConsumer().post<{ requestId: string }>(`${T}/takedowns`, {
      collectionId: collectionId(),
      objectId: published.id,
      kind: 'wrong-attribution',
      details: 'Not APT-X',
    });
    const open = await admin.get<{ requests: Array<{ requestId: string; requester: { memberId: string } }> }>(`${T}/takedowns`);
    const byProvider = await providerAdmin.get(`${T}/takedowns`);
    const revoked = await admin.post<{ state: string }>(`${T}/takedowns/${asked.body.requestId}/decision`, {
      decision: 'revoke',
      note: 'Attribution withdrawn',
    });
    const mine = await asConsumer().get<{ requests: Array<Record<string, unknown>> }>(`${T}/takedowns/mine`);

    expect(asked.status).toBe(201);
    expect(open.body.requests).toContainEqual(
      expect.objectContaining({ requestId: asked.body.requestId, requester: expect.objectContaining({ memberId: 'hokuriku-water' }) }),
    );
    expect(byProvider.status).toBe(403);
    expect(revoked.body.state).toBe('revoked');
    const latest = (await consumer.get<EnvelopeBody>(`${automatic}objects/${published.id}/`)).body.objects;
    expect(latest).toEqual([expect.objectContaining({ id: published.id, revoked: true })]);
    expect(Date.parse(latest[0]!.modified as string)).toBeGreaterThan(Date.parse(published.modified as string));
    const outcome = mine.body.requests.find((r) => r.requestId === asked.body.requestId)!;
    expect(outcome).toMatchObject({ state: 'revoked', outcome: { note: 'Attribution withdrawn' } });
    expect(JSON.stringify(outcome)).not.toContain('ics-admin');
    expect(await auditActions()).toContainEqual(
      expect.objectContaining({ action: 'takedown.revoked', target: { type: 'object', id: published.id } }),
    );
  });

  it('a correction publishes a redacted version; one that rewrites text is refused; an item the asker cannot read is a 404', async () => {
    const published = indicator({ object_marking_refs: [TLP.amber], description: 'Seen at the Niigata substation' });
    const red = indicator({ object_marking_refs: [TLP.red], x_kyoyu_recipients: ['secretariat'] });
    await post(automatic, [published, red]);
    const asked = await asConsumer().post<{ requestId: string }>(`${T}/takedowns`, {
      collectionId: collectionId(),
      objectId: published.id,
      kind: 'victim-identifiable',
      details: 'Names the site',
    });
    const decide = (body: unknown) =>
      admin.post<{ state: string; description?: string }>(`${T}/takedowns/${asked.body.requestId}/decision`, body);

    const rewritten = await decide({ decision: 'correct', object: { ...published, description: 'Seen at a substation' } });
    const corrected = await decide({ decision: 'correct', object: { ...published, description: 'Seen at the [REDACTED] substation' } });
    const again = await decide({ decision: 'dismiss', note: 'twice' });
    const unreadable = await asConsumer().post(`${T}/takedowns`, {
      collectionId: collectionId(),
      objectId: red.id,
      kind: 'other',
      details: 'x',
    });

    expect(rewritten.status).toBe(400);
    expect(rewritten.body.description).toMatch(/description may only be masked/);
    expect(corrected.body.state).toBe('corrected');
    expect((await consumer.get<EnvelopeBody>(`${automatic}objects/${published.id}/`)).body.objects.map((o) => o.description)).toEqual([
      'Seen at the [REDACTED] substation',
    ]);
    expect(again.status).toBe(400);
    expect(unreadable.status).toBe(404);
  });
});

describe("suspending a member's posting", () => {
  it('refuses its POSTs with the reason while it keeps reading, and lets it post again once lifted; audited', async () => {
    const path = `${T}/members/kanto-power/posting`;
    const bySelf = await providerAdmin.put(path, { suspended: true, reason: 'self' });
    const suspended = await admin.put(path, { suspended: true, reason: 'Repeated personal data' });
    const refused = await provider.post<{ description: string }>(`${automatic}objects/`, { objects: [indicator()] });
    const listing = await provider.get<{ collections: Array<{ id: string; can_write: boolean; can_read: boolean }> }>(
      '/ics-isac/collections/',
    );
    const stillReads = await provider.get(`${automatic}objects/`);
    await admin.put(path, { suspended: false });
    const again = await provider.post(`${automatic}objects/`, { objects: [indicator()] });

    expect(bySelf.status).toBe(403);
    expect(suspended.status).toBe(200);
    expect(refused.status).toBe(403);
    expect(refused.body.description).toBe("The moderators suspended your member's posting: Repeated personal data");
    expect(listing.body.collections.find((c) => c.id === collectionIdOf(automatic))).toMatchObject({ can_read: true, can_write: false });
    expect(stillReads.status).toBe(200);
    expect(again.status).toBe(202);
    expect(await auditActions()).toContainEqual(
      expect.objectContaining({ action: 'member.posting', target: { type: 'member', id: 'kanto-power' } }),
    );
  });
});

function collectionIdOf(collectionPath: string): string {
  return collectionPath.split('/')[3]!;
}

describe('analysis-support requests', () => {
  it('are seen by the asking member and the moderators only, who answer in one thread until it is closed', async () => {
    const asked = await providerAdmin.post<{ requestId: string }>(`${T}/support`, {
      subject: 'Is this Emotet?',
      question: 'We saw these macros; can the hub analyse them?',
    });
    const path = `${T}/support/${asked.body.requestId}`;
    const other = adminClient(env, 'ics-consumer');

    const byOther = await other.get(path);
    const othersList = await other.get<{ requests: Array<{ requestId: string }> }>(`${T}/support`);
    const otherReply = await other.post(`${path}/messages`, { text: 'me too' });
    const answered = await admin.post(`${path}/messages`, { text: 'Yes: the loader matches Emotet epoch 5' });
    const closed = await providerAdmin.post<{ state: string }>(`${path}/messages`, { text: 'Thanks', close: true });
    const thread = await providerAdmin.get<{ messages: Array<{ from: string; text: string }> }>(path);
    const moderatorsList = await admin.get<{ requests: Array<{ requestId: string; messages: number }> }>(`${T}/support`);

    expect(asked.status).toBe(201);
    expect([byOther.status, otherReply.status]).toEqual([404, 404]);
    expect(othersList.body.requests.map((r) => r.requestId)).not.toContain(asked.body.requestId);
    expect(answered.status).toBe(200);
    expect(closed.body.state).toBe('closed');
    expect(thread.body.messages.map((m) => [m.from, m.text])).toEqual([
      ['member', 'We saw these macros; can the hub analyse them?'],
      ['moderator', 'Yes: the loader matches Emotet epoch 5'],
      ['member', 'Thanks'],
    ]);
    expect(moderatorsList.body.requests).toContainEqual(expect.objectContaining({ requestId: asked.body.requestId, messages: 3 }));
    expect((await admin.post(`${path}/messages`, { text: 'late' })).status).toBe(400);
  });
});
