import { DynamoCorroborationStore } from '../../shared/adapters/dynamodb/corroboration-store';
import type { Report } from '../../shared/core/pipeline/dedupe';
import { freshTables } from '../support/tables';

let store: DynamoCorroborationStore;
let close: () => void;
beforeAll(async () => {
  const t = await freshTables('corroboration');
  store = new DynamoCorroborationStore(t.documentClient, t.tables.objects!);
  close = t.close;
});
afterAll(() => close());

describe('DynamoCorroborationStore on DynamoDB Local', () => {
  it('keeps the first object, counts each reporter once, and tracks first and last seen', async () => {
    const one = async (r: Omit<Report, 'key'>) => (await store.report('t', 'c', [{ key: 'k1', ...r }]))[0]!;
    const first = await one({ objectId: 'indicator--a', providerMemberId: 'acme', seenAt: '2026-01-01T00:00:00.000Z' });
    const second = await one({ objectId: 'indicator--b', providerMemberId: 'beta', seenAt: '2026-01-03T00:00:00.000Z' });
    const again = await one({ objectId: 'indicator--b', providerMemberId: 'beta', seenAt: '2026-01-03T00:00:00.000Z' });
    const late = await one({ objectId: 'indicator--c', providerMemberId: 'gamma', seenAt: '2026-01-02T00:00:00.000Z' });

    expect(first).toEqual({
      objectId: 'indicator--a',
      reporters: 1,
      firstSeen: '2026-01-01T00:00:00.000Z',
      lastSeen: '2026-01-01T00:00:00.000Z',
      newReporter: true,
    });
    expect(second).toEqual({
      objectId: 'indicator--a',
      reporters: 2,
      firstSeen: '2026-01-01T00:00:00.000Z',
      lastSeen: '2026-01-03T00:00:00.000Z',
      newReporter: true,
    });
    expect(again).toEqual({ ...second, newReporter: false });
    expect(late).toEqual({
      objectId: 'indicator--a',
      reporters: 3,
      firstSeen: '2026-01-01T00:00:00.000Z',
      lastSeen: '2026-01-03T00:00:00.000Z',
      newReporter: true,
    });
  });

  it('answers a batch in order, creating new things together and counting repeats within the batch', async () => {
    const answers = await store.report('t', 'c', [
      { key: 'b1', objectId: 'indicator--1', providerMemberId: 'acme', seenAt: '2026-03-01T00:00:00.000Z' },
      { key: 'b2', objectId: 'indicator--2', providerMemberId: 'acme', seenAt: '2026-03-01T00:00:00.000Z' },
      { key: 'b1', objectId: 'indicator--3', providerMemberId: 'beta', seenAt: '2026-03-01T00:00:00.000Z' },
    ]);
    expect(answers.map((a) => [a.objectId, a.reporters, a.newReporter])).toEqual([
      ['indicator--1', 1, true],
      ['indicator--2', 1, true],
      ['indicator--1', 2, true],
    ]);
  });

  it('releases a key only while the named object still holds it', async () => {
    await store.report('t', 'c', [
      { key: 'r1', objectId: 'indicator--gone', providerMemberId: 'acme', seenAt: '2026-04-01T00:00:00.000Z' },
      { key: 'r2', objectId: 'indicator--kept', providerMemberId: 'acme', seenAt: '2026-04-01T00:00:00.000Z' },
    ]);

    await store.release('t', 'c', [
      { key: 'r1', objectId: 'indicator--gone' },
      { key: 'r2', objectId: 'indicator--someone-else' },
      { key: 'never-reported', objectId: 'indicator--gone' },
    ]);
    const after = await store.report('t', 'c', [
      { key: 'r1', objectId: 'indicator--new', providerMemberId: 'beta', seenAt: '2026-04-02T00:00:00.000Z' },
    ]);

    expect(after).toEqual([
      {
        objectId: 'indicator--new',
        reporters: 1,
        firstSeen: '2026-04-02T00:00:00.000Z',
        lastSeen: '2026-04-02T00:00:00.000Z',
        newReporter: true,
      },
    ]);
    expect(await store.recordOf('t', 'c', 'r2')).toEqual({ objectId: 'indicator--kept', reporters: 1 });
    expect(await store.recordOf('t', 'c', 'never-reported')).toBeUndefined();
  });

  it('counts concurrent reports of the same thing exactly', async () => {
    const reports = (
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          store.report('t', 'c', [
            { key: 'k2', objectId: `indicator--${i}`, providerMemberId: `m${i % 4}`, seenAt: '2026-02-01T00:00:00.000Z' },
          ]),
        ),
      )
    ).flat();
    const [final] = await store.report('t', 'c', [
      { key: 'k2', objectId: 'indicator--x', providerMemberId: 'm0', seenAt: '2026-02-01T00:00:00.000Z' },
    ]);

    expect(final!.reporters).toBe(4);
    expect(new Set(reports.map((r) => r.objectId)).size).toBe(1);
    expect(reports.filter((r) => r.newReporter).length).toBe(4);
  });
});
