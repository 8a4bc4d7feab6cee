import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDirectoryStore } from '../shared/adapters/dynamodb/directory-store';
import { DynamoAuditStore } from '../shared/adapters/dynamodb/audit-store';
import { DynamoObjectStore } from '../shared/adapters/dynamodb/object-store';
import type { NewVersion } from '../shared/core/taxii/model';
import { createDocumentClient } from '../shared/runtime/aws-clients';
import { baseConfig } from '../shared/runtime/config';
import { auditMacOf } from '../shared/runtime/composition-root';
import { startDynamoDbLocal, startFauxqs, startS3rver, type Emulator } from '../infra/local/emulators';
import type { LambdaHandler } from '../infra/local/lambda-context';
import { startPlatform } from '../infra/local/platform';
import { seedDemo } from '../infra/local/seed';
import { repoRoot } from '../infra/local/repo-root';
import { benchCraftedText } from './crafted-text';
import { benchExportRoute, benchExports } from './exports';
import { benchModeration } from './moderation';
import { benchSearch } from './search';
import { benchAlerts } from './alerts';
import { captureBenchReport } from './report';
import { indicatorVersion, median, percentile } from './fixtures';
import { runInEnvironment } from '../shared/runtime/config';

/**
 * `npm run bench`: the TAXII read path on the local platform, over HTTP, at 1,000, 10,000 and 100,000 objects
 * in a collection. Prints first-page latency (limit=100) and full-walk throughput (limit=1000, following next).
 * First 1 MiB crafted texts through the pipeline's text rules (BENCH_CRAFTED=off skips it, =only runs nothing else);
 * then the export generators at 10,000 and 100,000 indicators (BENCH_EXPORTS=off skips them, =only stops after them);
 * then the pipeline end to end and files (BENCH_PIPELINE=off, BENCH_FILES=off skip them).
 * Sizes can be narrowed with BENCH_SIZES=1000,10000. BENCH_POLLERS=40 (the default; 0 skips it) then runs that many
 * members' pollers at once against the first size: every poll is audited, so this is where the audit log's cost shows.
 * After each size's read path, exports through the route (an EDL and Suricata; BENCH_EXPORT_ROUTE=off skips them).
 * Then moderation (BENCH_MODERATION=off skips it): a 10,000-item queue's first page and approval-to-readable time,
 * search (BENCH_SEARCH=off skips it) and alerts (BENCH_ALERTS=off skips them). What it prints is also written to
 * docs/benchmarks.md once it has finished.
 */

// The bundle runs from .local/build/bench/main.js; the handlers are built beside it under .local/build.
const BUILD_DIR = join(__dirname, '..');
const loadBuiltHandler = (entry: string): LambdaHandler =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require(join(BUILD_DIR, entry.replace(/\.ts$/, '.js'))) as { handler: LambdaHandler }).handler;

function indicator(i: number, collection: string): NewVersion {
  return indicatorVersion({
    collectionId: collection,
    id: `indicator--${String(i).padStart(8, '0')}-0000-4000-8000-${collection.slice(0, 12).padEnd(12, '0')}`,
    created: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    name: `Bench C2 ${i}`,
    pattern: `[ipv4-addr:value = '198.51.${Math.floor(i / 256) % 256}.${i % 256}']`,
  });
}

/**
 * `pollers` clients polling the same collection at once (limit=100), `rounds` polls each, after a warm-up round:
 * every poll is audited in the tenant's log, so this measures what auditing costs a busy tenant.
 */
async function benchConcurrentPollers(objectsUrl: string, headers: Record<string, string>, pollers: number, rounds = 10): Promise<void> {
  const poll = async (): Promise<number> => {
    const t0 = performance.now();
    const response = await fetch(`${objectsUrl}?limit=100`, { headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`poll answered ${response.status}`);
    return performance.now() - t0;
  };
  await Promise.all(Array.from({ length: pollers }, poll));
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: pollers }, async () => {
      for (let i = 0; i < rounds; i++) latencies.push(await poll());
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(
    `\n${pollers} concurrent pollers × ${rounds} polls (limit=100): p50 ${median(latencies).toFixed(0)} ms, p95 ${percentile(latencies, 0.95).toFixed(0)} ms, ` +
      `max ${Math.max(...latencies).toFixed(0)} ms, ${Math.round(latencies.length / seconds)} polls/s\n`,
  );
}

type DemoTenant = Awaited<ReturnType<typeof seedDemo>>['tenants'][number];

function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

/** Splits objects into envelopes under the API root's max_content_length. */
function envelopes(objects: unknown[], maxBytes: number): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let size = 20;
  for (const object of objects) {
    const text = JSON.stringify(object);
    if (current.length > 0 && size + text.length + 1 > maxBytes) {
      out.push(`{"objects":[${current.join(',')}]}`);
      current = [];
      size = 20;
    }
    current.push(text);
    size += Buffer.byteLength(text) + 1;
  }
  if (current.length) out.push(`{"objects":[${current.join(',')}]}`);
  return out;
}

