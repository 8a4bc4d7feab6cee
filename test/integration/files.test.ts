import { createHash, randomBytes } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Uint8ArrayReader, Uint8ArrayWriter, ZipReader } from '@zip.js/zip.js';
import { localClients } from '../../infra/local/platform';
import { DynamoFileStore } from '../../shared/adapters/dynamodb/file-store';
import { createDocumentClient } from '../../shared/runtime/aws-clients';
import { baseConfig } from '../../shared/runtime/config';
import { testEndpoints } from '../support/emulators';
import { basic, demoUser, startSeededPlatform, type SeededPlatform } from '../support/platform';
import { adminClient, type AdminClient } from '../support/admin-client';
import { settled, taxiiClient, type EnvelopeBody } from '../support/taxii-client';

/**
 * Attachments and malware samples end to end on the local platform: presigned uploads to s3rver, verification,
 * the STIX description through the pipeline, downloads by presigned URL, and who is refused.
 * Demo ICS tenant: Kanto Power provides (AMBER+STRICT), Hokuriku Water is cleared for RED, the vendor (a reader)
 * for GREEN only, the secretariat is tenant admin; fin-consumer belongs to another tenant.
 */
let env: SeededPlatform;
let provider: AdminClient;
let consumer: AdminClient;
let reader: AdminClient;
let tenantAdmin: AdminClient;
let foreign: AdminClient;
let collectionId: string;
let collection: string;

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

interface UploadSlot {
  id: string;
  state: string;
  file_name: string;
  url: string;
  upload: {
    method: 'PUT';
    url?: string;
    headers?: Record<string, string>;
    part_size?: number;
    parts?: Array<{ part_number: number; url: string }>;
  };
}
interface FileBody {
  id: string;
  state: string;
  file_name: string;
  media_type: string;
  size: number;
  sha256: string;
  url: string;
  stix_ids: string[];
  status_id: string;
  hashes: { md5: string; sha1: string; sha256: string };
  zip?: { sha256: string; size: number; password: string };
  can_download?: boolean;
  description?: string;
}

async function putTo(url: string, data: Uint8Array, headers: Record<string, string> = {}): Promise<Response> {
  const response = await fetch(url, { method: 'PUT', body: data, headers });
  const answer = await response.text();
  if (!response.ok) throw new Error(`PUT ${url} answered ${response.status}: ${answer}`);
  return response;
}

async function uploadAttachment(client: AdminClient, data: Uint8Array, declared: Record<string, unknown> = {}) {
  const slot = await client.post<UploadSlot>(`${collection}attachments/`, {
    file_name: 'report.pdf',
    media_type: 'application/pdf',
    size: data.length,
    sha256: sha256(data),
    ...declared,
  });
  expect([slot.status, slot.body.state]).toEqual([201, 'pending']);
  await putTo(slot.body.upload.url!, data, slot.body.upload.headers);
  return { slot: slot.body, complete: () => client.post<FileBody>(`${collection}attachments/${slot.body.id}/complete/`, {}) };
}

async function uploadSample(client: AdminClient, data: Uint8Array, declared: Record<string, unknown> = {}): Promise<FileBody> {
  const slot = await client.post<UploadSlot>(`${collection}samples/`, {
    file_name: 'dropper.exe',
    size: data.length,
    sha256: sha256(data),
    malware: true,
    ...declared,
  });
  expect(slot.status).toBe(201);
  await putTo(slot.body.upload.url!, data, slot.body.upload.headers);
  const completed = await client.post<FileBody>(`${collection}samples/${slot.body.id}/complete/`, {});
  expect([completed.status, completed.body.state]).toEqual([200, 'available']);
  return completed.body;
}

/** GET …/content/ without following the redirect: the status, where it points, and the file fetched from there. */
async function download(username: string, fileUrlPath: string) {
  const answer = await fetch(`${env.platform.url}${fileUrlPath}content/`, {
    headers: { Authorization: basic(demoUser(env.demo, username)), Accept: 'application/json' },
    redirect: 'manual',
  });
  const body = (await answer.json()) as { url: string; description?: string };
  if (answer.status !== 303) return { status: answer.status, body };
  expect(answer.headers.get('location')).toBe(body.url);
  // Fetched as a member's tool would after the redirect: no platform credentials go to the bucket.
  const fetched = await fetch(body.url);
  return {
    status: answer.status,
    body,
    fileStatus: fetched.status,
    contentType: fetched.headers.get('content-type'),
    disposition: fetched.headers.get('content-disposition'),
    bytes: new Uint8Array(await fetched.arrayBuffer()),
  };
}

