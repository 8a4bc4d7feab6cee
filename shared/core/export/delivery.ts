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

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

export async function deliverExport(lines: AsyncIterable<string>, options: DeliveryOptions): Promise<Delivery> {
  const hash = createHash('sha256');
  let inline: string[] | undefined = [];
  let inlineSize = 0;
  let pending: Uint8Array[] = [];
  let pendingSize = 0;
  let bytes = 0;
  let upload: ExportUpload | undefined;
  const flush = async (final: boolean) => {
    if (!upload || pendingSize === 0 || (!final && pendingSize < EXPORT_PART_MIN_BYTES)) return;
    const part = concat(pending, pendingSize);
    pending = [];
    pendingSize = 0;
    await upload.part(part);
  };
  try {
    for await (const line of lines) {
      const encoded = UTF8.encode(line);
      hash.update(encoded);
      bytes += encoded.length;
      if (inline) {
        inline.push(line);
        inlineSize += escapedBytes(line, encoded.length);
        if (inlineSize <= options.inlineMaxBytes) continue;
        // Too large to answer: from here on the export goes to the store, starting with what was held.
        upload = await options.store.begin(options.key, { contentType: options.contentType, fileName: options.fileName });
        for (const held of inline) pending.push(UTF8.encode(held));
        pendingSize = bytes;
        inline = undefined;
      } else {
        pending.push(encoded);
        pendingSize += encoded.length;
      }
      await flush(false);
    }
    const etag = `"${hash.digest('base64url')}"`;
    if (matchesIfNoneMatch(options.ifNoneMatch, etag)) {
      await upload?.abort().catch(() => undefined);
      return { kind: 'not-modified', etag };
    }
    if (!upload) return { kind: 'inline', etag, body: (inline ?? []).join(''), bytes };
    await flush(true);
    await upload.complete();
    const url = await options.store.presignGet(options.key, options.urlExpiresSeconds);
    return { kind: 'stored', etag, url, expiresAt: new Date(options.nowMs() + options.urlExpiresSeconds * 1000).toISOString(), bytes };
  } catch (error) {
    await upload?.abort().catch(() => undefined);
    throw error;
  }
}