/**
 * The pipeline end to end (normalize → filter → dedupe → anonymize → commit), over HTTP: latency from POST to
 * visible to another member for one small object on an idle system, then the whole ATT&CK corpus (STIX 2.0).
 */
async function benchPipeline(tenant: DemoTenant, dynamodb: Emulator): Promise<void> {
  const provider = tenant.members[1]!.users[0]!;
  const consumer = tenant.members[2]!.users[0]!;
  const basic = (u: { username: string; password: string }) => `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`;
  const collectionUrl = `${tenant.api_root}collections/${tenant.collections[0]!.id}/`;
  const post = (body: string) =>
    fetch(`${collectionUrl}objects/`, {
      method: 'POST',
      headers: {
        Authorization: basic(provider),
        Accept: 'application/taxii+json;version=2.1',
        'Content-Type': 'application/taxii+json;version=2.1',
      },
      body,
    });
  const readerHeaders = { Authorization: basic(consumer), Accept: 'application/taxii+json;version=2.1' };

  const latencies: number[] = [];
  for (let i = 0; i < 30; i++) {
    const id = `indicator--${randomUUID()}`;
    const object = {
      type: 'indicator',
      spec_version: '2.1',
      id,
      created: '2026-11-25T00:00:00.000Z',
      modified: '2026-11-25T00:00:00.000Z',
      pattern: `[ipv4-addr:value = '45.${100 + i}.10.1']`,
      pattern_type: 'stix',
      valid_from: '2026-11-25T00:00:00Z',
      object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
    };
    const t0 = performance.now();
    if ((await post(JSON.stringify({ objects: [object] }))).status !== 202) throw new Error('POST failed');
    for (;;) {
      if ((await fetch(`${collectionUrl}objects/${id}/`, { headers: readerHeaders })).status === 200) break;
      if (performance.now() - t0 > 30_000) throw new Error(`${id} not visible after 30 s`);
      await new Promise((r) => setTimeout(r, 5));
    }
    latencies.push(performance.now() - t0);
  }
  process.stdout.write(
    `\nPOST → visible to another member, one indicator, idle: p50 ${median(latencies).toFixed(0)} ms, p95 ${percentile(latencies, 0.95).toFixed(0)} ms\n`,
  );

  // The ATT&CK corpus is not in the repository; the tests look for it in the same places (docs/testing.md).
  const corpusFile = process.env.KYOYU_ATTACK_CORPUS || join(repoRoot(), '..', 'shared', 'corpus', 'attack-enterprise-stix20.json');
  if (!existsSync(corpusFile)) {
    process.stdout.write(`(no ${corpusFile}: skipping the ATT&CK ingest)\n`);
    return;
  }
  const corpus = JSON.parse(readFileSync(corpusFile, 'utf8')) as { objects: Array<Record<string, unknown>> };
  // STIX 2.0 objects carry no spec_version: normalize recognises and upgrades them.
  const bodies = envelopes(corpus.objects, 3_500_000);
  const t0 = performance.now();
  const statusIds: string[] = [];
  for (const body of bodies) {
    const response = await post(body);
    if (response.status !== 202) throw new Error(`POST answered ${response.status}`);
    statusIds.push(((await response.json()) as { id: string }).id);
  }
  const providerHeaders = { Authorization: basic(provider), Accept: 'application/taxii+json;version=2.1' };
  let totals = { success: 0, failure: 0 };
  for (const statusId of statusIds) {
    for (;;) {
      const status = (await (await fetch(`${tenant.api_root}status/${statusId}/`, { headers: providerHeaders })).json()) as {
        status: string;
        success_count: number;
        failure_count: number;
      };
      if (status.status === 'complete') {
        totals = { success: totals.success + status.success_count, failure: totals.failure + status.failure_count };
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(
    `ATT&CK corpus, ${corpus.objects.length} STIX 2.0 objects in ${bodies.length} POSTs, end to end: ${seconds.toFixed(1)} s, ${Math.round(corpus.objects.length / seconds)} objects/s ` +
      `(${totals.success} succeeded, ${totals.failure} refused or filtered)\n`,
  );
  process.stdout.write(`peak RSS of DynamoDB Local so far: ${dynamodb.pid ? peakRssMiB(dynamodb.pid) : '?'} MiB\n`);
}

/**
 * Files end to end over HTTP against s3rver: the largest sample (read back, hashed, zipped, stored) and a 256 MiB
 * attachment in parts (read back and hashed). What matters is how long `complete` takes: it runs inside one API call.
 */
async function benchFiles(tenant: DemoTenant): Promise<void> {
  const provider = tenant.members[1]!.users[0]!;
  const headers = {
    Authorization: `Basic ${Buffer.from(`${provider.username}:${provider.password}`).toString('base64')}`,
    Accept: 'application/json',
    'Content-Type': 'application/json',
  };
  const base = `${tenant.api_root}collections/${tenant.collections[0]!.id}/`;
  const call = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
  type Slot = {
    id: string;
    upload: { url?: string; headers?: Record<string, string>; part_size?: number; parts?: Array<{ part_number: number; url: string }> };
  };
  for (const [kind, size] of [
    ['samples', 32 * 1024 * 1024],
    ['attachments', 256 * 1024 * 1024],
  ] as const) {
    const data = randomBytes(size);
    const slot = await call<Slot>(`${kind}/`, {
      file_name: kind === 'samples' ? 'bench.exe' : 'bench.pcap',
      size,
      sha256: createHash('sha256').update(data).digest('hex'),
      ...(kind === 'samples' ? { malware: true } : { media_type: 'application/vnd.tcpdump.pcap' }),
    });
    const t0 = performance.now();
    let parts: Array<{ part_number: number; etag: string }> | undefined;
    if (slot.upload.parts) {
      parts = [];
      for (const part of slot.upload.parts) {
        const chunk = data.subarray((part.part_number - 1) * slot.upload.part_size!, part.part_number * slot.upload.part_size!);
        const answered = await fetch(part.url, { method: 'PUT', body: chunk });
        parts.push({ part_number: part.part_number, etag: answered.headers.get('etag')! });
      }
    } else {
      await fetch(slot.upload.url!, { method: 'PUT', body: data, headers: slot.upload.headers });
    }
    const t1 = performance.now();
    await call(`${kind}/${slot.id}/complete/`, parts ? { parts } : {});
    const t2 = performance.now();
    process.stdout.write(
      `${kind === 'samples' ? 'sample' : 'attachment'} of ${size / 1024 / 1024} MiB: upload to s3rver ${((t1 - t0) / 1000).toFixed(1)} s, ` +
        `complete (verify${kind === 'samples' ? ', zip' : ', move'}, share) ${((t2 - t1) / 1000).toFixed(1)} s\n`,
    );
  }
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  if (process.env.BENCH_CRAFTED !== 'off') benchCraftedText();
  if (process.env.BENCH_CRAFTED === 'only') return;
  if (process.env.BENCH_EXPORTS !== 'off') await benchExports();
  if (process.env.BENCH_EXPORTS === 'only') return;
  const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'kyoyu-bench-'));
  const emulators: Emulator[] = await Promise.all([
    startDynamoDbLocal({ port: 0, portVariable: 'BENCH', logFile: join(dir, 'dynamodb.log') }),
    startFauxqs({ port: 0, portVariable: 'BENCH', logFile: join(dir, 'fauxqs.log') }),
    startS3rver({ port: 0, portVariable: 'BENCH', dataDir: join(dir, 's3'), logFile: join(dir, 's3rver.log') }),
  ]);
  const [dynamodb, sqs, s3] = emulators as [Emulator, Emulator, Emulator];
  const platform = await startPlatform({
    endpoints: { dynamodb: dynamodb.endpoint, sqs: sqs.endpoint, s3: s3.endpoint },
    prefix: 'bench',
    httpPort: 0,
    loadHandler: loadBuiltHandler,
    logLevel: 'silent',
    // The alerts benchmark's receivers listen on loopback.
    alerts: { allowLoopbackWebhooks: true },
  });
  try {
    const documentClient = createDocumentClient(baseConfig());
    const demo = await seedDemo(
      {
        directory: new DynamoDirectoryStore(documentClient, platform.env.TABLE_DIRECTORY!),
        audit: new DynamoAuditStore(documentClient, platform.env.TABLE_AUDIT!),
        mac: auditMacOf(baseConfig(platform.env)),
      },
      platform.url,
      undefined,
    );
    const tenant = demo.tenants[0]!;
    const collection = tenant.collections[0]!.id;
    if (process.env.BENCH_ALERTS !== 'off') {
      // The seeded "Urgent alerts" collection; alerts are raised by the urgent label.
      // The bench commits as the commit stage would, so it runs with every resource the platform has.
      await runInEnvironment(platform.env, () =>
        benchAlerts(
          tenant.id,
          tenant.collections[1]!.id,
          new DynamoDirectoryStore(documentClient, platform.env.TABLE_DIRECTORY!),
          Number(process.env.BENCH_ALERT_MEMBERS ?? 1000),
        ),
      );
      if (process.env.BENCH_ALERTS === 'only') return;
    }
    const consumer = tenant.members[2]!.users[0]!;
    const auth = `Basic ${Buffer.from(`${consumer.username}:${consumer.password}`).toString('base64')}`;
    const store = new DynamoObjectStore(documentClient, platform.env.TABLE_OBJECTS!);
    const headers = { Authorization: auth, Accept: 'application/taxii+json;version=2.1' };
    const objectsUrl = `${tenant.api_root}collections/${collection}/objects/`;

    let stored = 0;
    process.stdout.write(`objects | first page median | p95 | full walk | objects/s\n--- | --- | --- | --- | ---\n`);
    for (const size of sizes) {
      const batch = 512;
      for (let start = stored; start < size; start += batch) {
        const versions = Array.from({ length: Math.min(batch, size - start) }, (_, i) => indicator(start + i, collection));
        await store.commit('ics-isac', collection, versions, Date.now());
      }
      stored = size;

      const firstPage: number[] = [];
      for (let i = 0; i < 40; i++) {
        const t0 = performance.now();
        const response = await fetch(`${objectsUrl}?limit=100`, { headers });
        const body = (await response.json()) as { objects?: unknown[] };
        if (response.status !== 200 || body.objects?.length !== 100) throw new Error(`first page failed: ${response.status}`);
        if (i >= 5) firstPage.push(performance.now() - t0); // the first requests warm the handlers
      }

      const t0 = performance.now();
      let walked = 0;
      let next: string | undefined;
      do {
        const response = await fetch(`${objectsUrl}?limit=1000${next ? `&next=${next}` : ''}`, { headers });
        const body = (await response.json()) as { objects?: unknown[]; more?: boolean; next?: string };
        walked += body.objects?.length ?? 0;
        next = body.more ? body.next : undefined;
      } while (next);
      const walkSeconds = (performance.now() - t0) / 1000;
      if (walked !== size) throw new Error(`full walk returned ${walked} of ${size} objects`);
      process.stdout.write(
        `${size} | ${median(firstPage).toFixed(1)} ms | ${percentile(firstPage, 0.95).toFixed(1)} ms | ${walkSeconds.toFixed(2)} s | ${Math.round(size / walkSeconds)}\n`,
      );
      // Exports through the route at this size (BENCH_EXPORT_ROUTE=off skips them).
      if (process.env.BENCH_EXPORT_ROUTE !== 'off') {
        process.stdout.write(
          '  exports: objects | format | status | lines | MiB | ms to answer | ms end to end | peak live heap above idle (MiB, second run)\n',
        );
        await benchExportRoute(`${tenant.api_root}collections/${collection}/`, auth, size);
      }
    }
    const pollers = Number(process.env.BENCH_POLLERS ?? 40);
    if (pollers > 0) await benchConcurrentPollers(objectsUrl, headers, pollers);
    if (process.env.BENCH_MODERATION !== 'off') {
      const moderator = tenant.members[0]!.users[0]!;
      const basicOf = (u: { username: string; password: string }) =>
        `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`;
      await benchModeration(
        tenant,
        { moderator: basicOf(moderator), poller: auth },
        documentClient,
        platform.env.TABLE_OBJECTS!,
        platform.url,
      );
    }
    if (process.env.BENCH_SEARCH !== 'off') await benchSearch(tenant, auth, documentClient, platform.env.TABLE_OBJECTS!);
    if (process.env.BENCH_PIPELINE !== 'off') await benchPipeline(demo.tenants[1]!, dynamodb);
    if (process.env.BENCH_FILES !== 'off') await benchFiles(tenant);
    process.stdout.write(
      `peak RSS of the platform process (gateway, pollers and every handler): ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB\n`,
    );
    if (dynamodb.pid) process.stdout.write(`peak RSS of DynamoDB Local (Java): ${peakRssMiB(dynamodb.pid)} MiB\n`);
    documentClient.destroy();
  } finally {
    await platform.stop();
    await Promise.all(emulators.map((e) => e.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

const report = captureBenchReport();
main()
  .then(() => process.stderr.write(`written to ${report.write()}\n`))
  .catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
