import { createHash } from 'node:crypto';
import type { Principal } from '../directory/model';
import { BadRequestError, ConflictError, ForbiddenError, type KyoyuError, PayloadTooLargeError } from '../errors';
import { isModeratingRole } from '../policy/roles';
import { parseInput } from '../input';
import { assertCanWrite } from '../policy/collection-access';
import { compareTlp } from '../policy/tlp';
import type { VictimMatcher } from '../pipeline/victim-identifiers';
import type { AuditMac, AuditStore } from '../ports';
import { encryptedZip } from '../samples/encrypted-zip';
import { shareObjects, type AddObjectsDeps } from '../taxii/add-objects';
import { collectionContext } from '../taxii/collections';
import { recordFileEvent } from './audit';
import { sanitizeFileName } from './file-name';
import { storedKey, uploadKey } from './keys';
import { stixObjectsOf } from './stix';
import { fileIn, fileNotFound, fileResource, isFileSeenBy, type FileResource } from './resource';
import {
  AttachmentSlotRequestSchema,
  CompleteUploadRequestSchema,
  MAX_PARTS,
  MIN_PART_BYTES,
  SAMPLE_MEDIA_TYPE,
  SAMPLE_ZIP_PASSWORD,
  SampleSlotRequestSchema,
  UPLOAD_SLOT_SECONDS,
  UPLOAD_URL_SECONDS,
  type FileHashes,
  type FileKind,
  type FileLimits,
  type StoredFile,
} from './model';
import type { FileStorage, FileStore } from '../ports';

export interface FileDeps extends AddObjectsDeps {
  files: FileStore;
  storage: FileStorage;
  audit: AuditStore;
  /** File acts are appended before the caller is answered (a download without its entry gets no URL), so they sign. */
  mac: AuditMac;
  limits: FileLimits;
  victimsOf(tenantId: string): Promise<VictimMatcher>;
  /** A random object key segment: keys never derive from names or ids members see. */
  randomKey(): string;
}

export interface FileRequest {
  principal: Principal;
  tenantId: string;
  collectionId: string;
  /** Scheme, host and stage the member called, for the platform URLs in the answer and in STIX. */
  baseUrl: string;
}

export type UploadInstructions =
  | { method: 'PUT'; url: string; headers: Record<string, string>; expires: string }
  | { method: 'PUT'; part_size: number; parts: Array<{ part_number: number; url: string }>; expires: string };

const MULTIPART_PART_BYTES = 16 * 1024 * 1024;

function partSizeFor(size: number): number {
  return Math.max(MULTIPART_PART_BYTES, MIN_PART_BYTES, Math.ceil(size / MAX_PARTS));
}

function fileNameUnderAnonymizeRules(raw: string, victims: VictimMatcher): string {
  return sanitizeFileName(victims.redact(sanitizeFileName(raw)));
}

async function quotaOf(tenantId: string, deps: FileDeps): Promise<number> {
  const tenant = await deps.directory.getTenant(tenantId);
  return tenant?.storageQuotaBytes ?? deps.limits.defaultTenantQuotaBytes;
}

