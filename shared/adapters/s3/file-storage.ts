import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3ServiceException,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { FileKind } from '../../core/files/model';
import type { FileStorage, MultipartPart } from '../../core/ports';

const errorName = (error: unknown): string | undefined =>
  error instanceof S3ServiceException || error instanceof Error ? error.name : undefined;

/** S3-compatible stores without versioning (s3rver) refuse to list versions; there is only the one object to delete. */
const UNSUPPORTED = new Set(['NotImplemented', 'MethodNotAllowed']);
const MULTIPART_REFUSALS = new Set(['InvalidPart', 'InvalidPartOrder', 'EntityTooSmall', 'NoSuchUpload', 'MalformedXML', 'InvalidRequest']);

/** The attachments and samples buckets, by file kind. */
export class S3FileStorage implements FileStorage {
  constructor(
    private readonly s3: S3Client,
    private readonly bucketOf: (kind: FileKind) => string,
  ) {}

  presignPut(kind: FileKind, key: string, file: { size: number; contentType: string }, expiresSeconds: number): Promise<string> {
    // Content-Length and Content-Type are signed: the URL takes exactly the declared size and type, nothing larger.
    return getSignedUrl(
      this.s3,
      new PutObjectCommand({ Bucket: this.bucketOf(kind), Key: key, ContentLength: file.size, ContentType: file.contentType }),
      { expiresIn: expiresSeconds, signableHeaders: new Set(['content-type', 'content-length']) },
    );
  }

  async startMultipart(kind: FileKind, key: string, contentType: string): Promise<string> {
    const started = await this.s3.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucketOf(kind), Key: key, ContentType: contentType }),
    );
    return started.UploadId!;
  }

  presignPart(kind: FileKind, key: string, uploadId: string, partNumber: number, expiresSeconds: number): Promise<string> {
    return getSignedUrl(
      this.s3,
      new UploadPartCommand({ Bucket: this.bucketOf(kind), Key: key, UploadId: uploadId, PartNumber: partNumber }),
      {
        expiresIn: expiresSeconds,
      },
    );
  }

  async completeMultipart(
    kind: FileKind,
    key: string,
    uploadId: string,
    parts: MultipartPart[],
  ): Promise<'completed' | { invalid: string }> {
    try {
      await this.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucketOf(kind),
          Key: key,
          UploadId: uploadId,
          MultipartUpload: {
            Parts: [...parts].sort((a, b) => a.partNumber - b.partNumber).map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })),
          },
        }),
      );
      return 'completed';
    } catch (error) {
      const name = errorName(error);
      if (name && MULTIPART_REFUSALS.has(name)) return { invalid: `${name}: ${(error as Error).message}` };
      throw error;
    }
  }

  private async body(kind: FileKind, key: string): Promise<Readable | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucketOf(kind), Key: key }));
      return object.Body as Readable;
    } catch (error) {
      if (errorName(error) === 'NoSuchKey' || errorName(error) === 'NotFound') return undefined;
      throw error;
    }
  }

  async digest(kind: FileKind, key: string): Promise<{ size: number; md5: string; sha1: string; sha256: string } | undefined> {
    const body = await this.body(kind, key);
    if (!body) return undefined;
    const hashes = { md5: createHash('md5'), sha1: createHash('sha1'), sha256: createHash('sha256') };
    let size = 0;
    for await (const chunk of body) {
      const bytes = chunk as Buffer;
      size += bytes.length;
      for (const hash of Object.values(hashes)) hash.update(bytes);
    }
    return { size, md5: hashes.md5.digest('hex'), sha1: hashes.sha1.digest('hex'), sha256: hashes.sha256.digest('hex') };
  }

  async read(kind: FileKind, key: string): Promise<Buffer | undefined> {
    const body = await this.body(kind, key);
    if (!body) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async write(kind: FileKind, key: string, body: Buffer, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucketOf(kind), Key: key, Body: body, ContentType: contentType }));
  }

  async copy(kind: FileKind, fromKey: string, toKey: string): Promise<void> {
    const bucket = this.bucketOf(kind);
    await this.s3.send(
      new CopyObjectCommand({ Bucket: bucket, Key: toKey, CopySource: `${bucket}/${encodeURIComponent(fromKey).replace(/%2F/g, '/')}` }),
    );
  }

  async remove(kind: FileKind, key: string): Promise<void> {
    const bucket = this.bucketOf(kind);
    let versionIds: string[] = [];
    try {
      const listed = await this.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
      versionIds = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])]
        .filter((v) => v.Key === key && v.VersionId && v.VersionId !== 'null')
        .map((v) => v.VersionId!);
    } catch (error) {
      if (!UNSUPPORTED.has(errorName(error) ?? '')) throw error;
    }
    // Deleting each version leaves no delete marker and nothing to restore; an unversioned store has none to list.
    if (versionIds.length === 0) await this.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    for (const versionId of versionIds) await this.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  }

  presignGet(
    kind: FileKind,
    key: string,
    delivery: { contentType: string; contentDisposition: string },
    expiresSeconds: number,
  ): Promise<string> {
    return getSignedUrl(
      this.s3,
      new GetObjectCommand({
        Bucket: this.bucketOf(kind),
        Key: key,
        ResponseContentType: delivery.contentType,
        ResponseContentDisposition: delivery.contentDisposition,
      }),
      { expiresIn: expiresSeconds },
    );
  }
}
