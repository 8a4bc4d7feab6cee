import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AuditAnchorSchema, type AuditAnchor } from '../../core/audit/anchor';
import type { AnchorStore } from '../../core/ports';
import { anchorKeys } from './keys';

/**
 * The anchors bucket (Object Lock, compliance mode, on AWS: infra/topology.ts `buckets.anchors`). One object per
 * anchor, never overwritten: a new anchor is a new key. Its writer may only put (no delete, so no delete marker can
 * hide the latest anchor from `latest`).
 */
export class S3AnchorStore implements AnchorStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async latest(chain: string): Promise<AuditAnchor | undefined> {
    // ListObjects (v1): s3rver answers a truncated ListObjectsV2 with an internal error; S3 answers both alike.
    const listed = await this.s3.send(new ListObjectsCommand({ Bucket: this.bucket, Prefix: anchorKeys.prefix(chain), MaxKeys: 1 }));
    const key = listed.Contents?.[0]?.Key;
    if (!key) return undefined;
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return AuditAnchorSchema.parse(JSON.parse(await object.Body!.transformToString('utf8')));
  }

  async put(anchor: AuditAnchor): Promise<void> {
    const body = JSON.stringify(AuditAnchorSchema.parse(anchor));
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: anchorKeys.anchor(anchor),
        Body: body,
        ContentType: 'application/json',
        // S3 requires an integrity header on every put into a bucket with Object Lock retention.
        ContentMD5: createHash('md5').update(body).digest('base64'),
      }),
    );
  }
}
