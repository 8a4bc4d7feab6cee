/**
 * Polls `probe` until `done` holds for what it returned, then returns that; fails naming the last value after
 * `timeoutMs`. For effects that happen after the answer (audit events batched by the appender): the assertion is on
 * the value returned, never on how long it took.
 */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Not there after ${timeoutMs} ms; last seen: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
