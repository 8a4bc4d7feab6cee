/**
 * 429 Too Many Requests (RFC 6585 §4) is an answer to wait, not to fail: the tenant's request limit and API
 * Gateway's throttling both send Retry-After. The CLI waits what it says, capped so that a bad value cannot hang
 * a script, and tries a few more times before it reports the 429.
 */

/** Retries after a 429 before the 429 is reported. */
export const MAX_RETRIES = 4;
/** The longest wait honoured; a longer Retry-After waits this long. */
export const RETRY_AFTER_CAP_SECONDS = 60;
/** The wait when a 429 has no usable Retry-After. */
const DEFAULT_WAIT_SECONDS = 1;

/** Retry-After in seconds (RFC 9110 §10.2.3: delay-seconds or an HTTP-date), capped; the default if unusable. */
export function retryAfterSeconds(header: string | null, nowMs: number): number {
  const text = header?.trim() ?? '';
  let seconds: number;
  if (/^\d+$/.test(text)) seconds = Number(text);
  // An HTTP-date begins with a day name (IMF-fixdate); Date.parse alone would read "-3" as a year.
  else if (/^[A-Za-z]{3},/.test(text) && !Number.isNaN(Date.parse(text))) {
    seconds = Math.max(0, Math.ceil((Date.parse(text) - nowMs) / 1000));
  } else seconds = DEFAULT_WAIT_SECONDS;
  return Math.min(seconds, RETRY_AFTER_CAP_SECONDS);
}

export interface RetryOptions {
  sleep?: (seconds: number) => Promise<void>;
  /** Told before each wait, so a person sees why the command pauses. */
  onWait?: (seconds: number, retry: number) => void;
  now?: () => number;
}

/** Sends (via `send`, called once per attempt) until the answer is not a 429 or the retries are spent. */
export async function withRetryAfter(send: () => Promise<Response>, options: RetryOptions = {}): Promise<Response> {
  const sleep = options.sleep ?? ((s: number) => new Promise<void>((resolve) => setTimeout(resolve, s * 1000)));
  const now = options.now ?? Date.now;
  for (let retry = 1; ; retry++) {
    const response = await send();
    if (response.status !== 429 || retry > MAX_RETRIES) return response;
    const seconds = retryAfterSeconds(response.headers.get('retry-after'), now());
    // The body is not needed; reading it frees the connection for the retry.
    await response.arrayBuffer().catch(() => undefined);
    options.onWait?.(seconds, retry);
    await sleep(seconds);
  }
}
