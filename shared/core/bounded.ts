/**
 * `fn` over every value with at most `inFlight` calls pending at once, results in the order of the values: how
 * the core reads many items one by one without flooding a table.
 */
export async function mapBounded<T, R>(values: readonly T[], inFlight: number, fn: (value: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(values.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < values.length; i = next++) results[i] = await fn(values[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, values.length) }, worker));
  return results;
}
