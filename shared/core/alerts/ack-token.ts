import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The acknowledgement link's token: who acknowledges which alert, MAC'd with the platform's `alerts` secret (newest
 * first; every one verifies, for rotation). Properties and why they hold:
 * - unforgeable: HMAC-SHA256 over the three fields, compared in constant time;
 * - bound: it names tenant, alert and member, so a link forwarded to another member still acknowledges for the first
 *   (the ledger says "via link"), and one alert's link acknowledges no other;
 * - single-use: the ledger acknowledges once; a second use answers when it was acknowledged, changing nothing;
 * - no secret inside: the fields are ids the recipient already has in its payload.
 */
export interface AckClaim {
  tenantId: string;
  alertId: string;
  memberId: string;
}

const mac = (secret: string, payload: string) => createHmac('sha256', `kyoyu-alert-ack\n${secret}`).update(payload).digest('base64url');

export function ackToken(secrets: readonly string[], claim: AckClaim): string {
  const payload = Buffer.from(JSON.stringify([claim.tenantId, claim.alertId, claim.memberId])).toString('base64url');
  return `${payload}.${mac(secrets[0]!, payload)}`;
}

/** The claim of a genuine token; undefined for anything else. */
export function openAckToken(secrets: readonly string[], token: string): AckClaim | undefined {
  const [payload, given, extra] = token.split('.');
  if (!payload || !given || extra !== undefined) return undefined;
  const genuine = secrets.some((secret) => {
    const expected = Buffer.from(mac(secret, payload));
    const actual = Buffer.from(given);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  });
  if (!genuine) return undefined;
  try {
    const fields: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!Array.isArray(fields) || fields.length !== 3 || !fields.every((f) => typeof f === 'string')) return undefined;
    const [tenantId, alertId, memberId] = fields as [string, string, string];
    return { tenantId, alertId, memberId };
  } catch {
    return undefined;
  }
}
