import { TooManyRequestsError } from '../../../shared/core/errors';
import type { RequestCounter } from '../../../shared/core/ports';
import {
  decideThrottle,
  DEFAULT_TENANT_REQUESTS_PER_MINUTE,
  enforceTenantLimit,
  requestsPerMinuteOf,
  throttleWindow,
  type ThrottleWindow,
} from '../../../shared/core/policy/tenant-throttle';

const at = (iso: string) => Date.parse(iso);

/** A counter as the throttle table keeps it: per tenant and window start. */
function memoryCounter(): RequestCounter & { windows: string[] } {
  const counts = new Map<string, number>();
  const windows: string[] = [];
  return {
    windows,
    async count(tenantId: string, window: ThrottleWindow) {
      const key = `${tenantId} ${new Date(window.startMs).toISOString()}`;
      windows.push(`${key}..${new Date(window.endMs).toISOString()}`);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      return counts.get(key)!;
    },
  };
}

/** What a request at `nowMs` is told: 'ok', or the 429's Retry-After and description. */
async function outcome(tenantId: string, nowMs: number, counter: RequestCounter, limit: number): Promise<string> {
  try {
    await enforceTenantLimit(tenantId, { counter, limitOf: async () => limit, nowMs });
    return 'ok';
  } catch (error) {
    if (error instanceof TooManyRequestsError) return `429 retry ${error.retryAfterSeconds}: ${error.description}`;
    throw error;
  }
}

describe('throttle window', () => {
  it('is the UTC minute holding the instant, its end excluded', () => {
    expect(throttleWindow(at('2026-03-01T10:15:00.000Z'))).toEqual({
      startMs: at('2026-03-01T10:15:00.000Z'),
      endMs: at('2026-03-01T10:16:00.000Z'),
    });
    expect(throttleWindow(at('2026-03-01T10:15:59.999Z'))).toEqual({
      startMs: at('2026-03-01T10:15:00.000Z'),
      endMs: at('2026-03-01T10:16:00.000Z'),
    });
    expect(throttleWindow(at('2026-03-01T10:16:00.000Z')).startMs).toBe(at('2026-03-01T10:16:00.000Z'));
  });
});

describe('decideThrottle', () => {
  const end = at('2026-03-01T10:16:00.000Z');

  it('allows up to the limit exactly and refuses the next request', () => {
    expect(decideThrottle({ limit: 5, count: 5, windowEndMs: end, nowMs: end - 30_000 })).toEqual({ kind: 'allow' });
    expect(decideThrottle({ limit: 5, count: 6, windowEndMs: end, nowMs: end - 30_000 })).toEqual({
      kind: 'refuse',
      retryAfterSeconds: 30,
    });
  });

  it('asks to retry when the window ends, in whole seconds rounded up, never 0', () => {
    expect(decideThrottle({ limit: 1, count: 2, windowEndMs: end, nowMs: end - 60_000 })).toEqual({
      kind: 'refuse',
      retryAfterSeconds: 60,
    });
    expect(decideThrottle({ limit: 1, count: 2, windowEndMs: end, nowMs: end - 12_400 })).toEqual({
      kind: 'refuse',
      retryAfterSeconds: 13,
    });
    expect(decideThrottle({ limit: 1, count: 2, windowEndMs: end, nowMs: end - 1 })).toEqual({ kind: 'refuse', retryAfterSeconds: 1 });
  });
});

describe('requestsPerMinuteOf', () => {
  it("is the tenant's own limit, else a default far above what polling needs (TAXII-CLIENTS #26)", () => {
    expect(requestsPerMinuteOf({ requestsPerMinute: 5 })).toBe(5);
    expect(requestsPerMinuteOf({})).toBe(DEFAULT_TENANT_REQUESTS_PER_MINUTE);
    expect(requestsPerMinuteOf(undefined)).toBe(DEFAULT_TENANT_REQUESTS_PER_MINUTE);
    // 1,000 members polling every 5 minutes: 200 requests a minute, thirty times over.
    expect(DEFAULT_TENANT_REQUESTS_PER_MINUTE).toBeGreaterThanOrEqual(30 * (1000 / 5));
  });
});

describe('enforceTenantLimit', () => {
  it('lets the limit through, refuses the rest of the minute with Retry-After, and starts afresh at the next minute', async () => {
    const counter = memoryCounter();
    const t0 = at('2026-03-01T10:15:40.000Z');

    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await outcome('ics-isac', t0 + i * 1000, counter, 3));
    answers.push(await outcome('ics-isac', at('2026-03-01T10:15:59.999Z'), counter, 3));
    answers.push(await outcome('ics-isac', at('2026-03-01T10:16:00.000Z'), counter, 3));

    expect(answers).toEqual([
      'ok',
      'ok',
      'ok',
      '429 retry 17: Tenant ics-isac is limited to 3 TAXII requests per minute and has used them; retry in 17 seconds',
      '429 retry 1: Tenant ics-isac is limited to 3 TAXII requests per minute and has used them; retry in 1 second',
      'ok',
    ]);
    expect(counter.windows.at(-1)).toBe('ics-isac 2026-03-01T10:16:00.000Z..2026-03-01T10:17:00.000Z');
  });

  it('counts each tenant on its own', async () => {
    const counter = memoryCounter();
    const now = at('2026-03-01T10:15:00.000Z');
    await outcome('ics-isac', now, counter, 1);

    expect(await outcome('ics-isac', now, counter, 1)).toMatch(/^429/);
    expect(await outcome('fin-isac', now, counter, 1)).toBe('ok');
  });
});