async function committedObjects(statusId: string): Promise<Array<Record<string, unknown>>> {
  const taxii = taxiiClient(env, 'ics-provider');
  await settled(taxii, 'ics-isac', statusId);
  const page = await taxiiClient(env, 'ics-consumer').get<EnvelopeBody>(`${collection}objects/?limit=1000`);
  return page.body.objects as Array<Record<string, unknown>>;
}

async function auditActions(action: string): Promise<Array<{ memberId?: string; target?: { id: string } }>> {
  const { entries } = await env.audit.query('ics-isac', { limit: 1000 });
  return entries.filter((e) => e.action === action);
}

async function bucketKeys(bucket: 'attachments' | 'samples', prefix = ''): Promise<string[]> {
  const s3 = localClients(testEndpoints()).s3;
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: env.platform.resources.buckets[bucket], Prefix: prefix }));
  s3.destroy();
  return (listed.Contents ?? []).map((o) => o.Key!);
}

async function unzip(zip: Uint8Array, password: string): Promise<Array<{ name: string; encrypted: boolean; data: Uint8Array }>> {
  const reader = new ZipReader(new Uint8ArrayReader(zip), { password, checkSignature: true });
  const entries = await reader.getEntries();
  const out = [];
  for (const entry of entries) {
    if (entry.directory) continue;
    out.push({ name: entry.filename, encrypted: entry.encrypted, data: await entry.getData!(new Uint8ArrayWriter()) });
  }
  await reader.close();
  return out;
}

beforeAll(async () => {
  env = await startSeededPlatform('files');
  provider = adminClient(env, 'ics-provider');
  consumer = adminClient(env, 'ics-consumer');
  reader = adminClient(env, 'ics-reader');
  tenantAdmin = adminClient(env, 'ics-admin');
  foreign = adminClient(env, 'fin-consumer');
  collectionId = env.demo.tenants[0]!.collections[0]!.id;
  collection = `/ics-isac/collections/${collectionId}/`;
});
afterAll(async () => {
  documentClient?.destroy();
  await env?.platform.stop();
});

/** The files table as the platform keeps it, read directly to check what the API cannot show (usage). */
let documentClient: ReturnType<typeof createDocumentClient> | undefined;
function fileStore(): DynamoFileStore {
  documentClient ??= createDocumentClient(baseConfig());
  return new DynamoFileStore(documentClient, env.platform.env.TABLE_FILES!);
}

