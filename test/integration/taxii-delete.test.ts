import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { localClients } from '../../infra/local/platform';
import { DynamoObjectStore } from '../../shared/adapters/dynamodb/object-store';
import { corroborationKeys, originalsKeys } from '../../shared/adapters/dynamodb/keys';
import { claimKeys } from '../../shared/adapters/s3/keys';
import { emptyRegistry } from '../../shared/core/directory/registry';
import { createDocumentClient } from '../../shared/runtime/aws-clients';
import { baseConfig } from '../../shared/runtime/config';
import { testEndpoints } from '../support/emulators';
import { startSeededPlatform, type SeededPlatform } from '../support/platform';
import { indicator, share, taxiiClient, type EnvelopeBody, type TaxiiClient } from '../support/taxii-client';

/**
 * DELETE deletes (issue #12): what a provider takes back leaves no version, no original, no corroboration behind,
 * and corroboration only ever points at what was published — so the same report, shared again, is published anew.
 */
let env: SeededPlatform;
let provider: TaxiiClient;
let consumer: TaxiiClient;
let reader: TaxiiClient;
let collectionId: string;
let collection: string;
let db: ReturnType<typeof createDocumentClient>;

const table = () => env.platform.env.TABLE_OBJECTS!;
async function partition(pk: string): Promise<Array<Record<string, unknown>>> {
  return (
    (await db.send(new QueryCommand({ TableName: table(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } })))
      .Items ?? []
  );
}
const versionsOf = (id: string) => new DynamoObjectStore(db, table()).versionsOf('ics-isac', collectionId, id);
const originalsOf = (id: string) => partition(originalsKeys.pk('ics-isac', collectionId, id));
/** The corroboration records that point at an object. */
const corroborationOf = async (id: string) =>
  (await partition(corroborationKeys.item('ics-isac', collectionId, '').pk)).filter((r) => r.objectId === id);
/** What a poller that last read at `since` gets now. */
async function polledSince(since: string): Promise<EnvelopeBody['objects']> {
  return (await reader.get<EnvelopeBody>(`${collection}objects/?added_after=${since}&limit=1000`)).body.objects;
}

beforeAll(async () => {
  env = await startSeededPlatform('taxii-delete');
  db = createDocumentClient(baseConfig());
  provider = taxiiClient(env, 'ics-provider');
  consumer = taxiiClient(env, 'ics-consumer');
  reader = taxiiClient(env, 'ics-reader');
  collectionId = env.demo.tenants[0]!.collections[0]!.id;
  collection = `/ics-isac/collections/${collectionId}/`;
}, 60000);
afterAll(async () => {
  db?.destroy();
  await env?.platform.stop();
}, 60000);

