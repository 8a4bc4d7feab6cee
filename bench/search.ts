import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoObjectStore } from '../shared/adapters/dynamodb/object-store';
import { DynamoSearchIndex } from '../shared/adapters/dynamodb/search-index';
import { IndexedObjectStore } from '../shared/core/search/indexed-object-store';
import { postingsOf } from '../shared/core/search/postings';
import type { ObjectStore } from '../shared/core/ports';
import type { NewVersion } from '../shared/core/taxii/model';
import { indicatorVersion, median, percentile } from './fixtures';

const addressOf = (i: number, second = 200) => `45.${second + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}`;

function version(collectionId: string, address: string): NewVersion {
  const id = `indicator--${randomUUID()}`;
  return indicatorVersion({
    collectionId,
    id,
    created: '2026-11-01T00:00:00.000Z',
    name: 'Bench C2',
    pattern: `[ipv4-addr:value = '${address}']`,
    ownerOnly: true,
  });
}

async function commitRate(store: ObjectStore, collectionId: string, count: number, offset: number): Promise<number> {
  const t0 = performance.now();
  for (let start = 0; start < count; start += 100) {
    const chunk = Array.from({ length: Math.min(100, count - start) }, (_, k) => version(collectionId, addressOf(offset + start + k, 150)));
    await store.commit('ics-isac', collectionId, chunk, Date.now());
  }
  return count / ((performance.now() - t0) / 1000);
}

async function timed(runs: number, warmup: number, call: (i: number) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs + warmup; i++) {
    const t0 = performance.now();
    await call(i);
    if (i >= warmup) times.push(performance.now() - t0);
  }
  return times;
}

/**
 * Search (issue #15's targets), over HTTP on the local platform: commit throughput with and without the index,
 * side by side in one run; then lookups against an index of `values` postings (synthetic indicators' postings
 * written straight into the index, as commits would have) plus 1,000 real indicators committed through it, single
 * lookups alternating with TAXII reads of the same objects.
 */
