import { TooManyRequestsError } from '../errors';
import type { Tenant } from '../directory/model';
import type { RequestCounter } from '../ports';

/**
 * Per-tenant request limits. API Gateway throttles a stage, not a tenant, and tenants are created at run time, so
 * each tenant's limit is enforced here, the same on AWS and locally: a fixed one-minute window per tenant, counted
 * atomically by a RequestCounter, and a 429 with Retry-After once the count passes the tenant's limit.
 *
 * TAXII-CLIENTS #26: normal polling must never meet a 429 (the OpenCTI connector loses its window on any error), so
 * the default is far above what polling needs: 1,000 members polling every 5 minutes make ~200 requests a minute,
 * and a member paging through a backlog at `limit=1000` a few per second. What it stops is a tight loop
 * (MineMeld's `added_after=max(modified)`, `as_pages` without `next`) starving the tenant's neighbours.
 */
export const DEFAULT_TENANT_REQUESTS_PER_MINUTE = 6000;

export const THROTTLE_WINDOW_MS = 60_000;

/** A fixed window, [startMs, endMs). */
export interface ThrottleWindow {
  startMs: number;
  endMs: number;
}

/** The minute that holds `nowMs` (UTC minutes, so every instance of every function agrees on it). */
export function throttleWindow(nowMs: number): ThrottleWindow {
  const startMs = Math.floor(nowMs / THROTTLE_WINDOW_MS) * THROTTLE_WINDOW_MS;
  return { startMs, endMs: startMs + THROTTLE_WINDOW_MS };
}

/** The tenant's own limit, set by a platform operator, else the default. */
export const requestsPerMinuteOf = (tenant: Pick<Tenant, 'requestsPerMinute'> | undefined): number =>
  tenant?.requestsPerMinute ?? DEFAULT_TENANT_REQUESTS_PER_MINUTE;

export type ThrottleDecision = { kind: 'allow' } | { kind: 'refuse'; retryAfterSeconds: number };

/**
 * `count` includes this request, so the limit-th request of a window passes and the next is refused until the
 * window ends; Retry-After (RFC 9110 §10.2.3, whole seconds) is the time left, at least 1.
 */
export function decideThrottle(input: { limit: number; count: number; windowEndMs: number; nowMs: number }): ThrottleDecision {
  if (input.count <= input.limit) return { kind: 'allow' };
  return { kind: 'refuse', retryAfterSeconds: Math.max(1, Math.ceil((input.windowEndMs - input.nowMs) / 1000)) };
}

export interface ThrottleDeps {
  counter: RequestCounter;
  /** The tenant's requests-per-minute limit (requestsPerMinuteOf its directory entry). */
  limitOf(tenantId: string): Promise<number>;
  nowMs: number;
}

/** Counts one request of the tenant; throws TooManyRequestsError when it is over the tenant's limit. */
export async function enforceTenantLimit(tenantId: string, deps: ThrottleDeps): Promise<void> {
  const window = throttleWindow(deps.nowMs);
  const [count, limit] = await Promise.all([deps.counter.count(tenantId, window), deps.limitOf(tenantId)]);
  const decision = decideThrottle({ limit, count, windowEndMs: window.endMs, nowMs: deps.nowMs });
  if (decision.kind === 'refuse') {
    const seconds = decision.retryAfterSeconds;
    throw new TooManyRequestsError(
      `Tenant ${tenantId} is limited to ${limit} TAXII requests per minute and has used them; retry in ${seconds} second${seconds === 1 ? '' : 's'}`,
      seconds,
    );
  }
}
