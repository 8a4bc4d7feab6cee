import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks (github.com/standard-webhooks/standard-webhooks, spec/standard-webhooks.md), what a receiver
 * checks and why each part holds:
 * - `webhook-id`: the message id, the same on every retry of one message, so a receiver de-duplicates by it;
 * - `webhook-timestamp`: integer seconds; signed, so a receiver refuses old messages (replays) — five minutes is the
 *   spec's suggested tolerance;
 * - `webhook-signature`: space-separated `v1,<base64 HMAC-SHA256>` over `${id}.${timestamp}.${body}`, keyed with
 *   the base64-decoded bytes of the `whsec_` secret. During a rotation both secrets sign, so a receiver that knows
 *   either one accepts the message (spec "Signature scheme": several signatures, any one may match).
 */

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** The spec's suggested tolerance for `webhook-timestamp` (either side of now). */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/**
 * The spec's retry schedule: the first attempt immediately, then after these waits (seconds) — 5 s, 5 min, 30 min,
 * 2 h, 5 h, 10 h, 10 h: eight attempts spread over about a day and a half.
 */
export const RETRY_SCHEDULE_SECONDS: readonly number[] = Object.freeze([0, 5, 300, 1800, 7200, 18000, 36000, 36000]);

/** A fresh secret: `whsec_` + 32 random bytes in base64 (the spec: 24 to 64 bytes). */
export function generateWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) throw new Error(`A webhook secret starts with ${WEBHOOK_SECRET_PREFIX}`);
  const key = Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), 'base64');
  if (key.length < 24) throw new Error('A webhook secret holds at least 24 bytes');
  return key;
}

/** One `v1,<base64>` signature of a message. */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  return `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestampSeconds}.${body}`, 'utf8').digest('base64')}`;
}

/** The three headers of one delivery; every secret given (newest first, two during a rotation) signs. */
export function webhookHeaders(secrets: readonly string[], id: string, timestampSeconds: number, body: string): Record<string, string> {
  if (secrets.length === 0) throw new Error('A webhook is signed with at least one secret');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': secrets.map((s) => signWebhook(s, id, timestampSeconds, body)).join(' '),
  };
}

/**
 * The receiver's check: a signature made with `secret` is among those sent, and the timestamp is within the
 * tolerance. Constant-time comparison; header names as a receiver's framework gives them (lower-case).
 */
export function verifyWebhook(
  secret: string,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  body: string,
  nowSeconds: number,
): { ok: true; id: string } | { ok: false; reason: string } {
  const one = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const id = one('webhook-id');
  const timestamp = one('webhook-timestamp');
  const signatures = one('webhook-signature');
  if (!id || !timestamp || !signatures) return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature' };
  if (!/^\d+$/.test(timestamp)) return { ok: false, reason: 'webhook-timestamp is not integer seconds' };
  if (Math.abs(nowSeconds - Number(timestamp)) > WEBHOOK_TOLERANCE_SECONDS)
    return { ok: false, reason: 'webhook-timestamp is outside the tolerance' };
  const expected = Buffer.from(signWebhook(secret, id, Number(timestamp), body));
  const match = signatures.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return match ? { ok: true, id } : { ok: false, reason: 'no signature matches' };
}
