import { adminClient, type AdminClient } from '../support/admin-client';
import { startSeededPlatform, type SeededPlatform } from '../support/platform';
import { indicator, settled, taxiiClient, TLP, type EnvelopeBody, type StatusBody, type TaxiiClient } from '../support/taxii-client';

/**
 * A policy change that narrows what is published applies to the very next POST (docs/pipeline.md "When a policy
 * change applies"), although warm functions keep collection settings for a minute: each case first shares an
 * object under the loose policy (so every stage has read and kept it), then PATCHes one field and POSTs at once.
 */
let env: SeededPlatform;
let admin: AdminClient;
let provider: TaxiiClient;
let consumer: TaxiiClient;

const T = '/admin/tenants/ics-isac';

/** Everything published, no hold, one custom property allowed: the policy each case narrows one field of. */
const LOOSE = { tlpCeiling: 'red', allowedTypes: [], holdPersonalData: false, customProperties: ['x_acme_note'] };

async function looseCollection(): Promise<{ id: string; path: string }> {
  const created = await admin.post<{ id: string }>(`${T}/collections`, {
    title: `Policy change ${Math.random()}`,
    defaultTlp: 'green',
    publication: 'auto',
    policy: LOOSE,
  });
  expect(created.status).toBe(201);
  for (const [memberId, grant] of [
    ['kanto-power', { read: true, write: true, clearance: 'red' }],
    ['hokuriku-water', { read: true, write: false, clearance: 'amber' }],
  ] as const) {
    const granted = await admin.put(`${T}/grants`, { collectionId: created.body.id, grantee: { kind: 'member', memberId }, ...grant });
    expect(granted.status).toBe(200);
  }
  return { id: created.body.id, path: `/ics-isac/collections/${created.body.id}/` };
}

async function post(path: string, objects: unknown[]): Promise<StatusBody> {
  const posted = await provider.post<StatusBody>(`${path}objects/`, { objects });
  expect(posted.status).toBe(202);
  return settled(provider, 'ics-isac', posted.body.id);
}

const published = async (path: string) =>
  new Map((await consumer.get<EnvelopeBody>(`${path}objects/?limit=1000`)).body.objects.map((o) => [o.id, o] as const));

/** The object that stands for one case: AMBER, with a person's e-mail address and an allowed custom property. */
const probe = () =>
  indicator({
    object_marking_refs: [TLP.amber],
    description: 'Reported by taro.yamada@example.co.jp after the outage',
    x_acme_note: 'seen at night',
  });

/** Shares under the loose policy (every stage reads and keeps it), narrows it, shares again at once. */
async function narrowedRightAfterUse(patch: Record<string, unknown>) {
  const { id, path } = await looseCollection();
  const before = probe();
  expect((await post(path, [before])).success_count).toBe(1);
  const changed = await admin.patch<{ takesEffect: string }>(`${T}/collections/${id}`, patch);
  expect(changed.status).toBe(200);
  const after = probe();
  const status = await post(path, [after]);
  const objects = await published(path);
  return { before: objects.get(before.id), after: objects.get(after.id), status, takesEffect: changed.body.takesEffect };
}

beforeAll(async () => {
  env = await startSeededPlatform('policy-change');
  admin = adminClient(env, 'ics-admin');
  provider = taxiiClient(env, 'ics-provider');
  consumer = taxiiClient(env, 'ics-consumer');
}, 120_000);
afterAll(async () => env?.platform.stop());

describe('a narrowing change applies to the very next POST', () => {
  it('publication: moderation holds the next object for a moderator', async () => {
    const { before, after, status } = await narrowedRightAfterUse({ publication: 'moderation' });
    expect(before).toBeDefined();
    expect(after).toBeUndefined();
    expect(status.pendings).toEqual([expect.objectContaining({ message: expect.stringMatching(/moderat/) })]);
  }, 90_000);

  it('a lower TLP ceiling refuses the next object above it', async () => {
    const { before, after, status } = await narrowedRightAfterUse({ policy: { tlpCeiling: 'green' } });
    expect(before).toBeDefined();
    expect(after).toBeUndefined();
    expect(status.failure_count).toBe(1);
  }, 90_000);

  it('narrowed types refuse the next object of another type', async () => {
    const { before, after, status } = await narrowedRightAfterUse({ policy: { allowedTypes: ['malware'] } });
    expect(before).toBeDefined();
    expect(after).toBeUndefined();
    expect(status.failure_count).toBe(1);
  }, 90_000);

  it('the personal-data hold holds the next object whose text names a person', async () => {
    const { before, after, status } = await narrowedRightAfterUse({ policy: { holdPersonalData: true } });
    expect(before).toBeDefined();
    expect(after).toBeUndefined();
    expect(status.pendings).toEqual([expect.objectContaining({ message: expect.stringMatching(/moderat/) })]);
  }, 90_000);

  it('narrowed custom properties drop the property from the next object', async () => {
    const { before, after } = await narrowedRightAfterUse({ policy: { customProperties: [] } });
    expect(before?.x_acme_note).toBe('seen at night');
    expect(after).toBeDefined();
    expect(after).not.toHaveProperty('x_acme_note');
  }, 90_000);
});

describe('the PATCH answer says when the change takes effect', () => {
  it('now for what a POST publishes; a minute later for the alert trigger, which warm functions keep', async () => {
    const { id } = await looseCollection();
    const narrowed = await admin.patch<{ takesEffect: string }>(`${T}/collections/${id}`, { policy: { tlpCeiling: 'amber' } });
    const answered = Date.now();
    const alerts = await admin.patch<{ takesEffect: string }>(`${T}/collections/${id}`, { policy: { alert: 'all' } });

    expect([narrowed.status, alerts.status]).toEqual([200, 200]);
    expect(Date.parse(narrowed.body.takesEffect)).toBeLessThanOrEqual(answered);
    expect(Date.parse(alerts.body.takesEffect) - Date.parse(narrowed.body.takesEffect)).toBeGreaterThanOrEqual(60_000);
  }, 90_000);
});
