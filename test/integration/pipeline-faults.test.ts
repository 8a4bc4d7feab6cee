import type { SQSEvent } from 'aws-lambda';
import type { LambdaHandler } from '../../infra/local/lambda-context';
import { container } from '../../shared/runtime/composition-root';
import { runInEnvironment } from '../../shared/runtime/config';
import { startSeededPlatform, type SeededPlatform } from '../support/platform';
import { indicator, settled, share, taxiiClient, type EnvelopeBody, type StatusBody } from '../support/taxii-client';

/**
 * SQS delivers at least once and Lambda retries: a stage that dies halfway through a batch, after some of its
 * side effects, must leave neither a lost object nor a second copy nor a double count.
 */
let env: SeededPlatform;
const crashes: Record<string, number> = {};

/** On its first two batches the stage handles only the first half of the records, then dies. */
function dieMidBatch(entry: string, handler: LambdaHandler): LambdaHandler {
  if (!/pipeline\/(dedupe|commit|anonymize)\.ts$/.test(entry)) return handler;
  return async (event, context) => {
    const records = (event as SQSEvent).Records;
    if ((crashes[entry] ?? 0) < 2 && records.length > 0) {
      crashes[entry] = (crashes[entry] ?? 0) + 1;
      await handler({ Records: records.slice(0, Math.ceil(records.length / 2)) }, context);
      throw new Error(`${entry} killed mid-batch`);
    }
    return handler(event, context);
  };
}

/**
 * A message SQS hands over that can never be processed: the normalize stage receives POSTs named 'poison-pill' with
 * an access scope that is not one, and POSTs named 'poison-garbage' with items that are not a list.
 */
function poisonBodies(entry: string, handler: LambdaHandler): LambdaHandler {
  if (!/pipeline\/normalize\.ts$/.test(entry)) return handler;
  return async (event, context) => {
    const Records = (event as SQSEvent).Records.map((record) => {
      if (record.body.includes('poison-pill')) {
        const message = JSON.parse(record.body) as { items: Array<Record<string, unknown>> };
        return { ...record, body: JSON.stringify({ ...message, items: message.items.map((item) => ({ ...item, access: 'broken' })) }) };
      }
      if (record.body.includes('poison-garbage'))
        return { ...record, body: JSON.stringify({ ...JSON.parse(record.body), items: 'garbage' }) };
      return record;
    });
    return handler({ Records }, context);
  };
}

// A POST is one message: a redelivery after 5 s, not 2, so that a message still being processed on a loaded machine is
// not handed to a second instance meanwhile (which is correct, but multiplies the work the test waits for).
beforeAll(async () => {
  env = await startSeededPlatform('faults', {
    visibilityTimeoutSeconds: 5,
    wrapHandler: (entry, handler) => poisonBodies(entry, dieMidBatch(entry, handler)),
  });
}, 60000);
afterAll(async () => env?.platform.stop(), 60000);

/** The container one stage's function runs with (each function has its own, as on Lambda). */
const containerOf = (entry: string) => runInEnvironment(env.platform.environmentOf(entry), () => container());

