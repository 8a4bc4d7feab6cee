import { startSeededPlatform, type SeededPlatform } from '../support/platform';
import { indicator, share, taxiiClient, TLP, type EnvelopeBody, type TaxiiClient } from '../support/taxii-client';

/**
 * Per-member visibility on every read path. In the demo ICS tenant the consumer (Hokuriku Water) is cleared up to
 * RED and opted in to secret items; the reader (the vendor) is cleared for GREEN only and did not opt in.
 */
let env: SeededPlatform;
let provider: TaxiiClient;
let consumer: TaxiiClient;
let reader: TaxiiClient;
let collection: string;

const shared = {
  green: indicator({ name: 'green' }),
  clear: indicator({ name: 'clear', object_marking_refs: [TLP.clear] }),
  v1White: indicator({ name: 'tlp1-white', object_marking_refs: [TLP.v1White] }),
  amber: indicator({ name: 'amber', object_marking_refs: [TLP.amber] }),
  amberStrict: indicator({ name: 'amber-strict', object_marking_refs: [TLP.amberStrict] }),
  unmarked: indicator({ name: 'unmarked', object_marking_refs: undefined }),
  redForConsumer: indicator({ name: 'red-named', object_marking_refs: [TLP.red], x_kyoyu_recipients: ['hokuriku-water'] }),
  redForNobody: indicator({ name: 'red-unnamed', object_marking_refs: [TLP.red] }),
  v1RedForConsumer: indicator({ name: 'tlp1-red-named', object_marking_refs: [TLP.v1Red], x_kyoyu_recipients: ['hokuriku-water'] }),
  secretGreen: indicator({ name: 'secret-green', x_kyoyu_secret: true }),
  redDescription: indicator({
    name: 'granular-red',
    granular_markings: [{ marking_ref: TLP.red, selectors: ['description'] }],
    description: 'victim details',
  }),
};

beforeAll(async () => {
  env = await startSeededPlatform('visibility');
  provider = taxiiClient(env, 'ics-provider');
  consumer = taxiiClient(env, 'ics-consumer');
  reader = taxiiClient(env, 'ics-reader');
  collection = `/ics-isac/collections/${env.demo.tenants[0]!.collections[0]!.id}/`;
  await share(provider, collection, Object.values(shared));
});
afterAll(async () => env?.platform.stop());

const namesSeenBy = async (client: TaxiiClient) =>
  (await client.get<EnvelopeBody>(`${collection}objects/?limit=1000`)).body.objects.map((o) => o.name as string).sort();

describe('who sees what', () => {
  it('shows the provider everything it shared', async () => {
    expect(await namesSeenBy(provider)).toEqual(
      Object.values(shared)
        .map((o) => o.name as string)
        .sort(),
    );
  });

  it('shows a RED-cleared, opted-in member what its clearance allows and RED only where it is named', async () => {
    expect(await namesSeenBy(consumer)).toEqual(
      ['amber', 'amber-strict', 'clear', 'green', 'red-named', 'secret-green', 'tlp1-red-named', 'tlp1-white', 'unmarked'].sort(),
    );
  });

  it('shows a GREEN-cleared member that did not opt in to secrets only CLEAR and GREEN items', async () => {
    expect(await namesSeenBy(reader)).toEqual(['clear', 'green', 'tlp1-white']);
  });

  it('shows another tenant nothing: the collection does not exist for it', async () => {
    const foreign = taxiiClient(env, 'fin-consumer');
    expect((await foreign.get(`${collection}objects/`)).status).toBe(404);
    expect((await foreign.get(`${collection}objects/${shared.green.id}/`)).status).toBe(404);
    expect((await foreign.get(`${collection}manifest/`)).status).toBe(404);
  });

  it('never publishes the scoping properties themselves', async () => {
    const objects = (await consumer.get<EnvelopeBody>(`${collection}objects/?limit=1000`)).body.objects;
    expect(JSON.stringify(objects)).not.toMatch(/x_kyoyu_(recipients|secret)/);
  });
});

describe('every read path hides what the reader may not see', () => {
  const hidden = [shared.amber, shared.redForConsumer, shared.secretGreen];

  it.each(hidden.map((o) => [o.name as string, o]))('object endpoint: %s is a 404 for the reader', async (_name, object) => {
    expect((await reader.get(`${collection}objects/${object.id}/`)).status).toBe(404);
    expect((await reader.get(`${collection}objects/${object.id}/versions/`)).status).toBe(404);
    expect((await consumer.get(`${collection}objects/${object.id}/`)).status).toBe(200);
  });

  it('manifest and match[id] leave hidden objects out', async () => {
    const manifest = await reader.get<{ objects: Array<{ id: string }> }>(`${collection}manifest/?limit=1000`);
    const byId = await reader.get<EnvelopeBody>(`${collection}objects/?match[id]=${hidden.map((o) => o.id).join(',')}`);

    const ids = manifest.body.objects.map((o) => o.id);
    for (const object of hidden) expect(ids).not.toContain(object.id);
    expect(ids).toContain(shared.green.id);
    expect(byId.body).toEqual({ more: false, objects: [] });
  });

  it('a reader cannot delete what it cannot see, nor what it can, and cannot tell them apart (TAXII 2.1 §5.7: 403)', async () => {
    const hiddenOne = await reader.delete<{ description: string }>(`${collection}objects/${shared.amber.id}/`);
    const visibleOne = await reader.delete<{ description: string }>(`${collection}objects/${shared.green.id}/`);
    expect([hiddenOne.status, visibleOne.status]).toEqual([403, 403]);
    expect(hiddenOne.body.description).toBe(visibleOne.body.description);
  });
});

describe('pages are never empty while more is true (TAXII-CLIENTS #11)', () => {
  it('skips hidden objects without counting them against the page', async () => {
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const page = await reader.get<EnvelopeBody>(`${collection}objects/?limit=1${next ? `&next=${next}` : ''}`);
      if (page.body.more) expect(page.body.objects.length).toBe(1);
      seen.push(...page.body.objects.map((o) => o.name as string));
      next = page.body.more ? page.body.next : undefined;
      pages++;
    } while (next && pages < 20);
    expect(seen.sort()).toEqual(['clear', 'green', 'tlp1-white']);
  });
});