describe('TAXII DELETE', () => {
  it('removes the versions, the original, the corroboration and its sighting, and is audited', async () => {
    // Prepare: the provider shares X; another member reports the same address, merged into X as corroboration.
    const x = indicator({ name: 'C2 to be taken back' });
    await share(provider, collection, [x]);
    await share(consumer, collection, [indicator({ pattern: x.pattern })]);
    const [sighting] = (await reader.get<EnvelopeBody>(`${collection}objects/?match[type]=sighting&limit=1000`)).body.objects.filter(
      (s) => s.sighting_of_ref === x.id,
    );
    expect(sighting).toMatchObject({ count: 2 });
    expect(await corroborationOf(x.id)).toHaveLength(1);
    expect(await originalsOf(x.id)).toHaveLength(1);

    // Act
    const deleted = await provider.delete(`${collection}objects/${x.id}/`);

    // Assess
    expect(deleted.status).toBe(200);
    expect(await versionsOf(x.id)).toEqual([]);
    expect(await originalsOf(x.id)).toEqual([]);
    expect(await corroborationOf(x.id)).toEqual([]);
    expect(await versionsOf(sighting!.id)).toEqual([]);
    expect((await reader.get(`${collection}objects/${x.id}/`)).status).toBe(404);
    const { entries } = await env.audit.query('ics-isac', { limit: 1000 });
    expect(entries.filter((e) => e.action === 'taxii.delete').map((e) => [e.memberId, e.target, e.details])).toEqual([
      ['kanto-power', { type: 'object', id: x.id }, { collectionId, versions: [x.modified] }],
    ]);
  });

  it('publishes the identical report shared again after a deletion, from its provider or another member', async () => {
    const x = indicator({ name: 'shared, deleted, shared again' });
    await share(provider, collection, [x]);
    expect((await provider.delete(`${collection}objects/${x.id}/`)).status).toBe(200);
    const since = new Date().toISOString();

    const again = indicator({ pattern: x.pattern, name: 'shared again by its provider' });
    const fromOther = indicator({ pattern: x.pattern, name: 'and by another member' });
    const first = await share(provider, collection, [again]);
    const second = await share(consumer, collection, [fromOther]);

    // The provider's is published as itself, not merged into the deleted X; the other member's is then corroboration
    // of the new object, which names it.
    expect(first.successes).toEqual([{ id: again.id, version: again.modified }]);
    expect(second.successes).toEqual([
      {
        id: fromOther.id,
        version: fromOther.modified,
        message: expect.stringContaining(`Already shared in this collection as ${again.id}`),
      },
    ]);
    const polled = await polledSince(since);
    expect(polled.filter((o) => o.type === 'indicator').map((o) => o.id)).toEqual([again.id]);
    expect(polled.filter((o) => o.type === 'sighting').map((o) => [o.sighting_of_ref, o.count])).toEqual([[again.id, 2]]);
  });

  it('keeps the corroboration while a version that says the same thing remains', async () => {
    const v1 = indicator({ name: 'version one' });
    const v2 = { ...v1, name: 'version two', modified: '2026-05-02T00:00:00.000Z' };
    await share(provider, collection, [v1]);
    await share(provider, collection, [v2]);

    expect((await provider.delete(`${collection}objects/${v1.id}/?match[version]=${v1.modified}`)).status).toBe(200);

    expect((await versionsOf(v1.id)).map((v) => v.version)).toEqual([v2.modified]);
    expect(await corroborationOf(v1.id)).toHaveLength(1);
    const merged = await share(consumer, collection, [indicator({ pattern: v1.pattern })]);
    expect(merged.successes[0]!.message).toContain(`Already shared in this collection as ${v1.id}`);
  });
});

describe('withheld items hold no corroboration', () => {
  it('publishes an identical report that passes after a withheld one', async () => {
    // Prepare: Kanto Power lists its address range; another member's report of an address in it is withheld.
    await env.directory.putRegistry({ ...emptyRegistry('ics-isac', 'kanto-power'), ipRanges: ['133.242.20.0/24'] });
    const named = indicator({ pattern: "[ipv4-addr:value = '133.242.20.7']", name: 'beacon seen at a member' });
    const withheld = await share(consumer, collection, [named]);
    expect(withheld.failures).toEqual([{ id: named.id, version: named.modified, message: expect.stringMatching(/^anonymize: /) }]);
    expect(await corroborationOf(named.id)).toEqual([]);
    // Kanto Power no longer lists the range (it was reassigned): the same report now passes.
    await env.directory.putRegistry(emptyRegistry('ics-isac', 'kanto-power'));
    const since = new Date().toISOString();

    // Act
    const same = indicator({ pattern: named.pattern, name: 'the same beacon' });
    const passed = await share(provider, collection, [same]);

    // Assess: published as itself and visible to pollers, not merged into the withheld one.
    expect(passed.successes).toEqual([{ id: same.id, version: same.modified }]);
    expect((await polledSince(since)).map((o) => o.id)).toEqual([same.id]);
  });
});

describe('claim checks', () => {
  it('are deleted once the stages consumed them', async () => {
    // Prepare: a POST too large for SQS travels by claim check between every stage (over 200 KiB).
    const objects = Array.from({ length: 150 }, () => indicator({ description: 'x'.repeat(2000) }));
    const s3 = localClients(testEndpoints()).s3;
    const claims = async (statusId: string) =>
      (
        await s3.send(
          new ListObjectsV2Command({ Bucket: env.platform.resources.buckets.pipeline, Prefix: claimKeys.prefix('ics-isac', statusId) }),
        )
      ).Contents ?? [];

    // Act
    const status = await share(provider, collection, objects);

    // Assess: the last stage deletes its claim just after settling the status; wait for it, briefly.
    expect(status.success_count).toBe(150);
    let left = await claims(status.id);
    for (let tries = 0; left.length > 0 && tries < 50; tries++) {
      await new Promise((r) => setTimeout(r, 100));
      left = await claims(status.id);
    }
    s3.destroy();
    expect(left.map((o) => o.Key)).toEqual([]);
  });
});
