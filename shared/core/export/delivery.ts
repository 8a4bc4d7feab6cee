import { createHash } from 'node:crypto';
import type { ExportStore, ExportUpload } from '../ports';

/**
 * How an export reaches the member (issue #15 point 4), with its ETag.
 *
 * 1. ETag: the SHA-256 of the exact bytes (RFC 9110 §8.8.3, a strong validator). Every format is a full snapshot, so
 *    a firewall that polls with If-None-Match gets 304 Not Modified until something it would receive changes: a
 *    commit, a revocation, an item expiring, a change of grants. The snapshot is computed either way (the bytes
 *    are the validator); what a 304 saves is the transfer and the device's reload.
 * 2. Inline when small: a Lambda response is at most 6 MB (its JSON envelope included, where `"` and `\` take two
 *    bytes), so a body whose escaped size stays within `inlineMaxBytes` is answered directly.
 * 3. Beyond that the export goes to the store as it is produced, in parts of EXPORT_PART_MIN_BYTES (S3's smallest
 *    multipart part), and the member is sent a short-lived presigned URL (303 See Other). Memory holds the inline
 *    budget or one part, never the export.
 * 4. A 304 leaves no export behind: a matching ETag aborts the upload. An abort that fails does not fail the answer:
 *    an upload never completed is never served, and the bucket's lifecycle rule removes it.
 */

export const EXPORT_PART_MIN_BYTES = 5 * 1024 * 1024;

export interface DeliveryOptions {
  /** Escaped bytes answered inline at most (config EXPORT_INLINE_MAX_BYTES). */
  inlineMaxBytes: number;
  /** The request's If-None-Match header. */
  ifNoneMatch?: string;
  store: ExportStore;
  /** Where a large export is written, and how it is delivered from there. */
  key: string;
  contentType: string;
  fileName: string;
  urlExpiresSeconds: number;
  /** For the URL's expiry time in the answer. */
  nowMs: () => number;
}

export type Delivery =
  | { kind: 'inline'; etag: string; body: string; bytes: number }
  | { kind: 'not-modified'; etag: string }
  | { kind: 'stored'; etag: string; url: string; expiresAt: string; bytes: number };

/** RFC 9110 §13.1.2: If-None-Match compares weakly (W/ ignored); `*` matches any current representation. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || strip(tag) === strip(etag));
}

/** What a line adds to a Lambda response's JSON body: its UTF-8 bytes, plus one for each `"`, `\` or control character's escape. */
function escapedBytes(line: string, bytes: number): number {
  let extra = 0;
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code === 0x22 || code === 0x5c) extra += 1;
    else if (code < 0x20) extra += 5;
  }
  return bytes + extra;
}

const UTF8 = new TextEncoder();
const LINES_PER_BLOCK = 4096;

export async function deliverExport(lines: AsyncIterable<string>, options: DeliveryOptions): Promise<Delivery> {
  const hash = createHash('sha256');
  // Lines not yet answered or uploaded, as text: one string per line costs tens of bytes on the heap (a byte array
  // far more), so they are joined every LINES_PER_BLOCK lines.
  let held: string[] = [];
  let block: string[] = [];
  let heldBytes = 0;
  let escaped = 0;
  let bytes = 0;
  let upload: ExportUpload | undefined;
  const takeHeld = () => {
    const text = held.join('') + block.join('');
    held = [];
    block = [];
    return text;
  };
  const flush = async (final: boolean) => {
    if (!upload || heldBytes === 0 || (!final && heldBytes < EXPORT_PART_MIN_BYTES)) return;
    const part = UTF8.encode(takeHeld());
    heldBytes = 0;
    await upload.part(part);
  };
  try {
    for await (const line of lines) {
      const size = UTF8.encode(line).length;
      hash.update(line, 'utf8');
      bytes += size;
      heldBytes += size;
      block.push(line);
      if (block.length >= LINES_PER_BLOCK) {
        held.push(block.join(''));
        block = [];
      }
      if (!upload) {
        escaped += escapedBytes(line, size);
        if (escaped <= options.inlineMaxBytes) continue;
        // Too large to answer: from here on the export goes to the store, starting with what was held.
        upload = await options.store.begin(options.key, { contentType: options.contentType, fileName: options.fileName });
      }
      await flush(false);
    }
    const etag = `"${hash.digest('base64url')}"`;
    if (matchesIfNoneMatch(options.ifNoneMatch, etag)) {
      await upload?.abort().catch(() => undefined);
      return { kind: 'not-modified', etag };
    }
    if (!upload) return { kind: 'inline', etag, body: takeHeld(), bytes };
    await flush(true);
    await upload.complete();
    const url = await options.store.presignGet(options.key, options.urlExpiresSeconds);
    return { kind: 'stored', etag, url, expiresAt: new Date(options.nowMs() + options.urlExpiresSeconds * 1000).toISOString(), bytes };
  } catch (error) {
    await upload?.abort().catch(() => undefined);
    throw error;
  }
}
