import { NotFoundError } from '../errors';
import { canSee } from '../policy/visibility';
import type { CollectionContext } from '../taxii/collections';
import type { Tlp } from '../taxii/model';
import { SAMPLE_MEDIA_TYPE, SAMPLE_ZIP_PASSWORD, type FileHashes, type FileKind, type FileState, type StoredFile } from './model';
import { platformFileUrl } from './stix';

/** What the API shows of a file (JSON, snake_case like TAXII). */
export interface FileResource {
  id: string;
  kind: FileKind;
  state: FileState;
  collection_id: string;
  file_name: string;
  /** What a download delivers: the declared type of an attachment, application/zip for a sample. */
  media_type: string;
  size: number;
  sha256: string;
  tlp: Tlp;
  created: string;
  /** The platform URL of the content (never a bucket URL). */
  url: string;
  completed?: string;
  hashes?: FileHashes;
  zip?: { sha256: string; size: number; password: string };
  stix_ids?: string[];
  status_id?: string;
  rejection?: string;
}

export function fileResource(file: StoredFile, baseUrl: string): FileResource {
  return {
    id: file.id,
    kind: file.kind,
    state: file.state,
    collection_id: file.collectionId,
    file_name: file.fileName,
    media_type: file.kind === 'sample' ? SAMPLE_MEDIA_TYPE : file.mediaType,
    size: file.size,
    sha256: file.sha256,
    tlp: file.access.tlp,
    created: file.createdAt,
    url: platformFileUrl(baseUrl, file),
    ...(file.completedAt ? { completed: file.completedAt } : {}),
    ...(file.hashes ? { hashes: file.hashes } : {}),
    ...(file.zip ? { zip: { ...file.zip, password: SAMPLE_ZIP_PASSWORD } } : {}),
    ...(file.stixIds ? { stix_ids: file.stixIds } : {}),
    ...(file.statusId ? { status_id: file.statusId } : {}),
    ...(file.rejection ? { rejection: file.rejection } : {}),
  };
}

/** The stored file, if it is one of `kind` in the collection the request names (ids are looked up per tenant). */
export function fileIn(file: StoredFile | undefined, kind: FileKind, collectionId: string): file is StoredFile {
  return file !== undefined && file.kind === kind && file.collectionId === collectionId;
}

/**
 * Whether a member sees a file: it is available, the member reads the collection, and the file passes the same
 * visibility rules as the file's STIX objects (tenant, TLP clearance, TLP:RED recipients, secret opt-in).
 */
export function isFileSeenBy(context: CollectionContext, file: StoredFile): boolean {
  return file.state === 'available' && context.access.canRead && canSee(context.reader, { tenantId: file.tenantId, access: file.access });
}

/** Missing, hidden, another tenant's or another collection's: one 404 with the same words, so nothing can be probed. */
export const fileNotFound = (kind: FileKind, fileId: string): NotFoundError => new NotFoundError(`No ${kind} ${fileId} in this collection`);