export async function benchSearch(
  tenant: { id: string; api_root: string; collections: Array<{ id: string }> },
  reader: string,
  documentClient: DynamoDBDocumentClient,
  objectsTable: string,
  values = Number(process.env.BENCH_SEARCH_VALUES ?? 1_000_000),
): Promise<void> {
  const base = new DynamoObjectStore(documentClient, objectsTable);
  const index = new DynamoSearchIndex(documentClient, objectsTable);
  const indexed = new IndexedObjectStore(base, index);

  // Commit throughput: the same work alternately without and with indexing, so that both see the same table.
  const rates: { plain: number[]; indexed: number[] } = { plain: [], indexed: [] };
  for (let round = 0; round < 3; round++) {
    rates.plain.push(await commitRate(base, randomUUID(), 2000, round * 4000));
    rates.indexed.push(await commitRate(indexed, randomUUID(), 2000, round * 4000 + 2000));
  }
  const plain = median(rates.plain);
  const withIndex = median(rates.indexed);
  process.stdout.write(
    `\ncommit, 2,000 indicators in chunks of 100, median of 3 rounds: ${plain.toFixed(0)} objects/s without the index, ${withIndex.toFixed(0)} with it (${(((plain - withIndex) / plain) * 100).toFixed(1)} % slower)\n`,
  );

  const collectionId = tenant.collections[0]!.id;
  const t0 = performance.now();
  const synthetic = randomUUID();
  for (let start = 0; start < values; start += 5000) {
    const postings = Array.from(
      { length: Math.min(5000, values - start) },
      (_, k) => postingsOf(synthetic, version(synthetic, addressOf(start + k, 10)).object).postings,
    ).flat();
    await index.put(tenant.id, postings, []);
  }
  process.stdout.write(`index filled with ${values} synthetic values in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);

  // Real indicators, four per /24 (45.200.0.1, .62, .123, .184, then 45.200.1.…), and one /24 crowded with 200 more.
  const real = Array.from({ length: 1000 }, (_, i) => `45.200.${Math.floor(i / 4)}.${(i % 4) * 61 + 1}`);
  const crowded = Array.from({ length: 200 }, (_, i) => `45.210.3.${i + 1}`);
  const realIds: string[] = [];
  for (const addresses of [real, crowded]) {
    for (let start = 0; start < addresses.length; start += 100) {
      const versions = addresses.slice(start, start + 100).map((a) => version(collectionId, a));
      if (addresses === real) realIds.push(...versions.map((v) => v.objectId));
      await indexed.commit(tenant.id, collectionId, versions, Date.now());
    }
  }
  await indexed.commit(
    tenant.id,
    collectionId,
    [version(collectionId, '45.200.3.0/24'), version(collectionId, '45.210.3.0/24')],
    Date.now(),
  );

  const headers = { Authorization: reader, Accept: 'application/json', 'Content-Type': 'application/json' };
  const search = async (value: string, expectHits: boolean) => {
    const response = await fetch(`${tenant.api_root}search/?value=${encodeURIComponent(value)}`, { headers });
    const body = (await response.json()) as { results?: Array<{ hits: unknown[] }> };
    if (response.status !== 200 || (body.results?.[0]?.hits.length ?? 0) > 0 !== expectHits)
      throw new Error(`search ${value}: ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
  };
  // Side by side with a TAXII read of one of the same objects, alternating, so that both meet the same machine.
  const read = async (id: string) => {
    const response = await fetch(`${tenant.api_root}collections/${collectionId}/objects/${id}/`, {
      headers: { Authorization: reader, Accept: 'application/taxii+json;version=2.1' },
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`TAXII read ${id}: ${response.status}`);
  };
  const hits: number[] = [];
  const reads: number[] = [];
  for (let i = 0; i < 220; i++) {
    const searched = await timed(1, 0, () => search(real[(i * 7) % real.length]!, true));
    const readOne = await timed(1, 0, () => read(realIds[(i * 7) % realIds.length]!));
    if (i >= 20) {
      hits.push(...searched);
      reads.push(...readOne);
    }
  }
  const misses = await timed(200, 0, (i) => search(`198.18.${i % 256}.${(i * 13) % 256}`, false));
  const cidr = await timed(50, 5, (i) => search(`45.200.${i % 250}.0/24`, true));
  const crowdedCidr = await timed(20, 2, () => search('45.210.3.0/24', true));
  const bulkValues = Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? real[i]! : `198.19.${Math.floor(i / 256)}.${i % 256}`));
  const bulk = await timed(10, 2, async () => {
    const response = await fetch(`${tenant.api_root}search/`, { method: 'POST', headers, body: JSON.stringify({ values: bulkValues }) });
    const body = (await response.json()) as { results?: Array<{ hits: unknown[] }> };
    if (response.status !== 200 || body.results?.filter((r) => r.hits.length > 0).length !== 100)
      throw new Error(`bulk search: ${response.status}`);
  });
  process.stdout.write(
    `search over HTTP, ${values + 1000} indexed values: ` +
      `single hit p50 ${median(hits).toFixed(1)} ms, p95 ${percentile(hits, 0.95).toFixed(1)} ms ` +
      `(TAXII GET of one of the same objects, alternating: p50 ${median(reads).toFixed(1)} ms, p95 ${percentile(reads, 0.95).toFixed(1)} ms); ` +
      `single miss p50 ${median(misses).toFixed(1)} ms, p95 ${percentile(misses, 0.95).toFixed(1)} ms; ` +
      `CIDR /24 holding 4 indicators p50 ${median(cidr).toFixed(1)} ms, p95 ${percentile(cidr, 0.95).toFixed(1)} ms; ` +
      `CIDR /24 holding 200 indicators and a covering /24 p50 ${median(crowdedCidr).toFixed(1)} ms, p95 ${percentile(crowdedCidr, 0.95).toFixed(1)} ms; ` +
      `bulk 1,000 values (100 hits) median ${median(bulk).toFixed(0)} ms, max ${Math.max(...bulk).toFixed(0)} ms\n`,
  );
}
