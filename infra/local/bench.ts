import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDirectoryStore } from '../../shared/adapters/dynamodb/directory-store';
import { DynamoAuditStore } from '../../shared/adapters/dynamodb/audit-store';
import { DynamoObjectStore } from '../../shared/adapters/dynamodb/object-store';
import type { NewVersion } from '../../shared/core/taxii/model';
import { createDocumentClient } from '../../shared/runtime/aws-clients';
import { baseConfig } from '../../shared/runtime/config';
import { startDynamoDbLocal, startFauxqs, startS3rver, type Emulator } from './emulators';
import type { LambdaHandler } from './lambda-context';
import { startPlatform } from './platform';
import { seedDemo } from './seed';

/**
 * `npm run bench`: the TAXII read path on the local platform, over HTTP, at 1,000, 10,000 and 100,000 objects
 * in a collection. Prints first-page latency (limit=100) and full-walk throughput (limit=1000, following next).
 * Sizes can be narrowed with BENCH_SIZES=1000,10000.
 */

const BUILD_DIR = join(__dirname, '..', '..');
const loadBuiltHandler = (entry: string): LambdaHandler =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require(join(BUILD_DIR, entry.replace(/\.ts$/, '.js'))) as { handler: LambdaHandler }).handler;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

function indicator(i: number, collection: string): NewVersion {
  const id = `indicator--${String(i).padStart(8, '0')}-0000-4000-8000-${collection.slice(0, 12).padEnd(12, '0')}`;
  const created = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
  return {
    tenantId: 'ics-isac',
    collectionId: collection,
    objectId: id,
    type: 'indicator',
    version: created,
    specVersion: '2.1',
    mediaType: 'application/stix+json;version=2.1',
    access: { tlp: 'green', recipients: [], secret: false, providerMemberId: 'kanto-power' },
    object: {
      type: 'indicator',
      spec_version: '2.1',
      id,
      created,
      modified: created,
      name: `Bench C2 ${i}`,
      pattern: `[ipv4-addr:value = '198.51.${Math.floor(i / 256) % 256}.${i % 256}']`,
      pattern_type: 'stix',
      valid_from: created,
      object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
    },
  };
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
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
  });
  try {
    const documentClient = createDocumentClient(baseConfig());
    const demo = await seedDemo(
      { directory: new DynamoDirectoryStore(documentClient, platform.env.TABLE_DIRECTORY!), audit: new DynamoAuditStore(documentClient, platform.env.TABLE_AUDIT!) },
      platform.url,
      undefined,
    );
    const tenant = demo.tenants[0]!;
    const collection = tenant.collections[0]!.id;
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
    }
    process.stdout.write(`peak RSS of the platform process: ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MiB\n`);
    documentClient.destroy();
  } finally {
    await platform.stop();
    await Promise.all(emulators.map((e) => e.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
