import { DynamoFileStore } from '../../shared/adapters/dynamodb/file-store';
import type { StoredFile } from '../../shared/core/files/model';
import { freshTables } from '../support/tables';

let files: DynamoFileStore;
let close: () => void;
beforeAll(async () => {
  const t = await freshTables('files');
  files = new DynamoFileStore(t.documentClient, t.tables.files!);
  close = t.close;
});
afterAll(() => close());

let counter = 0;
function pendingFile(tenantId: string, size: number): StoredFile {
  const id = `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;
  return {
    tenantId,
    collectionId: '6f1c2b9e-7c1a-4d4e-9a53-0b8c3f7c2a10',
    id,
    kind: 'attachment',
    state: 'pending',
    fileName: 'report.pdf',
    mediaType: 'application/pdf',
    size,
    sha256: 'a'.repeat(64),
    access: { tlp: 'amber', recipients: [], secret: false, providerMemberId: 'kanto-power' },
    objectKey: `files/${id}`,
    uploadKey: `incoming/${id}`,
    createdAt: '2026-11-30T00:00:00.000Z',
    expiresAt: 4_000_000_000,
    sampleRecipients: [],
  };
}

describe('DynamoFileStore on DynamoDB Local', () => {
  it('charges the quota and marks the file verified in one step, once', async () => {
    const file = pendingFile('ics-isac', 600);
    await files.put(file);
    const verified = { ...file, state: 'verified' as const };
    expect(await files.markVerified(verified, 1000)).toBe('verified');
    expect(await files.usage('ics-isac')).toBe(600);
    expect((await files.get('ics-isac', file.id))?.state).toBe('verified');
    // A second completion of the same file changes nothing, and is not mistaken for one over the quota.
    expect(await files.markVerified(verified, 1000)).toBe('not-pending');
    expect(await files.markVerified(verified, 10 ** 9)).toBe('not-pending');
    expect(await files.usage('ics-isac')).toBe(600);
  });

  it('refuses what would pass the quota, leaving usage and file as they were', async () => {
    const file = pendingFile('ics-isac', 500);
    await files.put(file);
    expect(await files.markVerified({ ...file, state: 'verified' }, 1000)).toBe('over-quota');
    expect(await files.markVerified({ ...file, state: 'verified' }, 400)).toBe('over-quota');
    expect(await files.usage('ics-isac')).toBe(600);
    expect((await files.get('ics-isac', file.id))?.state).toBe('pending');
    expect(await files.markVerified({ ...file, state: 'verified' }, 1100)).toBe('verified');
    expect(await files.usage('ics-isac')).toBe(1100);
  });

  it('charges concurrent completions exactly up to the quota', async () => {
    const pending = Array.from({ length: 8 }, () => pendingFile('fin-isac', 100));
    await Promise.all(pending.map((f) => files.put(f)));
    const outcomes = await Promise.all(pending.map((f) => files.markVerified({ ...f, state: 'verified' }, 500)));
    expect(outcomes.filter((o) => o === 'verified')).toHaveLength(5);
    expect(await files.usage('fin-isac')).toBe(500);
  });

  it('gives bytes back on release, per tenant', async () => {
    await files.releaseUsage('fin-isac', 200);
    expect(await files.usage('fin-isac')).toBe(300);
    expect(await files.usage('ics-isac')).toBe(1100);
  });
});
