import { setTimeout as sleep } from 'node:timers/promises';
import { inEnvironment, resourceEnvironment, type LocalGrants } from '../../infra/local/function-env';
import { allFunctions, auditMacKey, buckets, queueConsumers, secrets, tables, type FunctionDefinition } from '../../infra/topology';
import { ConfigurationError } from '../../shared/core/errors';
import { container } from '../../shared/runtime/composition-root';
import { tableName } from '../../shared/runtime/config';
import { bucketEnv, deadLetterQueueEnv, queueEnv, secretEnv, tableEnv } from '../../shared/runtime/resource-env';

/** The local platform's resources as names, as infra/local/resources.ts creates them (nothing runs here). */
const GRANTS: LocalGrants = {
  resources: {
    tables: Object.fromEntries(Object.keys(tables).map((t) => [t, `t-${t}`])),
    queues: Object.fromEntries(
      queueConsumers.map(({ name: q }) => [q, { url: `http://sqs/${q}`, arn: `arn:${q}`, dlqUrl: `http://sqs/${q}-dlq` }]),
    ),
    buckets: Object.fromEntries(Object.keys(buckets).map((b) => [b, `b-${b}`])),
    env: {},
  },
  secretIds: Object.fromEntries(Object.keys(secrets).map((name) => [name, `local/${name}`])) as LocalGrants['secretIds'],
  auditMacSecret: 'm'.repeat(48),
};

const BASE = { AWS_REGION: 'eu-west-1', LOG_LEVEL: 'silent' };

/** The variables infra/aws/handler-function.ts sets from `uses` (test/infra/platform.test.ts proves it), locally. */
const expectedNames = (d: FunctionDefinition): string[] =>
  [
    ...Object.keys(d.uses.tables ?? {}).map(tableEnv),
    ...(d.uses.queues ?? []).map(queueEnv),
    ...Object.keys(d.uses.buckets ?? {}).map(bucketEnv),
    ...(d.uses.deadLetterQueues ?? []).map(deadLetterQueueEnv),
    ...(d.uses.secrets ?? []).map(secretEnv),
    ...(d.uses.auditMac ? [auditMacKey.secretEnvVar] : []),
  ].sort();

describe('a local function environment', () => {
  it('holds exactly the resources its topology entry declares, for every function', () => {
    for (const [entry, definition] of allFunctions()) {
      expect([entry, Object.keys(resourceEnvironment(definition.uses, GRANTS)).sort()]).toEqual([entry, expectedNames(definition)]);
    }
  });

  it('fails a handler that reads a table its uses omit, naming the table and where to declare it, as on AWS', async () => {
    // Prepare: a function declaring the directory only, whose code reads the objects table.
    const env = { ...BASE, ...resourceEnvironment({ tables: { directory: 'read' } }, GRANTS) };
    const handler = inEnvironment(env, async () => container().objects);

    // Act
    const outcome = await handler({}, {} as never).then(
      () => undefined,
      (error: unknown) => error,
    );

    // Assess
    expect(outcome).toBeInstanceOf(ConfigurationError);
    expect((outcome as Error).message).toBe(
      'This function may not use the objects table: its uses in infra/topology.ts do not declare it (TABLE_OBJECTS is not set)',
    );
  });

  it('gives the same handler the table once its uses declare it', async () => {
    // Prepare
    const env = { ...BASE, ...resourceEnvironment({ tables: { directory: 'read', objects: 'read' } }, GRANTS) };

    // Act
    const name = await inEnvironment(env, async () => tableName('objects'))({}, {} as never);

    // Assess
    expect(name).toBe('t-objects');
  });

  it('keeps concurrent invocations of different functions apart: each sees only its own tables, and its own container', async () => {
    // Prepare: two functions, one with the objects table and one with the statuses table, their invocations interleaved.
    const reader = { ...BASE, ...resourceEnvironment({ tables: { objects: 'read' } }, GRANTS) };
    const writer = { ...BASE, ...resourceEnvironment({ tables: { statuses: 'write' } }, GRANTS) };
    const tablesOf = () =>
      ['objects', 'statuses'].filter((table) => {
        try {
          return tableName(table) !== '';
        } catch {
          return false;
        }
      });
    const probe = (delays: number[]) => async () => {
      const seen: string[][] = [];
      for (const ms of delays) {
        await sleep(ms);
        seen.push(tablesOf());
      }
      return { seen, container: container() };
    };

    // Act
    const [a, b] = await Promise.all([
      inEnvironment(reader, probe([5, 1, 8, 2]))({}, {} as never),
      inEnvironment(writer, probe([1, 7, 2, 6]))({}, {} as never),
    ]);

    // Assess
    expect(a.seen).toEqual(Array(4).fill(['objects']));
    expect(b.seen).toEqual(Array(4).fill(['statuses']));
    expect(a.container).not.toBe(b.container);
    expect(a.container).toBe((await inEnvironment(reader, probe([]))({}, {} as never)).container);
  });
});
