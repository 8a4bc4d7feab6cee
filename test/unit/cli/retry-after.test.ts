import { createServer, type Server } from 'node:http';
import { MAX_RETRIES, RETRY_AFTER_CAP_SECONDS, retryAfterSeconds, withRetryAfter } from '../../../cli/retry-after';

/** A local server that answers the scripted statuses in turn (each with its Retry-After), then 200. */
async function scriptedServer(
  script: Array<[number, string | undefined]>,
): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server: Server = createServer((_request, response) => {
    const [status, retryAfter] = script[count++] ?? [200, undefined];
    response.writeHead(status, { 'Content-Type': 'application/json', ...(retryAfter === undefined ? {} : { 'Retry-After': retryAfter }) });
    response.end(JSON.stringify({ status }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/`, requests: () => count, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('the CLI honours 429 + Retry-After (RFC 6585 §4)', () => {
  it('waits what Retry-After says, retries, and returns the answer that follows', async () => {
    const server = await scriptedServer([
      [429, '7'],
      [429, '2'],
    ]);
    const waits: number[] = [];

    const response = await withRetryAfter(() => fetch(server.url), { sleep: async (s) => void waits.push(s) });
    await server.close();

    expect(response.status).toBe(200);
    expect(waits).toEqual([7, 2]);
    expect(server.requests()).toBe(3);
  });

  it(`gives up after ${MAX_RETRIES} retries and hands back the 429`, async () => {
    const server = await scriptedServer(Array.from({ length: 10 }, () => [429, '1'] as [number, string]));
    const waits: number[] = [];

    const response = await withRetryAfter(() => fetch(server.url), { sleep: async (s) => void waits.push(s) });
    await server.close();

    expect(response.status).toBe(429);
    expect(waits).toHaveLength(MAX_RETRIES);
    expect(server.requests()).toBe(MAX_RETRIES + 1);
  });

  it('does not retry other errors', async () => {
    const server = await scriptedServer([[503, '1']]);
    const response = await withRetryAfter(() => fetch(server.url), { sleep: async () => undefined });
    await server.close();

    expect(response.status).toBe(503);
    expect(server.requests()).toBe(1);
  });

  it.each([
    ['5', 5],
    ['0', 0],
    ['86400', RETRY_AFTER_CAP_SECONDS],
    [null, 1],
    ['soon', 1],
    ['-3', 1],
    ['Thu, 01 Jan 2026 00:00:30 GMT', 30],
    ['Wed, 31 Dec 2025 23:00:00 GMT', 0],
  ])('reads Retry-After %p as %p seconds (delay-seconds or HTTP-date, capped)', (header, seconds) => {
    expect(retryAfterSeconds(header, Date.parse('2026-01-01T00:00:00Z'))).toBe(seconds);
  });
});
