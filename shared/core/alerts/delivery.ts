import { RETRY_SCHEDULE_SECONDS } from './standard-webhooks';

/**
 * What follows one delivery attempt (Standard Webhooks "Retry schedule"; issue #16 §4):
 * - 2xx: delivered;
 * - 410 Gone: the receiver says the endpoint is gone for good: the subscription is disabled, nothing is retried;
 * - anything else (another status, a timeout, a refused connection): retried on the spec's schedule, waiting at
 *   least what a `Retry-After` asks (capped at the longest step, so a receiver cannot park an alert for days);
 * - a refused address (SSRF guard): failed at once — retrying cannot make a private address public, and trying
 *   again later is how DNS rebinding would get in;
 * - after the last step of the schedule: failed, kept in the ledger and the dead-letter queue.
 */
export type AttemptResult = { status: number; retryAfterSeconds?: number } | { error: string; refused?: boolean };

export type NextStep =
  | { kind: 'delivered' }
  | { kind: 'disabled'; reason: string }
  | { kind: 'retry'; dueAtMs: number; reason: string }
  | { kind: 'failed'; reason: string };

export const MAX_ATTEMPTS = RETRY_SCHEDULE_SECONDS.length;
const LONGEST_WAIT = Math.max(...RETRY_SCHEDULE_SECONDS);

/** `attempt`: the number of the attempt just made, from 1. */
export function nextStep(attempt: number, result: AttemptResult, nowMs: number): NextStep {
  if ('status' in result && result.status >= 200 && result.status < 300) return { kind: 'delivered' };
  if ('status' in result && result.status === 410) return { kind: 'disabled', reason: 'the receiver answered 410 Gone' };
  const reason = 'status' in result ? `the receiver answered ${result.status}` : result.error;
  if ('refused' in result && result.refused) return { kind: 'failed', reason };
  if (attempt >= MAX_ATTEMPTS) return { kind: 'failed', reason: `${reason} (after ${attempt} attempts)` };
  const scheduled = RETRY_SCHEDULE_SECONDS[attempt]!;
  const asked =
    'retryAfterSeconds' in result && result.retryAfterSeconds !== undefined ? Math.min(result.retryAfterSeconds, LONGEST_WAIT) : 0;
  return { kind: 'retry', dueAtMs: nowMs + Math.max(scheduled, asked) * 1000, reason };
}

/** RFC 9110 §10.2.3 Retry-After: delay-seconds or an HTTP-date. */
export function retryAfterSeconds(header: string | undefined, nowMs: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/**
 * SQS delays a message by at most 15 minutes. A longer wait is a chain of re-sends: the consumer receives the
 * message early, sees its `dueAtMs` is still ahead, and sends it again delayed by what remains (up to 15 minutes).
 * Each hop is one SQS request; the longest step (10 h) costs 40.
 */
export const SQS_MAX_DELAY_SECONDS = 900;
export const delaySecondsUntil = (dueAtMs: number, nowMs: number): number =>
  Math.max(0, Math.min(SQS_MAX_DELAY_SECONDS, Math.ceil((dueAtMs - nowMs) / 1000)));