const describeBytes = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB` : `${bytes} bytes`;

/**
 * POST …/attachments/ and …/samples/: checks the declaration against the collection and the limits, records a
 * pending slot (it expires by itself) and answers with presigned upload URLs. Nothing is shared before the upload
 * is verified.
 */
export async function createUploadSlot(
  kind: FileKind,
  request: FileRequest & { body: unknown },
  deps: FileDeps,
): Promise<FileResource & { upload: UploadInstructions }> {
  const { principal, tenantId, collectionId } = request;
  const { collection, access } = await collectionContext(principal, tenantId, collectionId, deps);
  assertCanWrite(access, collectionId);
  const input =
    kind === 'attachment' ? parseInput(AttachmentSlotRequestSchema, request.body) : parseInput(SampleSlotRequestSchema, request.body);

  const maxBytes = deps.limits.maxBytes[kind];
  if (input.size > maxBytes) {
    throw new PayloadTooLargeError(
      `size: ${describeBytes(input.size)} is more than the ${describeBytes(maxBytes)} a${kind === 'attachment' ? 'n attachment' : ' sample'} may have`,
    );
  }
  const [usage, quota, victims] = await Promise.all([deps.files.usage(tenantId), quotaOf(tenantId, deps), deps.victimsOf(tenantId)]);
  if (usage + input.size > quota) {
    throw new PayloadTooLargeError(
      `The tenant's storage quota of ${describeBytes(quota)} would be exceeded (${describeBytes(usage)} in use); ask the platform operator for more, or delete files`,
    );
  }
  const tlp = input.tlp ?? collection.defaultTlp;
  if (compareTlp(tlp, collection.policy.tlpCeiling) > 0) {
    throw new BadRequestError(`tlp: this collection accepts nothing above TLP:${collection.policy.tlpCeiling.toUpperCase()}`);
  }

  const nowMs = deps.now();
  const mediaType = 'media_type' in input ? input.media_type : SAMPLE_MEDIA_TYPE;
  const pendingKey = uploadKey(deps.randomKey());
  const multipart = kind === 'attachment' && (input.multipart === true || input.size > deps.limits.multipartThresholdBytes);
  const uploadContentType = kind === 'attachment' ? mediaType : 'application/octet-stream';
  const file: StoredFile = {
    tenantId,
    collectionId,
    id: deps.newId(),
    kind,
    state: 'pending',
    fileName: fileNameUnderAnonymizeRules(input.file_name, victims),
    mediaType,
    size: input.size,
    sha256: input.sha256,
    access: { tlp, recipients: input.recipients ?? [], secret: input.secret === true, providerMemberId: principal.memberId },
    objectKey: storedKey(kind, deps.randomKey()),
    uploadKey: pendingKey,
    createdAt: new Date(nowMs).toISOString(),
    expiresAt: Math.floor(nowMs / 1000) + UPLOAD_SLOT_SECONDS,
    sampleRecipients: [],
  };
  const expires = new Date(nowMs + UPLOAD_URL_SECONDS * 1000).toISOString();
  let upload: UploadInstructions;
  if (multipart) {
    file.multipartUploadId = await deps.storage.startMultipart(kind, pendingKey, uploadContentType);
    const partSize = partSizeFor(input.size);
    const partNumbers = Array.from({ length: Math.ceil(input.size / partSize) }, (_, i) => i + 1);
    const parts = await Promise.all(
      partNumbers.map(async (partNumber) => ({
        part_number: partNumber,
        url: await deps.storage.presignPart(kind, pendingKey, file.multipartUploadId!, partNumber, UPLOAD_URL_SECONDS),
      })),
    );
    upload = { method: 'PUT', part_size: partSize, parts, expires };
  } else {
    const url = await deps.storage.presignPut(kind, pendingKey, { size: input.size, contentType: uploadContentType }, UPLOAD_URL_SECONDS);
    upload = { method: 'PUT', url, headers: { 'Content-Type': uploadContentType }, expires };
  }
  await deps.files.put(file);
  return { ...fileResource(file, request.baseUrl), upload };
}

function hashesOf(data: Buffer): FileHashes {
  const hex = (algorithm: string) => createHash(algorithm).update(data).digest('hex');
  return { md5: hex('md5'), sha1: hex('sha1'), sha256: hex('sha256') };
}

/** Refuses an upload for good: its bytes are removed, the slot closed, the refusal audited; 400 unless told otherwise. */
async function refuse(
  file: StoredFile,
  principal: Principal,
  reason: string,
  deps: FileDeps,
  as: new (description: string) => KyoyuError = BadRequestError,
): Promise<never> {
  await deps.storage.remove(file.kind, file.uploadKey);
  await deps.files.put({ ...file, state: 'rejected', rejection: reason });
  await recordFileEvent(principal, file, 'reject', { reason }, deps);
  throw new as(`${reason}. The upload was removed; ask for a new upload slot`);
}

async function verifiedUpload(file: StoredFile, principal: Principal, deps: FileDeps): Promise<{ hashes: FileHashes; data?: Buffer }> {
  let digest: { size: number; hashes: FileHashes; data?: Buffer } | undefined;
  if (file.kind === 'sample') {
    const data = await deps.storage.read(file.kind, file.uploadKey);
    digest = data && { size: data.length, hashes: hashesOf(data), data };
  } else {
    const stored = await deps.storage.digest(file.kind, file.uploadKey);
    digest = stored && { size: stored.size, hashes: { md5: stored.md5, sha1: stored.sha1, sha256: stored.sha256 } };
  }
  if (!digest)
    throw new ConflictError(`Nothing has been uploaded for ${file.kind} ${file.id} yet; PUT the file to its upload URL, then complete`);
  if (digest.size !== file.size) await refuse(file, principal, `The upload is ${digest.size} bytes, but ${file.size} were declared`, deps);
  if (digest.hashes.sha256 !== file.sha256)
    await refuse(file, principal, `The upload's SHA-256 is ${digest.hashes.sha256}, but ${file.sha256} was declared`, deps);
  return digest;
}

/**
 * POST …/{id}/complete/: assembles a multipart upload, verifies size and SHA-256 (a mismatch removes the upload),
 * charges the tenant's quota as it marks the file verified (one transaction, so a retry never charges twice), moves an attachment out of the upload area or zips a sample under the community password
 * (the raw bytes are then deleted), shares the STIX description through the pipeline and audits the upload.
 * Completing twice answers the same file.
 */
