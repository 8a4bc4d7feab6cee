import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  S3ServiceException,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ExportStore, ExportUpload } from '../../core/ports';

/**
 * Large exports in the `exports` bucket (infra/topology.ts; everything there expires after a day): one multipart
 * upload per export, written part by part as the export is produced, so the function never holds the file.
 * (`@aws-sdk/lib-storage` is not a dependency; the three calls it would make are made here.)
 */
const ABORT_UNSUPPORTED = new Set(['MethodNotAllowed', 'NotImplemented']);

export class S3ExportStore implements ExportStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: () => string,
  ) {}

  async begin(key: string, delivery: { contentType: string; fileName: string }): Promise<ExportUpload> {
    const Bucket = this.bucket();
    const started = await this.s3.send(
      new CreateMultipartUploadCommand({
        Bucket,
        Key: key,
        ContentType: delivery.contentType,
        ContentDisposition: `attachment; filename="${delivery.fileName}"`,
      }),
    );
    const UploadId = started.UploadId!;
    const parts: Array<{ PartNumber: number; ETag: string }> = [];
    return {
      part: async (bytes) => {
        const PartNumber = parts.length + 1;
        const uploaded = await this.s3.send(
          new UploadPartCommand({ Bucket, Key: key, UploadId, PartNumber, Body: bytes, ContentLength: bytes.length }),
        );
        parts.push({ PartNumber, ETag: uploaded.ETag! });
      },
      complete: async () => {
        await this.s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
      },
      abort: async () => {
        try {
          await this.s3.send(new AbortMultipartUploadCommand({ Bucket, Key: key, UploadId }));
        } catch (error) {
          // s3rver (the local platform) has no AbortMultipartUpload; an upload never completed is never served, and
          // on AWS the bucket's lifecycle rule removes incomplete uploads (infra/aws/data-stack.ts).
          if (!(error instanceof S3ServiceException && ABORT_UNSUPPORTED.has(error.name))) throw error;
        }
      },
    };
  }

  presignGet(key: string, expiresSeconds: number): Promise<string> {
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket(), Key: key }), { expiresIn: expiresSeconds });
  }
}
