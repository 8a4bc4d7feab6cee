import { startSeededPlatform, type SeededPlatform } from '../support/platform';
import { adminClient } from '../support/admin-client';
import { indicator, share, taxiiClient, TLP, type EnvelopeBody, type TaxiiClient } from '../support/taxii-client';

/**
 * Integrity: another member cannot publish a new version of a member's object, the owner keeps control of it, and
 * originals follow the provider's scope.
 */
let env: SeededPlatform;
let owner: TaxiiClient;
let other: TaxiiClient;
let reader: TaxiiClient;
let collection: string;

beforeAll(async () => {
  env = await startSeededPlatform('ownership');
  owner = taxiiClient(env, 'ics-provider');
  other = taxiiClient(env, 'ics-consumer');
  reader = taxiiClient(env, 'ics-reader');
  collection = `/ics-isac/collections/${env.demo.tenants[0]!.collections[0]!.id}/`;
}, 60000);
afterAll(async () => env?.platform.stop());

it("refuses another member's version of an object, keeps the owner's as the latest, and lets the owner delete it", async () => {
  const original = indicator({ name: 'C2 of the week' });
  await share(owner, collection, [original]);
  const hijack = { ...original, modified: '2026-06-01T00:00:00.000Z', name: 'benign, ignore', pattern: "[ipv4-addr:value = '45.77.0.1']" };

  const status = await share(other, collection, [hijack]);

  expect(status.failures).toEqual([
    {
      id: original.id,
      version: '2026-06-01T00:00:00.000Z',
      message: `${original.id} belongs to another provider; only it (or a moderator) may publish new versions`,
    },
  ]);
  const latest = (await reader.get<EnvelopeBody>(`${collection}objects/${original.id}/`)).body.objects;
  expect(latest.map((o) => o.name)).toEqual(['C2 of the week']);
  const update = { ...original, modified: '2026-07-01T00:00:00.000Z', name: 'C2 of the month' };
  expect((await share(owner, collection, [update])).success_count).toBe(1);
  expect((await owner.delete(`${collection}objects/${original.id}/`)).status).toBe(200);
  expect((await reader.get(`${collection}objects/${original.id}/`)).status).toBe(404);
});

it('lets a moderator read an original only within the scope the provider set, and audits every read', async () => {
  const admin = taxiiClient(env, 'ics-admin');
  const amber = indicator({ object_marking_refs: [TLP.amber], description: 'seen at our plant' });
  const red = indicator({ object_marking_refs: [TLP.red], x_kyoyu_recipients: ['control-vendor'] });
  await share(owner, collection, [amber, red]);

  const originals = (id: string, client: TaxiiClient) => client.get<EnvelopeBody>(`${collection}objects/${id}/originals/`);
  expect((await originals(amber.id, admin)).status).toBe(200);
  // The tenant admin is cleared for AMBER+STRICT but not named on the RED item: its original stays hidden too.
  expect((await originals(red.id, admin)).status).toBe(404);
  expect((await originals(red.id, owner)).status).toBe(200);
  expect((await originals(amber.id, other)).status).toBe(404);

  const entries = (
    await adminClient(env, 'ics-admin').get<{ entries: Array<{ action: string; actor: { username: string }; target: { id: string } }> }>(
      '/admin/tenants/ics-isac/audit?limit=1000',
    )
  ).body.entries;
  const reads = entries.filter((e) => e.action === 'taxii.read-originals').map((e) => [e.actor.username, e.target.id]);
  expect(reads).toEqual(
    expect.arrayContaining([
      ['ics-admin', amber.id],
      ['ics-provider', red.id],
    ]),
  );
  expect(reads).not.toContainEqual(['ics-admin', red.id]);
});
