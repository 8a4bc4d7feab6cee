import { ConfigurationError } from '../../../shared/core/errors';
import type { SecretSource } from '../../../shared/core/ports';
import { SecretLists } from '../../../shared/runtime/secrets';

const A = 'a'.repeat(48);
const B = 'b'.repeat(48);
const ID = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:KyoyuCursorSecret-AbCdEf';

/** A secret source whose value the test sets, counting the reads and failing when told to. */
function source(initial: string) {
  const state = { value: initial, reads: 0, failing: false };
  const src: SecretSource = {
    read: async () => {
      state.reads += 1;
      if (state.failing) throw new Error('Secrets Manager throttled');
      return state.value;
    },
  };
  return { src, state };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('SecretLists', () => {
  it('reads a secret once for the life of the container, however many requests ask', async () => {
    const { src, state } = source(`${A},${B}`);
    const lists = new SecretLists(src, { now: () => 0 });

    lists.prefetch([ID]);
    const answers = await Promise.all(Array.from({ length: 50 }, () => lists.list(ID)));

    expect(state.reads).toBe(1);
    expect(new Set(answers.map((a) => a.join()))).toEqual(new Set([`${A},${B}`]));
  });

  it('serves the kept list at once after the refresh period and the rotated one after the read behind it', async () => {
    const { src, state } = source(A);
    let now = 0;
    const lists = new SecretLists(src, { refreshMs: 1000, now: () => now });
    await lists.list(ID);
    state.value = `${B},${A}`;

    now = 999;
    const beforePeriod = await lists.list(ID);
    now = 1000;
    const atPeriod = await lists.list(ID);
    await settle();
    const afterRefresh = await lists.list(ID);

    expect([beforePeriod, atPeriod, afterRefresh]).toEqual([[A], [A], [B, A]]);
    expect(state.reads).toBe(2);
  });

  it('keeps the last list when a refresh fails, reports it, and tries again only after another period', async () => {
    const { src, state } = source(A);
    let now = 0;
    const failures: string[] = [];
    const lists = new SecretLists(src, {
      refreshMs: 1000,
      now: () => now,
      onRefreshFailed: (id, error) => failures.push(`${id}: ${String(error)}`),
    });
    await lists.list(ID);
    state.failing = true;

    now = 1000;
    await lists.list(ID);
    await settle();
    const kept = await lists.list(ID);
    now = 1500;
    await lists.list(ID);

    expect(kept).toEqual([A]);
    expect(failures).toEqual([`${ID}: Error: Secrets Manager throttled`]);
    expect(state.reads).toBe(2);
  });

  it('does not keep a failed first read: the next request reads again', async () => {
    const { src, state } = source(A);
    const lists = new SecretLists(src, { now: () => 0 });
    state.failing = true;

    lists.prefetch([ID]);
    await settle();
    const first = lists.list(ID);
    await expect(first).rejects.toThrow(/throttled/);
    state.failing = false;
    const second = await lists.list(ID);

    expect(second).toEqual([A]);
    expect(state.reads).toBe(3);
  });

  it('refuses a value that is not a valid list, at the first read', async () => {
    const { src } = source('too-short');
    const lists = new SecretLists(src, { now: () => 0 });

    await expect(lists.list(ID)).rejects.toThrow(ConfigurationError);
  });
});
