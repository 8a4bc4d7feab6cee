import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AuditAnchorSchema, type AuditAnchor } from '../../core/audit/anchor';
import type { AnchorStore } from '../../core/ports';

/** Sequence numbers have 12 digits (dynamodb/keys.ts auditKeys); keys count down so the first listed is the latest. */
const MAX_SEQ = 1e12;

/** A chain's folder: its name with every character outside [A-Za-z0-9._-] as ~hex (`ics-isac#auth` → `ics-isac~23auth`). */
const prefixOf = (chain: string): string => `anchors/${chain.replace(/[^A-Za-z0-9._-]/g, (c) => `~${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}/`;
export const anchorKey = (anchor: Pick<AuditAnchor, 'chain' | 'seq'>): string => `${prefixOf(anchor.chain)}${String(MAX_SEQ - anchor.seq).padStart(12, '0')}.json`;

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
    const listed = await this.s3.send(new ListObjectsCommand({ Bucket: this.bucket, Prefix: prefixOf(chain), MaxKeys: 1 }));
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
        Key: anchorKey(anchor),
        Body: body,
        ContentType: 'application/json',
        // S3 requires an integrity header on every put into a bucket with Object Lock retention.
        ContentMD5: createHash('md5').update(body).digest('base64'),
      }),
    );
  }
}
