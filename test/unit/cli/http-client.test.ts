import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { ApiError, CliError } from '../../../cli/errors';
import { createApiClient, TAXII_MEDIA_TYPE } from '../../../cli/http-client';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}
type Answer = { status: number; body?: string; headers?: Record<string, string> };

/** A local API that records each request and answers from the script, then 200 `{}`. */
async function scriptedApi(script: Answer[]): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push({ method: request.method!, url: request.url!, headers: request.headers, body });
      const answer = script[seen.length - 1] ?? { status: 200, body: '{}' };
      response.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
      response.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/`, seen, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('the one HTTP client of the API', () => {
  it('sends the Authorization header and the TAXII or JSON media type, and encodes the body', async () => {
    const api = await scriptedApi([{ status: 202, body: '{"id":"s1"}' }, { status: 200, body: '{"ok":true}' }, { status: 200 }]);
    const client = createApiClient({ endpoint: api.url, authorization: 'Bearer kyk_1' });

    const answers = [
      await client.call('POST', '/t/collections/c/objects/', { body: { objects: [] }, taxii: true }),
      await client.call('GET', '/admin/whoami'),
      await client.call('POST', '/t/collections/c/indicators/', { body: '10.0.0.1\n', taxii: true, contentType: 'text/plain' }),
    ];
    await api.close();

    expect(answers).toEqual([{ id: 's1' }, { ok: true }, undefined]);
    expect(api.seen.map((s) => [s.method, s.url, s.headers.authorization, s.headers.accept, s.headers['content-type'], s.body])).toEqual([
      ['POST', '/t/collections/c/objects/', 'Bearer kyk_1', TAXII_MEDIA_TYPE, TAXII_MEDIA_TYPE, '{"objects":[]}'],
      ['GET', '/admin/whoami', 'Bearer kyk_1', 'application/json', undefined, ''],
      ['POST', '/t/collections/c/indicators/', 'Bearer kyk_1', TAXII_MEDIA_TYPE, 'text/plain', '10.0.0.1\n'],
    ]);
  });

  it("turns an error body's description into the error, and hands back statuses a caller expects", async () => {
    const description = 'Only platform operators may create tenants';
    const taxiiError = JSON.stringify({ title: 'Forbidden', description, http_status: '403' });
    const api = await scriptedApi([
      { status: 403, body: taxiiError },
      { status: 502, body: 'Bad Gateway' },
      { status: 303, body: '{"url":"http://storage/x"}', headers: { Location: 'http://storage/x' } },
    ]);
    const client = createApiClient({ endpoint: `${api.url}//`, authorization: 'Basic eDp5' });

    const refused = await client.call('POST', '/admin/tenants', { body: {} }).catch((e: unknown) => e);
    const gateway = await client.call('GET', '/taxii2/').catch((e: unknown) => e);
    const located = await client.call('GET', '/t/collections/c/attachments/f/content/', { redirect: 'manual', expected: [303] });
    await api.close();

    expect(refused).toBeInstanceOf(ApiError);
    expect([(refused as ApiError).message, (refused as ApiError).status]).toEqual([`POST /admin/tenants: 403 ${description}`, 403]);
    expect((gateway as Error).message).toBe('GET /taxii2/: 502 Bad Gateway');
    expect(located).toEqual({ url: 'http://storage/x' });
    expect(api.seen.map((s) => s.url)).toEqual(['/admin/tenants', '/taxii2/', '/t/collections/c/attachments/f/content/']);
  });

  it('waits out a 429 as Retry-After says, telling the caller; with retry off it hands the 429 back', async () => {
    const api = await scriptedApi([
      { status: 429, headers: { 'Retry-After': '3' }, body: '{}' },
      { status: 200, body: '{"n":1}' },
    ]);
    const waits: Array<[string, string, number, number]> = [];
    const retrying = createApiClient({
      endpoint: api.url,
      authorization: 'Bearer k',
      retry: { sleep: async () => undefined, onWait: (method, path, seconds, retry) => void waits.push([method, path, seconds, retry]) },
    });
    const answered = await retrying.call('GET', '/t/collections/');
    const throttled = await scriptedApi([{ status: 429, headers: { 'Retry-After': '3' }, body: '{"title":"Too Many Requests"}' }]);
    const raw = createApiClient({ endpoint: throttled.url, authorization: 'Bearer k', retry: false });

    const answer = await raw.send('GET', '/t/collections/', { taxii: true });
    await Promise.all([api.close(), throttled.close()]);

    expect([answered, waits, api.seen.length]).toEqual([{ n: 1 }, [['GET', '/t/collections/', 3, 1]], 2]);
    const handedBack = [answer.status, answer.headers.get('retry-after'), answer.body, throttled.seen.length];
    expect(handedBack).toEqual([429, '3', { title: 'Too Many Requests' }, 1]);
  });

  it('says which endpoint it cannot reach', async () => {
    const api = await scriptedApi([]);
    await api.close();
    const client = createApiClient({ endpoint: api.url, authorization: 'Bearer k' });

    const failure = await client.call('GET', '/admin/whoami').catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(CliError);
    expect((failure as Error).message).toMatch(new RegExp(`^Cannot reach ${api.url.replace(/\/$/, '')}: .*ECONNREFUSED`));
  });
});