it('loses nothing and duplicates nothing when stages die mid-batch', async () => {
  const provider = taxiiClient(env, 'ics-provider');
  const other = taxiiClient(env, 'ics-consumer');
  const reader = taxiiClient(env, 'ics-reader');
  const collection = `/ics-isac/collections/${env.demo.tenants[0]!.collections[0]!.id}/`;
  const objects = Array.from({ length: 450 }, () => indicator());
  const shared = objects.slice(0, 5).map((o) => ({ ...indicator({ pattern: o.pattern }), name: 'seen here too' }));

  const [first, second] = await Promise.all([share(provider, collection, objects), share(other, collection, shared)]);
  const published = (await reader.get<EnvelopeBody>(`${collection}objects/?limit=1000`)).body.objects;
  const indicators = published.filter((o) => o.type === 'indicator');
  const sightings = published.filter((o) => o.type === 'sighting');

  expect(Object.values(crashes).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(4);
  expect(first.success_count + second.success_count).toBe(455);
  expect(indicators.length).toBe(450);
  expect(new Set(indicators.map((o) => o.id)).size).toBe(450);
  // Five indicators reported by two members: five sightings, each counting two reporters, never three.
  expect(sightings.length).toBe(5);
  expect(sightings.every((s) => s.count === 2)).toBe(true);
}, 120000);

describe('transient and permanent failures', () => {
  const collection = () => `/ics-isac/collections/${env.demo.tenants[0]!.collections[0]!.id}/`;
  const post = async (objects: unknown[]) => {
    const provider = taxiiClient(env, 'ics-provider');
    const posted = await provider.post<StatusBody>(`${collection()}objects/`, { objects });
    return settled(provider, 'ics-isac', posted.body.id);
  };

  it('settles a malformed message with the reason, for the entries it carried or, if none reads, every pending one', async () => {
    const pill = [indicator({ name: 'poison-pill' }), indicator({ name: 'poison-pill' })];
    const garbage = [indicator({ name: 'poison-garbage' })];

    const [one, two] = await Promise.all([post(pill), post(garbage)]);

    expect(one.failures.map((f) => [f.id, f.message])).toEqual(
      pill.map((o) => [o.id, expect.stringMatching(/^Not processed \(normalize\): .*access/s)]),
    );
    expect(two.failures.map((f) => [f.id, f.message])).toEqual(
      garbage.map((o) => [o.id, expect.stringMatching(/^Not processed \(normalize\): .*items/s)]),
    );
  }, 60000);

  it('retries a stage whose status store is briefly unavailable, then succeeds: published once', async () => {
    // Prepare: the next status write fails (the first is commit's: a clean indicator settles nowhere earlier).
    const statuses = containerOf('functions/pipeline/commit.ts').statuses;
    const settle = statuses.settle.bind(statuses);
    let calls = 0;
    statuses.settle = async (...args) => {
      calls++;
      if (calls === 1) throw new Error('ProvisionedThroughputExceededException (simulated)');
      return settle(...args);
    };
    const object = indicator({ name: 'committed on the second receive' });

    try {
      // Act
      const status = await post([object]);

      // Assess
      expect(calls).toBeGreaterThanOrEqual(2);
      expect([status.success_count, status.failure_count]).toEqual([1, 0]);
      const versions = (await taxiiClient(env, 'ics-reader').get<{ versions: string[] }>(`${collection()}objects/${object.id}/versions/`))
        .body.versions;
      expect(versions).toEqual([object.modified]);
    } finally {
      statuses.settle = settle;
    }
  }, 60000);

  it('settles, on the last receive, a message a stage fails on every time, with the class of the failure and not its text', async () => {
    // Prepare: dedupe's store refuses every report of this object (a bug, not the data: nothing settles it).
    const doomed = indicator({ name: 'fails in dedupe every time' });
    const corroboration = containerOf('functions/pipeline/dedupe.ts').corroboration;
    const report = corroboration.report.bind(corroboration);
    corroboration.report = async (tenantId, collectionId, reports) => {
      if (reports.some((r) => r.objectId === doomed.id)) throw new Error('simulated defect in dedupe');
      return report(tenantId, collectionId, reports);
    };

    try {
      // Act
      const status = await post([doomed]);

      // Assess
      expect(status.failures.map((f) => [f.id, f.message])).toEqual([
        [
          doomed.id,
          'Not processed (dedupe): the pipeline could not process this object after 5 attempts (an internal error of the platform); the operators have the details',
        ],
      ]);
      // The error's own text is for the operators only.
      expect(JSON.stringify(status)).not.toMatch(/simulated|defect/);
    } finally {
      corroboration.report = report;
    }
  }, 90000);
});
