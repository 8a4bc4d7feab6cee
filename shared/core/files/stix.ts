import { scoId } from '../normalize/canonical';
import { SCOPE_PROPERTIES } from '../taxii/add-objects';
import { TLP2_MARKING_DEFINITION_IDS } from '../policy/tlp';
import type { StixObject } from '../taxii/model';
import { SAMPLE_MEDIA_TYPE, SAMPLE_ZIP_PASSWORD, type StoredFile } from './model';

/** Where members fetch a file: always the platform's API (grants, TLP and audit apply), never a bucket URL. */
export function platformFileUrl(baseUrl: string, file: Pick<StoredFile, 'tenantId' | 'collectionId' | 'id' | 'kind'>): string {
  return `${baseUrl}/${file.tenantId}/collections/${file.collectionId}/${file.kind}s/${file.id}/content/`;
}

/** The provider's scope travels with the objects, as on any TAXII POST (add-objects.ts reads and removes it). */
function scopeProperties(file: StoredFile): Record<string, unknown> {
  return {
    object_marking_refs: [TLP2_MARKING_DEFINITION_IDS[file.access.tlp]],
    ...(file.access.recipients.length > 0 ? { [SCOPE_PROPERTIES.recipients]: file.access.recipients } : {}),
    ...(file.access.secret ? { [SCOPE_PROPERTIES.secret]: true } : {}),
  };
}

function withId(type: string, properties: Record<string, unknown>): StixObject {
  return { type, spec_version: '2.1', id: scoId(type, properties)!, ...properties } as StixObject;
}

/**
 * An attachment is an `artifact` (STIX 2.1 §6.1) with its hash and the platform URL; a report or note links it
 * through object_refs. `x_kyoyu_file_name` carries the (anonymised) name, which artifacts have no property for.
 */
export function attachmentObjects(file: StoredFile, url: string): StixObject[] {
  return [
    withId('artifact', {
      mime_type: file.mediaType,
      hashes: { 'SHA-256': file.sha256 },
      url,
      x_kyoyu_file_name: file.fileName,
      ...scopeProperties(file),
    }),
  ];
}

/**
 * A sample is shared as what it is about, not what it is: a `file` (§6.7) with its hashes, size and name, whose
 * content is an `artifact` that is the encrypted zip, decrypted with the community password (§6.1
 * encryption_algorithm "mime-type-indicated": the zip says how).
 */
export function sampleObjects(file: StoredFile, url: string): StixObject[] {
  if (!file.hashes || !file.zip) throw new Error('A sample is described only once it is verified and zipped');
  const artifact = withId('artifact', {
    mime_type: SAMPLE_MEDIA_TYPE,
    hashes: { 'SHA-256': file.zip.sha256 },
    url,
    encryption_algorithm: 'mime-type-indicated',
    decryption_key: SAMPLE_ZIP_PASSWORD,
    ...scopeProperties(file),
  });
  const sampleFile = withId('file', {
    hashes: { MD5: file.hashes.md5, 'SHA-1': file.hashes.sha1, 'SHA-256': file.hashes.sha256 },
    size: file.size,
    name: file.fileName,
    content_ref: artifact.id,
    ...scopeProperties(file),
  });
  return [artifact, sampleFile];
}

/** The STIX objects that describe a verified file. */
export const stixObjectsOf = (file: StoredFile, url: string): StixObject[] =>
  file.kind === 'attachment' ? attachmentObjects(file, url) : sampleObjects(file, url);
