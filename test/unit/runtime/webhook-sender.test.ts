import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webhookSender } from '../../../shared/runtime/webhook-sender';

/**
 * The SSRF guard at delivery time: whatever was checked when the subscription was stored, the name is resolved again
 * and every address checked before connecting. Loopback receivers here stand in for an internal service.
 */
let server: Server;
let port: number;
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => res.writeHead(req.url === '/later' ? 503 : 204, req.url === '/later' ? { 'Retry-After': '42' } : {}).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('webhook sender', () => {
  const strict = webhookSender({ allowLoopback: false, timeoutMs: 2000 });

  it('refuses, without connecting, a name that resolves to loopback, and loopback and metadata literals', async () => {
    hits = 0;
    for (const url of [
      `https://localhost:${port}/`,
      `http://localhost:${port}/`,
      `https://127.0.0.1:${port}/`,
      `https://[::ffff:127.0.0.1]:${port}/`,
      'https://169.254.169.254/latest/meta-data/',
    ]) {
      const result = await strict(url, {}, '{}');
      expect({ url, refused: 'refused' in result && result.refused }).toEqual({ url, refused: true });
    }
    expect(hits).toBe(0);
  });

  it('calls a loopback receiver only where the deployment allows it, and reads Retry-After', async () => {
    const local = webhookSender({ allowLoopback: true, timeoutMs: 2000 });
    expect(await local(`http://localhost:${port}/`, { 'webhook-id': 'x' }, '{}')).toEqual({ status: 204 });
    expect(await local(`http://127.0.0.1:${port}/later`, {}, '{}')).toEqual({ status: 503, retryAfterSeconds: 42 });
  });
});
