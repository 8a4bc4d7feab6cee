import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DirectoryStore } from '../shared/core/ports';
import { createContainer } from '../shared/runtime/composition-root';
import { URGENT_LABEL } from '../shared/core/alerts/trigger';
import type { NewVersion } from '../shared/core/taxii/model';
import { indicatorVersion, percentile } from './fixtures';

/** One loopback server standing in for many receivers (one URL path each): when each object's alert arrived. */
async function receivers(): Promise<{ url: string; arrivals: Map<string, number[]>; server: Server }> {
  const arrivals = new Map<string, number[]>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { objects: Array<{ id: string }> } }).data.objects[0]!.id;
      arrivals.set(id, [...(arrivals.get(id) ?? []), at]);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, arrivals, server };
}

const version = (tenantId: string, collectionId: string, n: number): NewVersion =>
  indicatorVersion({
    tenantId,
    collectionId,
    id: `indicator--${String(n).padStart(8, '0')}-0000-4000-8000-0000000a1e47`,
    created: new Date(Date.UTC(2026, 11, 1) + n * 1000).toISOString(),
    name: `Alert ${n}`,
    labels: [URGENT_LABEL],
    pattern: "[ipv4-addr:value = '203.0.113.9']",
  });

async function waitFor(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not done after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Alerts (issue #16's targets): commit → webhook delivered to a local receiver (p50 < 1 s, p95 < 3 s), and one alert
 * fanned out to 1,000 members' webhooks (all within 60 s). Members, grants and subscriptions are written straight to
 * the stores; the commit goes through the platform's own (alerting) object store, as the commit stage's would.
 */
export async function benchAlerts(
  tenantId: string,
  collectionId: string,
  directory: DirectoryStore,
  members = 1000,
  samples = 40,
): Promise<void> {
  const c = createContainer();
  const { url, arrivals, server } = await receivers();
  const at = new Date().toISOString();
  const subscribe = (memberId: string) =>
    c.subscriptions.put(
      {
        tenantId,
        memberId,
        id: crypto.randomUUID(),
        channel: { kind: 'webhook', url: `${url}/${memberId}` },
        filters: { collections: [], types: [], labels: [], minConfidence: 0, urgentOnly: false },
        payload: 'thin',
        role: 'primary',
        status: 'active',
        createdAt: at,
        updatedAt: at,
      },
      [`whsec_${Buffer.alloc(32, 1).toString('base64')}`],
    );
  try {
    // Latency: one subscriber (hokuriku-water), alerts one after another.
    await subscribe('hokuriku-water');
    const latencies: number[] = [];
    for (let n = 0; n < samples; n++) {
      const v = version(tenantId, collectionId, n);
      const t0 = performance.now();
      await c.objects.commit(tenantId, collectionId, [v], Date.now());
      await waitFor(() => arrivals.has(v.objectId), 30_000);
      if (n >= 3) latencies.push(arrivals.get(v.objectId)![0]! - t0); // the first alerts warm the handlers
    }
    process.stdout.write(
      `\nalerts: commit → webhook delivered (${latencies.length} alerts, one receiver): p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p95 ${percentile(latencies, 0.95).toFixed(0)} ms\n`,
    );

    // Fan-out: 1,000 members, each with a grant and a webhook.
    for (let i = 0; i < members; i++) {
      const memberId = `bench-member-${String(i).padStart(4, '0')}`;
      await directory.createMember({
        tenantId,
        id: memberId,
        nameEn: memberId,
        nameJa: memberId,
        sector: 'bench',
        tier: 0,
        status: 'active',
        secretOptIn: false,
      });
      await directory.putGrant({
        tenantId,
        collectionId,
        grantee: { kind: 'member', memberId },
        read: true,
        write: false,
        clearance: 'green',
        samples: false,
      });
      await subscribe(memberId);
    }
    const v = version(tenantId, collectionId, 10_000);
    const t0 = performance.now();
    await c.objects.commit(tenantId, collectionId, [v], Date.now());
    const expected = members + 1;
    await waitFor(() => (arrivals.get(v.objectId)?.length ?? 0) >= expected, 300_000);
    const all = arrivals.get(v.objectId)!.map((t) => t - t0);
    process.stdout.write(
      `alerts: one alert to ${expected} member webhooks: first ${(Math.min(...all) / 1000).toFixed(2)} s, p50 ${(percentile(all, 0.5) / 1000).toFixed(2)} s, all ${(Math.max(...all) / 1000).toFixed(2)} s\n`,
    );
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
