import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * AES-256-GCM for records that only their owner may read (originals before anonymisation, held items), on top of
 * DynamoDB's own encryption at rest: a leaked table backup or an over-broad IAM read still reveals nothing.
 */
export class Sealer {
  private readonly keys: Buffer[];

  /** `secrets`: newest first; each is stretched to a 256-bit key. */
  constructor(secrets: readonly string[]) {
    if (secrets.length === 0) throw new Error('Sealer needs at least one secret');
    this.keys = secrets.map((s) => createHash('sha256').update(`kyoyu-seal\n${s}`).digest());
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0]!, iv);
    // Compressed first: sealed records live in DynamoDB items (400 KB), and STIX text compresses several times over.
    const body = Buffer.concat([cipher.update(deflateRawSync(Buffer.from(plaintext, 'utf8'))), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64')).join('.');
  }

  open(sealed: string): string {
    const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64'));
    for (const key of this.keys) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv!);
        decipher.setAuthTag(tag!);
        return inflateRawSync(Buffer.concat([decipher.update(body!), decipher.final()])).toString('utf8');
      } catch {
        // try the next (older) key
      }
    }
    throw new Error('Sealed record does not open with any configured key');
  }
}
