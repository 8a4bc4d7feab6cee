import type { SQSEvent } from 'aws-lambda';
import type { LambdaHandler } from '../../infra/local/lambda-context';
import { adminClient } from '../support/admin-client';
import { startSeededPlatform, type SeededPlatform } from '../support/platform';
import { indicator, settled, share, taxiiClient, type StatusBody } from '../support/taxii-client';

/** A poison message lands in its stage's DLQ with the reason; an operator sees it and replays it; stats add up. */
let env: SeededPlatform;
let poisoned = true;

function poisonFilter(entry: string, handler: LambdaHandler): LambdaHandler {
  if (!entry.endsWith('pipeline/filter.ts')) return handler;
  return async (event, context) => {
    const records = (event as SQSEvent).Records;
    if (poisoned && records.some((r) => r.body.includes('poison pill'))) {
      const clean = records.filter((r) => !r.body.includes('poison pill'));
      const result = (await handler({ Records: clean }, context)) as { batchItemFailures: Array<{ itemIdentifier: string }> };
      const failures = records.filter((r) => r.body.includes('poison pill')).map((r) => ({ itemIdentifier: r.messageId }));
      // What the real runner records when a stage throws for a message.
      for (const f of failures)
        await (await import('../../shared/runtime/composition-root'))
          .container()
          .failures.record('filter', f.itemIdentifier, 'directory unavailable: poison pill');
      return { batchItemFailures: [...result.batchItemFailures, ...failures] };
    }
    return handler(event, context);
  };
}

beforeAll(async () => {
  env = await startSeededPlatform('operations', { visibilityTimeoutSeconds: 1, wrapHandler: poisonFilter });
}, 60000);
afterAll(async () => env?.platform.stop());

it('parks a message that keeps failing in the DLQ with its reason, and replays it on redrive', async () => {
  const provider = taxiiClient(env, 'ics-provider');
  const operator = adminClient(env, 'operator');
  const collection = `/ics-isac/collections/${env.demo.tenants[0]!.collections[0]!.id}/`;
  const healthy = await share(provider, collection, [indicator()]);
  const posted = await provider.post<StatusBody>(`${collection}objects/`, { objects: [indicator({ name: 'poison pill' })] });

  let parked: Array<{ reason?: string; statusId?: string; receiveCount: number }> = [];
  for (let i = 0; i < 60 && parked.length === 0; i++) {
    parked = (await operator.get<{ messages: typeof parked }>('/admin/pipeline/filter/dead-letters')).body.messages;
    await new Promise((r) => setTimeout(r, 500));
  }
  expect(healthy.success_count).toBe(1);
  expect(parked).toEqual([expect.objectContaining({ statusId: posted.body.id, reason: 'directory unavailable: poison pill' })]);
  expect((await provider.get<StatusBody>(`/ics-isac/status/${posted.body.id}/`)).body.pending_count).toBe(1);

  poisoned = false;
  const redriven = await operator.post<{ redriven: number }>('/admin/pipeline/filter/dead-letters/redrive');
  const done = await settled(provider, 'ics-isac', posted.body.id);

  expect(redriven.body.redriven).toBe(1);
  expect(done.success_count).toBe(1);
  expect((await operator.get<{ messages: unknown[] }>('/admin/pipeline/filter/dead-letters')).body.messages).toEqual([]);
}, 90000);

it('shows the funnel to the tenant admin and refuses the dead letters to anyone but operators', async () => {
  const admin = adminClient(env, 'ics-admin');
  const stats = await admin.get<{ stages: Array<{ stage: string; counts: Record<string, number> }> }>('/admin/tenants/ics-isac/stats');
  const byStage = Object.fromEntries(stats.body.stages.map((s) => [s.stage, s.counts]));

  expect(stats.body.stages.map((s) => s.stage)).toEqual(['normalize', 'filter', 'dedupe', 'anonymize', 'commit']);
  expect(byStage.commit!.committed).toBeGreaterThanOrEqual(2);
  expect(byStage.normalize!.received).toBeGreaterThanOrEqual(2);
  expect((await admin.get('/admin/pipeline/filter/dead-letters')).status).toBe(403);
  expect((await adminClient(env, 'fin-admin').get('/admin/tenants/ics-isac/stats')).status).toBe(404);
});
