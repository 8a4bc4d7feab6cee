import type { FileKind, StoredFile } from './model';

/** File metadata and per-tenant usage (the files table). */
export interface FileStore {
  get(tenantId: string, fileId: string): Promise<StoredFile | undefined>;
  put(file: StoredFile): Promise<void>;
  /** Bytes the tenant keeps. */
  usage(tenantId: string): Promise<number>;
  /**
   * In one transaction: charges the file's size to its tenant's usage and stores the file (state verified), if the
   * quota allows it and the stored file is still pending. Otherwise nothing changes.
   */
  markVerified(file: StoredFile, quotaBytes: number): Promise<'verified' | 'over-quota' | 'not-pending'>;
  releaseUsage(tenantId: string, bytes: number): Promise<void>;
}

export interface MultipartPart {
  partNumber: number;
  etag: string;
}

/** The buckets: presigned URLs for members' tools, and the few reads and writes the platform does itself. */
export interface FileStorage {
  presignPut(kind: FileKind, key: string, file: { size: number; contentType: string }, expiresSeconds: number): Promise<string>;
  startMultipart(kind: FileKind, key: string, contentType: string): Promise<string>;
  presignPart(kind: FileKind, key: string, uploadId: string, partNumber: number, expiresSeconds: number): Promise<string>;
  /** 'invalid' with S3's reason when parts are missing, too small or their ETags do not match. */
  completeMultipart(kind: FileKind, key: string, uploadId: string, parts: MultipartPart[]): Promise<'completed' | { invalid: string }>;
  /** Size and hashes of a stored object, streamed; undefined when nothing is there. */
  digest(kind: FileKind, key: string): Promise<{ size: number; md5: string; sha1: string; sha256: string } | undefined>;
  read(kind: FileKind, key: string): Promise<Buffer | undefined>;
  write(kind: FileKind, key: string, body: Buffer, contentType: string): Promise<void>;
  copy(kind: FileKind, fromKey: string, toKey: string): Promise<void>;
  /** Removes every version: a refused or superseded file leaves nothing behind in a versioned bucket. */
  remove(kind: FileKind, key: string): Promise<void>;
  presignGet(kind: FileKind, key: string, delivery: { contentType: string; contentDisposition: string }, expiresSeconds: number): Promise<string>;
}
