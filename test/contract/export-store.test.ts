import { S3ExportStore } from '../../shared/adapters/s3/export-store';
import { deliverExport, EXPORT_PART_MIN_BYTES } from '../../shared/core/export/delivery';
import { createS3Client } from '../../shared/runtime/aws-clients';
import { localClients } from '../../infra/local/platform';
import { createLocalResources } from '../../infra/local/resources';
import { testEndpoints, uniquePrefix } from '../support/emulators';

/**
 * The exports bucket adapter on s3rver, through the delivery that uses it: a multipart upload of several parts
 * reads back byte for byte through its presigned URL, with the media type and download name; an aborted one leaves
 * nothing to fetch.
 */
let store: S3ExportStore;
let close: () => void;
beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID ??= 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'S3RVER';
  const clients = localClients(testEndpoints());
  const resources = await createLocalResources(uniquePrefix('exports'), clients);
  clients.dynamodb.destroy();
  clients.sqs.destroy();
  clients.s3.destroy();
  const s3 = createS3Client({ AWS_REGION: 'us-east-1', S3_ENDPOINT: testEndpoints().s3, LOG_LEVEL: 'silent' });
  store = new S3ExportStore(s3, () => resources.buckets.exports!);
  close = () => s3.destroy();
});
afterAll(() => close?.());

async function* lines(count: number, width: number): AsyncGenerator<string> {
  for (let i = 0; i < count; i++) yield `${String(i).padStart(width - 1, '0')}\n`;
}

describe('S3ExportStore on s3rver', () => {
  it('stores an export of several parts and serves exactly its bytes, type and name through the presigned URL', async () => {
    // Prepare: 11 MiB in 1 KiB lines: two full parts and a last, smaller one.
    const count = 11 * 1024;
    // Act
    const delivery = await deliverExport(lines(count, 1024), {
      inlineMaxBytes: 4096,
      store,
      key: `exports/ics-isac/kanto-power/${Date.now()}.rules`,
      contentType: 'text/plain; charset=utf-8',
      fileName: 'kyoyu-all-suricata.rules',
      urlExpiresSeconds: 300,
      nowMs: Date.now,
    });
    // Assess
    if (delivery.kind !== 'stored') throw new Error(`expected a stored export, got ${delivery.kind}`);
    const fetched = await fetch(delivery.url);
    const body = await fetched.text();
    expect(delivery.bytes).toBeGreaterThan(2 * EXPORT_PART_MIN_BYTES);
    expect([fetched.status, fetched.headers.get('content-type'), fetched.headers.get('content-disposition')]).toEqual([
      200,
      'text/plain; charset=utf-8',
      'attachment; filename="kyoyu-all-suricata.rules"',
    ]);
    expect(body.length).toBe(delivery.bytes);
    expect(body).toBe(Array.from({ length: count }, (_, i) => `${String(i).padStart(1023, '0')}\n`).join(''));
  });

  it('leaves nothing to fetch when an upload is aborted (s3rver has no abort: the upload is simply never completed)', async () => {
    const key = `exports/ics-isac/kanto-power/aborted-${Date.now()}.txt`;
    const upload = await store.begin(key, { contentType: 'text/plain; charset=utf-8', fileName: 'x.txt' });
    await upload.part(new Uint8Array(EXPORT_PART_MIN_BYTES).fill(0x61));
    await upload.abort();
    expect((await fetch(await store.presignGet(key, 60))).status).toBe(404);
  });
});
