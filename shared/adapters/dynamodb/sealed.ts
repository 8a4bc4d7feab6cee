import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * Where a sealed record lives and whose it is: the item's table key and the member it belongs to. It is sealed in as
 * AES-GCM associated data, so the record opens only in that place for that owner. Without it, anyone able to write
 * the table (a restored backup, an over-broad IAM role, a bug) could copy one provider's sealed original into the
 * item of an object they provide, or rewrite an item's owner, and have the originals route open it for them.
 */
export interface SealBinding {
  pk: string;
  sk: string;
  /** The member the record belongs to (the provider of the original). */
  owner: string;
}

/** Blobs of this format carry their binding; unbound blobs of the first format (three parts) are refused. */
const FORMAT = 'v2';

// JSON of an array: unambiguous whatever the parts hold ('a#b' + 'c' never equals 'a' + 'b#c').
const associatedData = (binding: SealBinding): Buffer =>
  Buffer.from(JSON.stringify(['kyoyu-seal', FORMAT, binding.pk, binding.sk, binding.owner]), 'utf8');

/**
 * AES-256-GCM for records that only their owner may read (originals before anonymisation), on top of
 * DynamoDB's own encryption at rest: a leaked table backup or an over-broad IAM read still reveals nothing, and a
 * blob moved to another item or owner does not open (SealBinding).
 */
export class Sealer {
  private readonly keys: Buffer[];

  /** `secrets`: newest first; the first seals, every one opens (rotation). Each is stretched to a 256-bit key. */
  constructor(secrets: readonly string[]) {
    if (secrets.length === 0) throw new Error('Sealer needs at least one secret');
    this.keys = secrets.map((s) => createHash('sha256').update(`kyoyu-seal\n${s}`).digest());
  }

  seal(plaintext: string, binding: SealBinding): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0]!, iv);
    cipher.setAAD(associatedData(binding));
    // Compressed first: sealed records live in DynamoDB items (400 KB), and STIX text compresses several times over.
    const body = Buffer.concat([cipher.update(deflateRawSync(Buffer.from(plaintext, 'utf8'))), cipher.final()]);
    return [FORMAT, ...[iv, cipher.getAuthTag(), body].map((b) => b.toString('base64'))].join('.');
  }

  /** Throws when the blob was not sealed for `binding` (moved, or its owner rewritten) or with none of the secrets. */
  open(sealed: string, binding: SealBinding): string {
    const [format, iv, tag, body] = sealed.split('.');
    if (format !== FORMAT || iv === undefined || tag === undefined || body === undefined) {
      throw new Error(`Sealed record is not of format ${FORMAT} (bound to its item and owner); it cannot be opened`);
    }
    const aad = associatedData(binding);
    for (const key of this.keys) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
        decipher.setAAD(aad);
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        return inflateRawSync(Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()])).toString('utf8');
      } catch {
        // try the next (older) key
      }
    }
    throw new Error('Sealed record does not open with any configured key for this item and owner');
  }
}
