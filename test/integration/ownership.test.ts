import { startSeededPlatform, type SeededPlatform } from '../support/platform';
import { indicator, share, taxiiClient, type EnvelopeBody, type TaxiiClient } from '../support/taxii-client';

/** Integrity: another member cannot publish a new version of a member's object; the owner keeps control of it. */
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

it('refuses another member\'s version of an object, keeps the owner\'s as the latest, and lets the owner delete it', async () => {
  const original = indicator({ name: 'C2 of the week' });
  await share(owner, collection, [original]);
  const hijack = { ...original, modified: '2026-06-01T00:00:00.000Z', name: 'benign, ignore', pattern: "[ipv4-addr:value = '45.77.0.1']" };

  const status = await share(other, collection, [hijack]);

  expect(status.failures).toEqual([{ id: original.id, version: '2026-06-01T00:00:00.000Z', message: `${original.id} belongs to another provider; only it (or a moderator) may publish new versions` }]);
  const latest = (await reader.get<EnvelopeBody>(`${collection}objects/${original.id}/`)).body.objects;
  expect(latest.map((o) => o.name)).toEqual(['C2 of the week']);
  const update = { ...original, modified: '2026-07-01T00:00:00.000Z', name: 'C2 of the month' };
  expect((await share(owner, collection, [update])).success_count).toBe(1);
  expect((await owner.delete(`${collection}objects/${original.id}/`)).status).toBe(200);
  expect((await reader.get(`${collection}objects/${original.id}/`)).status).toBe(404);
});
