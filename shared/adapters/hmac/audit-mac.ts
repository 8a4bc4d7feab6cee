import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AuditMac } from '../../core/ports';

/**
 * The audit MAC without KMS (the local platform): HMAC-SHA-256 with a generated secret. The first secret signs, every
 * one verifies, so a secret can be rotated by prepending a new one. The secret sits in the environment of the
 * functions given it, so locally (where every handler shares one process) this keeps the MAC honest, not secret.
 */
export class HmacAuditMac implements AuditMac {
  constructor(private readonly secrets: readonly string[]) {
    if (secrets.length === 0) throw new Error('HmacAuditMac needs at least one secret');
  }

  private mac(secret: string, data: string): Buffer {
    return createHmac('sha256', secret).update(data, 'utf8').digest();
  }

  async sign(data: string): Promise<string> {
    return this.mac(this.secrets[0]!, data).toString('base64');
  }

  async verify(data: string, mac: string): Promise<boolean> {
    const given = Buffer.from(mac, 'base64');
    return this.secrets.some((secret) => {
      const expected = this.mac(secret, data);
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  }
}