describe('attachments', () => {
  const report = new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.7 incident report\n'), randomBytes(40_000)]));
  let shared: FileBody;

  it('uploads, verifies and links a file to STIX: an artifact with its hash and the platform URL', async () => {
    const { slot, complete } = await uploadAttachment(provider, report, {
      file_name: 'C:\\cases\\Kanto Power incident\u202Egpj.pdf',
      tlp: 'amber',
    });
    // Directories and direction overrides are gone; the provider's name is redacted by the anonymize rules.
    expect(slot.file_name).toBe('[REDACTED] incident_gpj.pdf');
    const completed = await complete();
    expect(completed.status).toBe(200);
    shared = completed.body;
    expect(shared).toMatchObject({ state: 'available', size: report.length, sha256: sha256(report), media_type: 'application/pdf' });
    expect(shared.url).toBe(`${env.platform.url}${collection}attachments/${shared.id}/content/`);

    const objects = await committedObjects(shared.status_id);
    const artifact = objects.find((o) => o.id === shared.stix_ids[0]);
    expect(artifact).toMatchObject({
      type: 'artifact',
      mime_type: 'application/pdf',
      hashes: { 'SHA-256': sha256(report) },
      url: shared.url,
    });
    expect(JSON.stringify(artifact)).not.toContain(env.platform.resources.buckets.attachments);
    expect(JSON.stringify(artifact)).not.toContain('Kanto');
    // Verified, it left the upload area (whatever stays there expires on AWS).
    expect(await bucketKeys('attachments', 'incoming/')).toEqual([]);
  });

  it('delivers the file to an allowed member by a presigned URL that saves it, and audits the download', async () => {
    const before = (await auditActions('attachment.download')).length;
    const got = await download('ics-consumer', `${collection}attachments/${shared.id}/`);
    expect([got.status, got.fileStatus]).toEqual([303, 200]);
    expect(sha256(got.bytes!)).toBe(sha256(report));
    expect(got.disposition).toMatch(/^attachment; filename="\[REDACTED\] incident_gpj\.pdf"/);
    expect(got.contentType).toBe('application/pdf');
    const downloads = await auditActions('attachment.download');
    expect(downloads.length).toBe(before + 1);
    expect(downloads.at(-1)).toMatchObject({ memberId: 'hokuriku-water', target: { id: shared.id } });
  });

  it("refuses a member below the file's TLP and another tenant, as if the file did not exist", async () => {
    for (const [client, username] of [
      [reader, 'ics-reader'],
      [foreign, 'fin-consumer'],
    ] as const) {
      expect((await client.get(`${collection}attachments/${shared.id}/`)).status).toBe(404);
      expect((await download(username, `${collection}attachments/${shared.id}/`)).status).toBe(404);
    }
    const foreignDownloads = (await auditActions('attachment.download')).filter((e) => e.memberId !== 'hokuriku-water');
    expect(foreignDownloads).toEqual([]);
  });

  it('rejects a tampered upload (hash mismatch) and removes it', async () => {
    const declared = new Uint8Array(randomBytes(2048));
    const tampered = new Uint8Array(randomBytes(2048));
    const slot = await provider.post<UploadSlot>(`${collection}attachments/`, {
      file_name: 'ioc.xlsx',
      media_type: 'application/vnd.ms-excel',
      size: 2048,
      sha256: sha256(declared),
    });
    await putTo(slot.body.upload.url!, tampered, slot.body.upload.headers);
    const key = new URL(slot.body.upload.url!).pathname.split('/').slice(2).join('/');
    expect(await bucketKeys('attachments', key)).toEqual([key]);

    const completed = await provider.post<FileBody>(`${collection}attachments/${slot.body.id}/complete/`, {});
    expect(completed.status).toBe(400);
    expect(completed.body.description).toContain(`SHA-256 is ${sha256(tampered)}, but ${sha256(declared)} was declared`);
    expect(await bucketKeys('attachments', key)).toEqual([]);
    // Refused for good: completing again does not resurrect it, and nobody can fetch it.
    expect((await provider.post(`${collection}attachments/${slot.body.id}/complete/`, {})).status).toBe(409);
    expect((await consumer.get(`${collection}attachments/${slot.body.id}/`)).status).toBe(404);
    expect((await auditActions('attachment.reject')).map((e) => e.target?.id)).toContain(slot.body.id);
  });

  it('uploads a large file in parts and verifies the assembled whole', async () => {
    const big = new Uint8Array(randomBytes(17 * 1024 * 1024 + 123));
    const slot = await provider.post<UploadSlot>(`${collection}attachments/`, {
      file_name: 'capture.pcap',
      media_type: 'application/vnd.tcpdump.pcap',
      size: big.length,
      sha256: sha256(big),
      multipart: true,
      tlp: 'green',
    });
    expect(slot.status).toBe(201);
    const { part_size: partSize, parts } = slot.body.upload;
    expect(parts!.map((p) => p.part_number)).toEqual([1, 2]);
    const etags = [];
    for (const part of parts!) {
      const answered = await putTo(part.url, big.subarray((part.part_number - 1) * partSize!, part.part_number * partSize!));
      etags.push({ part_number: part.part_number, etag: answered.headers.get('etag')! });
    }
    expect((await provider.post(`${collection}attachments/${slot.body.id}/complete/`, {})).status).toBe(400);
    const completed = await provider.post<FileBody>(`${collection}attachments/${slot.body.id}/complete/`, { parts: etags });
    expect([completed.status, completed.body.state, completed.body.sha256]).toEqual([200, 'available', sha256(big)]);
    const got = await download('ics-reader', `${collection}attachments/${slot.body.id}/`);
    expect([got.status, got.bytes && sha256(got.bytes)]).toEqual([303, sha256(big)]);
  });

  it('is deleted by its provider for good: bytes gone, quota given back, audited', async () => {
    const data = new Uint8Array(randomBytes(3000));
    const { slot, complete } = await uploadAttachment(provider, data, { file_name: 'obsolete.pdf', tlp: 'green' });
    expect((await complete()).status).toBe(200);
    const usage = () => fileStore().usage('ics-isac');
    const before = await usage();
    const path = `${collection}attachments/${slot.id}/`;

    expect((await reader.delete<{ description: string }>(path)).body.description).toContain('Only the provider');
    expect((await foreign.delete(path)).status).toBe(404);
    const deleted = await provider.delete<FileBody>(path);
    expect([deleted.status, deleted.body.state]).toEqual([200, 'deleted']);
    expect(await usage()).toBe(before - data.length);
    expect((await reader.get(path)).status).toBe(404);
    expect((await download('ics-reader', path)).status).toBe(404);
    expect((await provider.delete(path)).status).toBe(404);
    expect((await auditActions('attachment.delete')).map((e) => [e.memberId, e.target?.id])).toEqual([['kanto-power', slot.id]]);
  });

  it('answers bad requests with what to fix', async () => {
    const slot = (body: Record<string, unknown>) =>
      provider.post<{ description: string }>(`${collection}attachments/`, {
        file_name: 'a.pdf',
        media_type: 'application/pdf',
        size: 10,
        sha256: 'a'.repeat(64),
        ...body,
      });
    expect(await slot({ sha256: 'not-a-hash' })).toMatchObject({
      status: 400,
      body: { description: expect.stringContaining('SHA-256 as 64 hex digits') },
    });
    expect(await slot({ file_name: '../../..' })).toMatchObject({
      status: 400,
      body: { description: expect.stringContaining('does not name a file') },
    });
    expect(await slot({ size: 600 * 1024 * 1024 })).toMatchObject({
      status: 413,
      body: { description: expect.stringContaining('512 MiB') },
    });
    expect(await slot({ media_type: 'pdf' })).toMatchObject({ status: 400, body: { description: expect.stringContaining('media type') } });
    // Completing before uploading keeps the slot open.
    const open = await slot({});
    expect(
      (await provider.post<{ description: string }>(`${collection}attachments/${(open.body as unknown as UploadSlot).id}/complete/`, {}))
        .body.description,
    ).toContain('Nothing has been uploaded');
    // A reader may not share files; another tenant does not see the collection.
    expect(
      (
        await reader.post(`${collection}attachments/`, {
          file_name: 'a.pdf',
          media_type: 'application/pdf',
          size: 10,
          sha256: 'a'.repeat(64),
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await foreign.post(`${collection}attachments/`, {
          file_name: 'a.pdf',
          media_type: 'application/pdf',
          size: 10,
          sha256: 'a'.repeat(64),
        })
      ).status,
    ).toBe(404);
  });
});

describe('malware samples', () => {
  const malware = new Uint8Array(
    Buffer.concat([Buffer.from('MZ\x90\x00 this program cannot be run in DOS mode KYOYU-TEST-SAMPLE'), randomBytes(10_000)]),
  );
  let sample: FileBody;

  it('are accepted only with an explicit malware declaration', async () => {
    const refused = await provider.post<{ description: string }>(`${collection}samples/`, {
      file_name: 'x.exe',
      size: 10,
      sha256: 'b'.repeat(64),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.description).toContain('"malware": true');
  });

  it('are zipped under the community password on intake, the raw upload deleted, and shared by their hashes', async () => {
    sample = await uploadSample(provider, malware, { tlp: 'amber' });
    expect(sample.hashes).toEqual({
      md5: createHash('md5').update(malware).digest('hex'),
      sha1: createHash('sha1').update(malware).digest('hex'),
      sha256: sha256(malware),
    });
    expect(sample.media_type).toBe('application/zip');
    // Only the encrypted zip is kept, in the samples bucket.
    expect(await bucketKeys('samples', 'incoming/')).toEqual([]);
    expect((await bucketKeys('samples')).map((key) => key.split('/')[0])).toEqual(['zipped']);
    expect((await bucketKeys('attachments')).filter((key) => key.startsWith('zipped/'))).toEqual([]);

    const objects = await committedObjects(sample.status_id);
    const file = objects.find((o) => o.type === 'file' && sample.stix_ids.includes(o.id as string));
    const artifact = objects.find((o) => o.type === 'artifact' && sample.stix_ids.includes(o.id as string));
    expect(file).toMatchObject({
      hashes: { MD5: sample.hashes.md5, 'SHA-1': sample.hashes.sha1, 'SHA-256': sample.hashes.sha256 },
      size: malware.length,
      content_ref: artifact?.id,
    });
    expect(artifact).toMatchObject({
      mime_type: 'application/zip',
      url: sample.url,
      encryption_algorithm: 'mime-type-indicated',
      decryption_key: 'infected',
    });
  });

  it('are not delivered to a member without a sample grant', async () => {
    expect((await consumer.get<FileBody>(`${collection}samples/${sample.id}/`)).body.can_download).toBe(false);
    const refused = await download('ics-consumer', `${collection}samples/${sample.id}/`);
    expect(refused.status).toBe(403);
    expect((refused.body as { description: string }).description).toContain('sample-recipient grant');
    expect((await download('fin-consumer', `${collection}samples/${sample.id}/`)).status).toBe(404);
    expect((await auditActions('sample.download')).length).toBe(0);
  });

  it('reach a member granted the sample only as an AES zip that opens with "infected"', async () => {
    expect((await consumer.put(`${collection}samples/${sample.id}/recipients/hokuriku-water/`)).status).toBe(403);
    const granted = await tenantAdmin.put<{ recipients: string[] }>(`${collection}samples/${sample.id}/recipients/hokuriku-water/`);
    expect([granted.status, granted.body.recipients]).toEqual([200, ['hokuriku-water']]);

    const got = await download('ics-consumer', `${collection}samples/${sample.id}/`);
    expect([got.status, got.fileStatus, got.contentType]).toEqual([303, 200, 'application/zip']);
    expect(got.disposition).toBe(`attachment; filename="${sample.sha256}.zip"; filename*=UTF-8''${sample.sha256}.zip`);
    expect(Buffer.from(got.bytes!).includes(Buffer.from('KYOYU-TEST-SAMPLE'))).toBe(false);
    expect(sha256(got.bytes!)).toBe(sample.zip!.sha256);

    const entries = await unzip(got.bytes!, 'infected');
    expect(entries.map((e) => [e.name, e.encrypted, sha256(e.data)])).toEqual([['dropper.exe', true, sha256(malware)]]);
    await expect(unzip(got.bytes!, 'not-the-password')).rejects.toThrow();

    expect((await auditActions('sample.download')).map((e) => [e.memberId, e.target?.id])).toEqual([['hokuriku-water', sample.id]]);
    expect((await auditActions('sample-grant.create')).map((e) => e.target?.id)).toEqual([`${sample.id}/member:hokuriku-water`]);

    expect((await tenantAdmin.delete(`${collection}samples/${sample.id}/recipients/hokuriku-water/`)).status).toBe(200);
    expect((await download('ics-consumer', `${collection}samples/${sample.id}/`)).status).toBe(403);
  });

  it('reach a sample recipient of the collection, within its TLP clearance', async () => {
    const green = await uploadSample(provider, new Uint8Array(randomBytes(5000)), { tlp: 'green', file_name: 'loader.dll' });
    expect((await download('ics-reader', `${collection}samples/${green.id}/`)).status).toBe(403);
    const grant = await tenantAdmin.put('/admin/tenants/ics-isac/grants', {
      collectionId,
      grantee: { kind: 'member', memberId: 'control-vendor' },
      read: true,
      write: false,
      clearance: 'green',
      samples: true,
    });
    expect(grant.status).toBe(200);
    const got = await download('ics-reader', `${collection}samples/${green.id}/`);
    expect([got.status, got.fileStatus]).toEqual([303, 200]);
    expect((await unzip(got.bytes!, 'infected')).map((e) => e.name)).toEqual(['loader.dll']);
    // The grant does not lift the TLP: the AMBER sample stays invisible to a GREEN-cleared member.
    expect((await download('ics-reader', `${collection}samples/${sample.id}/`)).status).toBe(404);
    expect((await auditActions('sample.download')).filter((e) => e.memberId === 'control-vendor').map((e) => e.target?.id)).toEqual([
      green.id,
    ]);
  });

  it('rejects a tampered sample and removes it', async () => {
    const declared = new Uint8Array(randomBytes(1000));
    const slot = await provider.post<UploadSlot>(`${collection}samples/`, {
      file_name: 'x.bin',
      size: 1000,
      sha256: sha256(declared),
      malware: true,
    });
    await putTo(slot.body.upload.url!, new Uint8Array(randomBytes(1000)), slot.body.upload.headers);
    const completed = await provider.post<{ description: string }>(`${collection}samples/${slot.body.id}/complete/`, {});
    expect(completed.status).toBe(400);
    expect(completed.body.description).toContain('The upload was removed');
    expect(await bucketKeys('samples', 'incoming/')).toEqual([]);
  });
});

describe('an interrupted completion', () => {
  it.each(['attachments', 'samples'] as const)('of %s resumes where it was charged, without charging again', async (kind) => {
    const store = fileStore();
    const data = new Uint8Array(randomBytes(5000));
    const slot = await provider.post<UploadSlot>(`${collection}${kind}/`, {
      file_name: 'resumed.bin',
      size: data.length,
      sha256: sha256(data),
      ...(kind === 'samples' ? { malware: true } : { media_type: 'application/octet-stream' }),
    });
    await putTo(slot.body.upload.url!, data, slot.body.upload.headers);
    // The first completion got as far as charging the quota, then its function died.
    const pending = (await store.get('ics-isac', slot.body.id))!;
    const hashes = {
      md5: createHash('md5').update(data).digest('hex'),
      sha1: createHash('sha1').update(data).digest('hex'),
      sha256: sha256(data),
    };
    expect(await store.markVerified({ ...pending, state: 'verified', hashes, expiresAt: undefined }, 10 ** 12)).toBe('verified');
    const charged = await store.usage('ics-isac');

    const completed = await provider.post<FileBody>(`${collection}${kind}/${slot.body.id}/complete/`, {});
    expect([completed.status, completed.body.state, completed.body.hashes]).toEqual([200, 'available', hashes]);
    expect(await store.usage('ics-isac')).toBe(charged);
    expect(await bucketKeys(kind, 'incoming/')).toEqual([]);
    expect((await committedObjects(completed.body.status_id)).map((o) => o.id)).toEqual(expect.arrayContaining(completed.body.stix_ids));
  });
});

describe('the tenant storage quota', () => {
  const operator = () => adminClient(env, 'operator');
  afterAll(async () => {
    expect((await operator().patch('/admin/tenants/ics-isac', { storageQuotaBytes: null })).status).toBe(200);
  });

  it('is set by operators only', async () => {
    const refused = await tenantAdmin.patch<{ description: string }>('/admin/tenants/ics-isac', { storageQuotaBytes: 10 ** 12 });
    expect([refused.status, refused.body.description]).toEqual([403, expect.stringContaining('storage quota')]);
  });

  it('refuses a slot that would pass it, and an upload completed after it shrank (removing the upload)', async () => {
    const data = new Uint8Array(randomBytes(4096));
    const { slot, complete } = await uploadAttachment(provider, data, { file_name: 'late.pdf' });
    expect((await operator().patch('/admin/tenants/ics-isac', { storageQuotaBytes: 1000 })).status).toBe(200);

    const tooLate = await complete();
    expect([tooLate.status, tooLate.body.description]).toEqual([413, expect.stringContaining('storage quota would be exceeded')]);
    expect(await bucketKeys('attachments', new URL(slot.upload.url!).pathname.split('/').slice(2).join('/'))).toEqual([]);

    const refused = await provider.post<{ description: string }>(`${collection}attachments/`, {
      file_name: 'a.pdf',
      media_type: 'application/pdf',
      size: 2000,
      sha256: sha256(data),
    });
    expect([refused.status, refused.body.description]).toEqual([
      413,
      expect.stringContaining('storage quota of 1000 bytes would be exceeded'),
    ]);
  });
});
