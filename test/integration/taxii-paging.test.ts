import { startSeededPlatform, type SeededPlatform } from '../support/platform';
import { indicator, settled, share, taxiiClient, type EnvelopeBody, type StatusBody, type TaxiiClient } from '../support/taxii-client';

/** Pagination never loses or repeats an object, whether clients follow next or poll with added_after. */
let env: SeededPlatform;
let provider: TaxiiClient;
let consumer: TaxiiClient;
let collection: string;
const objects = Array.from({ length: 1200 }, (_, i) => indicator({ name: `bulk-${i}` }));

beforeAll(async () => {
  env = await startSeededPlatform('paging');
  provider = taxiiClient(env, 'ics-provider');
  consumer = taxiiClient(env, 'ics-consumer');
  collection = `/ics-isac/collections/${env.demo.tenants[0]!.collections[0]!.id}/`;
  const status = await share(provider, collection, objects);
  expect(status.success_count).toBe(1200);
}, 120000);
afterAll(async () => env?.platform.stop());

async function walkWithNext(client: TaxiiClient, query: string): Promise<{ ids: string[]; pages: EnvelopeBody[]; lastHeaders: string[] }> {
  const ids: string[] = [];
  const pages: EnvelopeBody[] = [];
  const lastHeaders: string[] = [];
  let next: string | undefined;
  do {
    const page = await client.get<EnvelopeBody>(`${collection}objects/?${query}${next ? `&next=${next}` : ''}`);
    expect(page.status).toBe(200);
    expect(Boolean(page.body.more)).toBe(page.body.next !== undefined); // #10
    ids.push(...page.body.objects.map((o) => o.id));
    pages.push(page.body);
    lastHeaders.push(page.headers.get('x-taxii-date-added-last') ?? '');
    next = page.body.next;
  } while (next);
  return { ids, pages, lastHeaders };
}

describe('following next', () => {
  it('returns every object of a 1,200-object POST exactly once, in date_added order', async () => {
    const { ids, pages } = await walkWithNext(consumer, 'limit=100');
    const manifest = (await consumer.get<{ objects: Array<{ id: string; date_added: string }> }>(`${collection}manifest/?limit=1000`)).body
      .objects;

    expect(pages.length).toBe(12);
    // Stages may reorder a POST's objects: date_added order, not POST order, is the contract.
    expect(ids.length).toBe(1200);
    expect(new Set(ids)).toEqual(new Set(objects.map((o) => o.id)));
    expect(ids.slice(0, 1000)).toEqual(manifest.map((m) => m.id));
    const added = manifest.map((m) => m.date_added);
    expect(added.every((d, i) => i === 0 || d > added[i - 1]!)).toBe(true);
  });

  it('caps a huge limit at the maximum page and keeps paging (TAXII-CLIENTS #19)', async () => {
    const page = await consumer.get<EnvelopeBody>(`${collection}objects/?limit=100000`);
    expect(page.body.objects.length).toBe(1000);
    expect(page.body.more).toBe(true);
  });

  it('answers ?next alone exactly as ?next with the original filters (TAXII-CLIENTS #12)', async () => {
    const first = await consumer.get<EnvelopeBody>(`${collection}objects/?limit=10&match[type]=indicator`);
    const withFilters = await consumer.get<EnvelopeBody>(`${collection}objects/?limit=10&match[type]=indicator&next=${first.body.next}`);
    const alone = await consumer.get<EnvelopeBody>(`${collection}objects/?limit=10&next=${first.body.next}`);
    // Tokens are sealed with a fresh IV each time, so compare what they deliver.
    expect(alone.body.objects).toEqual(withFilters.body.objects);
    expect(alone.body.more).toBe(withFilters.body.more);
    expect(first.body.next).toMatch(/^[A-Za-z0-9_-]+$/); // #27
  });
});

describe('polling with added_after = the last X-TAXII-Date-Added-Last', () => {
  it('returns each object once, also when the client truncates the header to milliseconds (TAXII-CLIENTS #17)', async () => {
    for (const truncate of [false, true]) {
      const ids: string[] = [];
      let addedAfter: string | undefined;
      for (let i = 0; i < 20; i++) {
        const page = await consumer.get<EnvelopeBody>(`${collection}objects/?limit=250${addedAfter ? `&added_after=${addedAfter}` : ''}`);
        if (page.body.objects.length === 0) break;
        ids.push(...page.body.objects.map((o) => o.id));
        const last = page.headers.get('x-taxii-date-added-last')!;
        addedAfter = truncate ? last.replace(/(\.\d{3})\d{3}Z$/, '$1Z') : last;
      }
      expect(ids.length).toBe(1200);
      expect(new Set(ids)).toEqual(new Set(objects.map((o) => o.id)));
    }
  });
});

describe('paging while objects are being added', () => {
  it('loses and repeats nothing', async () => {
    const before = await consumer.get<EnvelopeBody>(`${collection}objects/?limit=1000`);
    const startAfter = before.headers.get('x-taxii-date-added-last');
    // Drain everything committed so far, so the poll below starts at the current end.
    const { lastHeaders } = await walkWithNext(consumer, 'limit=1000');
    let addedAfter = lastHeaders.filter(Boolean).pop() ?? startAfter!;

    const fresh = Array.from({ length: 8 }, (_, b) => Array.from({ length: 60 }, (_, i) => indicator({ name: `live-${b}-${i}` })));
    const writer = (async () => {
      const statuses: StatusBody[] = [];
      for (const batch of fresh) statuses.push((await provider.post<StatusBody>(`${collection}objects/`, { objects: batch })).body);
      return Promise.all(statuses.map((s) => settled(provider, 'ics-isac', s.id)));
    })();

    const seen: string[] = [];
    let writerDone = false;
    void writer.then(() => (writerDone = true));
    for (let quietPolls = 0; quietPolls < 3; ) {
      const page = await consumer.get<EnvelopeBody>(`${collection}objects/?limit=37&added_after=${addedAfter}`);
      seen.push(...page.body.objects.map((o) => o.id));
      if (page.body.objects.length > 0) addedAfter = page.headers.get('x-taxii-date-added-last')!;
      else if (writerDone) quietPolls++;
      await new Promise((r) => setTimeout(r, 5));
    }
    await writer;

    const expected = fresh.flat().map((o) => o.id);
    expect(seen.length).toBe(expected.length);
    expect(new Set(seen)).toEqual(new Set(expected));
  }, 60000);
});
