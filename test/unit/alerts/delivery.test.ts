import { nextStep, delaySecondsUntil, retryAfterSeconds, MAX_ATTEMPTS } from '../../../shared/core/alerts/delivery';

describe('delivery steps', () => {
  it('delivers on 2xx, disables on 410, fails at once on a refused address', () => {
    expect(nextStep(1, { status: 204 }, 0)).toEqual({ kind: 'delivered' });
    expect(nextStep(1, { status: 410 }, 0).kind).toBe('disabled');
    expect(nextStep(1, { error: 'refused', refused: true }, 0).kind).toBe('failed');
  });

  it('retries on the Standard Webhooks schedule, honouring a longer Retry-After, and fails after the last attempt', () => {
    expect(nextStep(1, { status: 500 }, 0)).toEqual({ kind: 'retry', dueAtMs: 5_000, reason: 'the receiver answered 500' });
    expect(nextStep(2, { error: 'timeout' }, 0)).toMatchObject({ kind: 'retry', dueAtMs: 300_000 });
    expect(nextStep(1, { status: 503, retryAfterSeconds: 120 }, 0)).toMatchObject({ kind: 'retry', dueAtMs: 120_000 });
    expect(nextStep(1, { status: 429, retryAfterSeconds: 10 ** 9 }, 0)).toMatchObject({ kind: 'retry', dueAtMs: 36_000_000 });
    expect(nextStep(MAX_ATTEMPTS, { status: 500 }, 0).kind).toBe('failed');
  });

  it('reads Retry-After as seconds or a date, and waits in SQS steps of at most 15 minutes', () => {
    expect(retryAfterSeconds('30', 0)).toBe(30);
    expect(retryAfterSeconds(new Date(60_000).toUTCString(), 0)).toBe(60);
    expect(retryAfterSeconds('soon', 0)).toBeUndefined();
    expect(delaySecondsUntil(36_000_000, 0)).toBe(900);
    expect(delaySecondsUntil(4_000, 0)).toBe(4);
  });
});
