import { paloAltoEdl } from '../shared/core/export/block-lists';
import { suricataRules } from '../shared/core/export/ids-rules';
import { exportItems, type ExportItem } from '../shared/core/export/items';
import { DEFAULT_WARNING_LISTS } from '../shared/core/pipeline/default-warning-lists';
import { compileWarningLists } from '../shared/core/pipeline/warning-lists';
import type { StixObject } from '../shared/core/taxii/model';

/**
 * Exports (issue #15): N indicators — a third each IPv4 addresses, domains and URLs — generated one at a time, as
 * the store's pages would hand them over, written as the three Palo Alto EDLs (one pass each, as a firewall
 * fetches each list) and as Suricata rules. The output goes to a sink that only counts bytes, so the figures
 * are the generators' own. Memory is sampled every 1,000 lines: a peak that does not grow from 10,000 to 100,000
 * indicators is what "memory flat in the number of indicators" means.
 */

const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';

function* indicators(count: number): Generator<StixObject> {
  for (let i = 0; i < count; i++) {
    const id = `indicator--${i.toString(16).padStart(8, '0')}-0000-4000-8000-00000000e0e0`;
    const modified = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
    const value =
      i % 3 === 0
        ? `[ipv4-addr:value = '45.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}']`
        : i % 3 === 1
          ? `[domain-name:value = 'c2-${i}.kanto-bench.xyz']`
          : `[url:value = 'http://drop-${i}.kanto-bench.xyz/gate.php?id=${i}']`;
    yield {
      type: 'indicator',
      spec_version: '2.1',
      id,
      created: modified,
      modified,
      pattern: value,
      pattern_type: 'stix',
      valid_from: modified,
      object_marking_refs: [GREEN],
    };
  }
}

interface Run {
  lines: number;
  bytes: number;
  ms: number;
  peakHeapMiB: number;
  peakRssMiB: number;
}

async function run(lines: AsyncIterable<string>): Promise<Run> {
  (globalThis as { gc?: () => void }).gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peakHeap = heapBefore;
  let peakRss = process.memoryUsage().rss;
  let count = 0;
  let bytes = 0;
  const start = performance.now();
  for await (const line of lines) {
    bytes += line.length;
    if (++count % 1000 === 0) {
      const usage = process.memoryUsage();
      peakHeap = Math.max(peakHeap, usage.heapUsed);
      peakRss = Math.max(peakRss, usage.rss);
    }
  }
  const ms = performance.now() - start;
  const MiB = 1024 * 1024;
  return { lines: count, bytes, ms, peakHeapMiB: (peakHeap - heapBefore) / MiB, peakRssMiB: peakRss / MiB };
}

export async function benchExports(sizes = [10_000, 100_000]): Promise<void> {
  const options = { now: Date.UTC(2026, 5, 1), warningLists: compileWarningLists(DEFAULT_WARNING_LISTS), defaultTlp: 'green' as const };
  const items = (count: number): AsyncIterable<ExportItem> => exportItems(indicators(count), options);
  process.stdout.write('\nExports (issue #15), indicators streamed to a byte-counting sink:\n');
  process.stdout.write(
    'indicators | format | lines | MiB out | ms | peak heap above start (MiB) | peak RSS (MiB)\n--- | --- | --- | --- | --- | --- | ---\n',
  );
  for (const size of sizes) {
    const formats: Array<[string, () => AsyncIterable<string>]> = [
      ['EDL ip', () => paloAltoEdl(items(size), 'ip')],
      ['EDL domain', () => paloAltoEdl(items(size), 'domain')],
      ['EDL url', () => paloAltoEdl(items(size), 'url')],
      ['Suricata 7', () => suricataRules(items(size))],
    ];
    for (const [name, lines] of formats) {
      const r = await run(lines());
      process.stdout.write(
        `${size} | ${name} | ${r.lines} | ${(r.bytes / 1024 / 1024).toFixed(1)} | ${r.ms.toFixed(0)} | ${r.peakHeapMiB.toFixed(1)} | ${r.peakRssMiB.toFixed(0)}\n`,
      );
    }
  }
}

/**
 * The same exports through the route on the local platform (issue #15: 100,000 indicators as an EDL or Suricata file
 * in < 10 s end to end): a firewall's GET with Basic credentials, following the 303 to the exports bucket when the
 * file is over the inline limit, body read to the end. Each format runs twice: timed, then with the live heap
 * sampled (a full GC, then heapUsed, every 250 ms; node --expose-gc) — the handler runs in this process, so a peak
 * of live memory that does not grow with the collection is memory flat in the number of indicators. Garbage not yet
 * collected is not memory the export holds, which is why the timed run does not sample.
 */
export async function benchExportRoute(collectionUrl: string, authorization: string, size: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const fetchExport = async (format: string) => {
    const t0 = performance.now();
    const first = await fetch(`${collectionUrl}exports/${format}/`, {
      headers: { Authorization: authorization, Accept: '*/*' },
      redirect: 'manual',
    });
    const t1 = performance.now();
    const location = first.status === 303 ? first.headers.get('location') : undefined;
    const body = location ? await (await fetch(location)).text() : await first.text();
    return { status: `${first.status}${location ? ' → S3' : ''}`, body, answerMs: t1 - t0, totalMs: performance.now() - t0 };
  };
  for (const format of ['paloalto-ip', 'suricata']) {
    const timed = await fetchExport(format);
    let peakLive = Number.NaN;
    if (gc) {
      gc();
      const idle = process.memoryUsage().heapUsed;
      peakLive = 0;
      const sampler = setInterval(() => {
        gc();
        peakLive = Math.max(peakLive, process.memoryUsage().heapUsed - idle);
      }, 250);
      await fetchExport(format);
      clearInterval(sampler);
    }
    const lines = timed.body.split('\n').length - 1;
    process.stdout.write(
      `${size} | ${format} | ${timed.status} | ${lines} | ${(Buffer.byteLength(timed.body) / 1024 / 1024).toFixed(1)} | ${timed.answerMs.toFixed(0)} | ${timed.totalMs.toFixed(0)} | ${(peakLive / 1024 / 1024).toFixed(1)}\n`,
    );
  }
}
