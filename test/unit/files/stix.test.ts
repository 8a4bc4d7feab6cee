import { stixObjectsOf } from '../../../shared/core/files/stix';
import type { StoredFile } from '../../../shared/core/files/model';
import { normalizeObject } from '../../../shared/core/normalize/normalize';

const stored = (kind: StoredFile['kind']): StoredFile =>
  ({
    tenantId: 'ics-isac',
    collectionId: '3b0a1f4e-9c2d-4e8f-a1b2-c3d4e5f60718',
    id: 'f1',
    kind,
    state: 'verified',
    fileName: 'report.pdf',
    mediaType: 'application/pdf',
    size: 1234,
    sha256: 'a'.repeat(64),
    access: { tlp: 'amber', recipients: ['member-1'], secret: false },
    objectKey: 'k',
    uploadKey: 'u',
    createdAt: '2026-05-01T00:00:00.000Z',
    hashes: { md5: 'b'.repeat(32), sha1: 'c'.repeat(40), sha256: 'd'.repeat(64) },
    zip: { sha256: 'e'.repeat(64), size: 2048 },
  }) as StoredFile;

describe('the STIX objects that describe a file are valid STIX 2.1', () => {
  it.each(['attachment', 'sample'] as const)('%s: every object passes normalize', (kind) => {
    const objects = stixObjectsOf(stored(kind), 'https://taxii.example/ics-isac/collections/c/files/f1/content/');

    expect(objects.map((object) => [object.type, normalizeObject(object)])).toEqual(
      objects.map((object) => [object.type, expect.objectContaining({ ok: true })]),
    );
  });
});
