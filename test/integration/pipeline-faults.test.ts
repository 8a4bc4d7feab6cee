import type { SQSEvent } from 'aws-lambda';
import type { LambdaHandler } from '../../infra/local/lambda-context';
import { startSeededPlatform, type SeededPlatform } from '../support/platform';
import { indicator, share, taxiiClient, type EnvelopeBody } from '../support/taxii-client';

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

// A POST is one message: a redelivery after 5 s, not 2, so that a message still being processed on a loaded machine is
// not handed to a second instance meanwhile (which is correct, but multiplies the work the test waits for).
beforeAll(async () => {
  env = await startSeededPlatform('faults', { visibilityTimeoutSeconds: 5, wrapHandler: dieMidBatch });
}, 60000);
afterAll(async () => env?.platform.stop(), 60000);

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
