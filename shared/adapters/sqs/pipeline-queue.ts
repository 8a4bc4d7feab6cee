import { randomUUID } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { PipelineMessage } from '../../core/pipeline/message';
import type { OpenedBody, PipelineQueue } from '../../core/ports';
import { claimKeys } from '../s3/keys';

/** SQS caps a batch at 10 messages and 256 KiB in all. */
const BATCH_BYTES = 250 * 1024;
/** Larger messages travel through S3: the queue carries only the claim (the claim-check pattern). */
const CLAIM_THRESHOLD = 200 * 1024;

export class SqsPipelineQueue implements PipelineQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrlOf: (stage: string) => string,
    private readonly claims: { s3: S3Client; bucket: string },
  ) {}

  private async bodyOf(message: PipelineMessage): Promise<string> {
    const body = JSON.stringify(message);
    if (Buffer.byteLength(body) <= CLAIM_THRESHOLD) return body;
    const key = claimKeys.claim(message.tenantId, message.statusId, randomUUID());
    await this.claims.s3.send(new PutObjectCommand({ Bucket: this.claims.bucket, Key: key, Body: body, ContentType: 'application/json' }));
    return JSON.stringify({ claim: key });
  }

  /** The claim a body carries, if it is one. */
  private claimOf(parsed: unknown): string | undefined {
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    const { claim } = parsed as { claim?: unknown };
    return typeof claim === 'string' && Object.keys(parsed).length === 1 ? claim : undefined;
  }

  async open(body: string): Promise<OpenedBody> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      return { kind: 'unreadable', reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
    }
    const claim = this.claimOf(parsed);
    if (claim === undefined) return { kind: 'message', message: parsed };
    let text: string;
    try {
      const object = await this.claims.s3.send(new GetObjectCommand({ Bucket: this.claims.bucket, Key: claim }));
      text = await object.Body!.transformToString('utf8');
    } catch (error) {
      // Claims are deleted only after their stage is done (`release`), and outlive the queues otherwise: a missing
      // one was consumed by an earlier receive of this very message.
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return { kind: 'consumed', claim };
      throw error;
    }
    try {
      return { kind: 'message', message: JSON.parse(text) };
    } catch (error) {
      return { kind: 'unreadable', reason: `claim ${claim} is not JSON: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  async release(body: string): Promise<void> {
    let claim: string | undefined;
    try {
      claim = this.claimOf(JSON.parse(body));
    } catch {
      return;
    }
    if (claim !== undefined) await this.claims.s3.send(new DeleteObjectCommand({ Bucket: this.claims.bucket, Key: claim }));
  }

  async send(stage: string, messages: PipelineMessage[], options: { delaySeconds?: number } = {}): Promise<void> {
    const queueUrl = this.queueUrlOf(stage);
    const bodies = await Promise.all(messages.map((m) => this.bodyOf(m)));
    const batches: string[][] = [];
    let current: string[] = [];
    let size = 0;
    for (const body of bodies) {
      const bytes = Buffer.byteLength(body);
      if (current.length === 10 || (current.length > 0 && size + bytes > BATCH_BYTES)) {
        batches.push(current);
        current = [];
        size = 0;
      }
      current.push(body);
      size += bytes;
    }
    if (current.length) batches.push(current);
    await Promise.all(
      batches.map(async (batch) => {
        let entries = batch.map((body, i) => ({
          Id: String(i),
          MessageBody: body,
          ...(options.delaySeconds ? { DelaySeconds: options.delaySeconds } : {}),
        }));
        for (let attempt = 0; entries.length > 0; attempt++) {
          const result = await this.client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
          const failed = new Set((result.Failed ?? []).filter((f) => !f.SenderFault).map((f) => f.Id));
          const senderFault = (result.Failed ?? []).find((f) => f.SenderFault);
          if (senderFault) throw new Error(`SQS refused a pipeline message: ${senderFault.Code} ${senderFault.Message ?? ''}`);
          entries = entries.filter((e) => failed.has(e.Id));
          if (entries.length > 0) await new Promise((r) => setTimeout(r, 2 ** attempt * 20));
        }
      }),
    );
  }
}