export async function completeUpload(
  kind: FileKind,
  request: FileRequest & { fileId: string; body: unknown },
  deps: FileDeps,
): Promise<FileResource> {
  const { principal, tenantId, collectionId } = request;
  const { access } = await collectionContext(principal, tenantId, collectionId, deps);
  assertCanWrite(access, collectionId);
  const input = parseInput(CompleteUploadRequestSchema, request.body ?? {});
  const file = await deps.files.get(tenantId, request.fileId);
  // Only its provider knows a slot exists.
  if (!fileIn(file, kind, collectionId) || file.access.providerMemberId !== principal.memberId) {
    throw fileNotFound(kind, request.fileId);
  }
  if (file.state === 'available') return fileResource(file, request.baseUrl);
  if (file.state === 'rejected' || file.state === 'deleted') {
    throw new ConflictError(
      `${kind} ${file.id} was ${file.state === 'rejected' ? `refused (${file.rejection})` : 'deleted'}; ask for a new upload slot`,
    );
  }

  let verified: StoredFile = file;
  let data: Buffer | undefined;
  // 'verified' means an earlier completion was charged and then interrupted: it resumes from there, not charging again.
  if (file.state === 'pending') {
    if (file.expiresAt !== undefined && file.expiresAt * 1000 < deps.now()) {
      throw new ConflictError(`The upload slot of ${kind} ${file.id} expired; ask for a new one`);
    }
    if (file.multipartUploadId) {
      if (!input.parts)
        throw new BadRequestError("parts: a multipart upload is completed with every part's part_number and the ETag its PUT answered");
      const parts = input.parts.map((p) => ({ partNumber: p.part_number, etag: p.etag }));
      const completed = await deps.storage.completeMultipart(kind, file.uploadKey, file.multipartUploadId, parts);
      if (completed !== 'completed')
        throw new BadRequestError(
          `parts: the storage refused them (${completed.invalid}); upload the missing parts or send the ETags the part PUTs answered`,
        );
    } else if (input.parts) {
      throw new BadRequestError('parts: this upload was a single PUT; complete it without parts');
    }
    const upload = await verifiedUpload(file, principal, deps);
    data = upload.data;
    verified = { ...file, state: 'verified', hashes: upload.hashes, expiresAt: undefined };
    const charged = await deps.files.markVerified(verified, await quotaOf(tenantId, deps));
    if (charged === 'over-quota') await refuse(file, principal, "The tenant's storage quota would be exceeded", deps, PayloadTooLargeError);
    if (charged === 'not-pending')
      throw new ConflictError(`${kind} ${file.id} is being completed by another request; ask for it again in a moment`);
  }

  if (kind === 'sample') {
    data ??= await deps.storage.read(kind, file.uploadKey);
    if (!data) throw new ConflictError(`The upload of ${kind} ${file.id} is gone; delete it and ask for a new upload slot`);
    const zip = encryptedZip([{ name: file.fileName, data, modified: new Date(deps.now()) }], SAMPLE_ZIP_PASSWORD);
    await deps.storage.write(kind, file.objectKey, zip, SAMPLE_MEDIA_TYPE);
    verified.zip = { sha256: createHash('sha256').update(zip).digest('hex'), size: zip.length };
  } else {
    await deps.storage.copy(kind, file.uploadKey, file.objectKey);
  }
  const resource = fileResource(verified, request.baseUrl);
  const objects = stixObjectsOf(verified, resource.url);
  const status = await shareObjects({ principal, tenantId, collectionId }, objects, deps);
  const available: StoredFile = {
    ...verified,
    state: 'available',
    completedAt: new Date(deps.now()).toISOString(),
    expiresAt: undefined,
    stixIds: objects.map((o) => o.id),
    statusId: status.id,
  };
  await deps.files.put(available);
  await deps.storage.remove(kind, file.uploadKey);
  await recordFileEvent(principal, available, 'upload', { stixIds: available.stixIds }, deps);
  return fileResource(available, request.baseUrl);
}

/**
 * DELETE …/{kind}s/{fileId}/: the provider, or a moderator who can see the file, removes it for good: every stored
 * version of its bytes goes, the tenant's quota gets the bytes back, and the deletion is audited. The STIX
 * description stays until it is deleted over TAXII (its URL then answers 404). A pending slot is cancelled the same way.
 */
export async function deleteFile(kind: FileKind, request: FileRequest & { fileId: string }, deps: FileDeps): Promise<FileResource> {
  const { principal, tenantId, collectionId } = request;
  const context = await collectionContext(principal, tenantId, collectionId, deps);
  const file = await deps.files.get(tenantId, request.fileId);
  if (!fileIn(file, kind, collectionId) || file.state === 'deleted' || file.state === 'rejected') throw fileNotFound(kind, request.fileId);
  const ownFile = file.access.providerMemberId === principal.memberId;
  if (!ownFile && !isFileSeenBy(context, file)) throw fileNotFound(kind, request.fileId);
  if (!ownFile && !isModeratingRole(principal.role))
    throw new ForbiddenError(`Only the provider of ${kind} ${file.id} or a moderator may delete it`);
  await deps.storage.remove(kind, file.objectKey);
  await deps.storage.remove(kind, file.uploadKey);
  const deleted: StoredFile = { ...file, state: 'deleted', deletedAt: new Date(deps.now()).toISOString(), expiresAt: undefined };
  await deps.files.put(deleted);
  if (file.state === 'available' || file.state === 'verified') await deps.files.releaseUsage(tenantId, file.size);
  await recordFileEvent(principal, file, 'delete', { previousState: file.state }, deps);
  return fileResource(deleted, request.baseUrl);
}
