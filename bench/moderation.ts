import { DynamoModerationStore } from '../shared/adapters/dynamodb/moderation-store';
import type { ModerationItem } from '../shared/core/moderation/queue';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

interface BenchTenant {
  id: string;
  api_root: string;
  collections: Array<{ id: string }>;
}

/**
 * Moderation (issue #14's targets): the first page of a 10,000-item queue over the admin API, and the time from a
 * moderator's approval to the object being readable by a poller. Items are queued straight into the store (what the
 * commit stage would have written), so the queue's size does not depend on the pipeline's speed.
 */
export async function benchModeration(
  tenant: BenchTenant,
  credentials: { moderator: string; poller: string },
  documentClient: DynamoDBDocumentClient,
  objectsTable: string,
  baseUrl: string,
  size = 10_000,
): Promise<void> {
  const store = new DynamoModerationStore(documentClient, objectsTable);
  const collectionId = tenant.collections[0]!.id;
  const at = (i: number) => new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString();
  const itemOf = (i: number): ModerationItem => {
    const id = `indicator--${String(i).padStart(8, '0')}-0000-4000-8000-00000000b3c4`;
    const object = {
      type: 'indicator',
      spec_version: '2.1',
      id,
      created: at(i),
      modified: at(i),
      name: `Queued C2 ${i}`,
      pattern: `[ipv4-addr:value = '203.0.${Math.floor(i / 256) % 256}.${i % 256}']`,
      pattern_type: 'stix',
      valid_from: at(i),
      object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
    };
    return {
      tenantId: tenant.id,
      itemId: `${at(i)}~bench~${String(i).padStart(6, '0')}`,
      collectionId,
      statusId: 'bench',
      entry: i,
      objectId: id,
      providerMemberId: 'kanto-power',
      access: { tlp: 'green', recipients: [], secret: false, providerMemberId: 'kanto-power' },
      reason: 'the collection is moderated',
      object,
      state: 'queued',
      queuedAt: at(i),
      updatedAt: at(i),
      revision: 1,
      history: [{ at: at(i), action: 'queued' }],
    };
  };
  for (let start = 0; start < size; start += 200)
    await store.enqueue(Array.from({ length: Math.min(200, size - start) }, (_, k) => itemOf(start + k)));

  const admin = { Authorization: credentials.moderator, Accept: 'application/json' };
  const queueUrl = `${baseUrl}/admin/tenants/${tenant.id}/moderation?limit=50`;
  const firstPage: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    const response = await fetch(queueUrl, { headers: admin });
    const body = (await response.json()) as { items?: unknown[] };
    if (response.status !== 200 || body.items?.length !== 50) throw new Error(`queue page failed: ${response.status}`);
    if (i >= 5) firstPage.push(performance.now() - t0);
  }

  const visible: number[] = [];
  for (let i = 0; i < 20; i++) {
    const item = itemOf(i);
    const t0 = performance.now();
    const decided = await fetch(`${baseUrl}/admin/tenants/${tenant.id}/moderation/${item.itemId}/decision`, {
      method: 'POST',
      headers: { ...admin, 'Content-Type': 'application/json' },
      body: JSON.stringify({ decision: 'approve' }),
    });
    if (decided.status !== 200) throw new Error(`approve answered ${decided.status}: ${await decided.text()}`);
    for (;;) {
      const read = await fetch(`${tenant.api_root}collections/${collectionId}/objects/${item.objectId}/`, {
        headers: { Authorization: credentials.poller, Accept: 'application/taxii+json;version=2.1' },
      });
      await read.arrayBuffer();
      if (read.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    visible.push(performance.now() - t0);
  }
  process.stdout.write(
    `moderation: ${size} queued items, first page (limit=50) median ${median(firstPage).toFixed(1)} ms, p95 ${percentile(firstPage, 0.95).toFixed(1)} ms; ` +
      `approval to readable by a poller median ${median(visible).toFixed(1)} ms, p95 ${percentile(visible, 0.95).toFixed(1)} ms\n`,
  );
}
