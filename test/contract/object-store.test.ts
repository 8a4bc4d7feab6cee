import { DynamoObjectStore } from '../../shared/adapters/dynamodb/object-store';
import type { NewVersion } from '../../shared/core/taxii/model';
import { freshTables } from '../support/tables';

let store: DynamoObjectStore;
let close: () => void;
beforeAll(async () => {
  const t = await freshTables('objects');
  store = new DynamoObjectStore(t.documentClient, t.tables.objects!);
  close = t.close;
});
afterAll(() => close());

let n = 0;
function version(objectId: string, modified: string, extra: Partial<NewVersion> = {}): NewVersion {
  return {
    tenantId: 'ics-isac',
    collectionId: extra.collectionId ?? 'c1',
    objectId,
    type: objectId.split('--')[0]!,
    version: modified,
    specVersion: '2.1',
    mediaType: 'application/stix+json;version=2.1',
    access: { tlp: 'green', recipients: [], secret: false, providerMemberId: 'kanto-power' },
    object: { type: objectId.split('--')[0]!, id: objectId, spec_version: '2.1', created: '2026-01-01T00:00:00.000Z', modified, n: n++ },
    ...extra,
  };
}
const id = (i: number) => `indicator--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

describe('DynamoObjectStore on DynamoDB Local', () => {
  it("refuses an owner-only version of an object another provider shared first; a deleted object's id is free again", async () => {
    const by = (provider: string) => ({
      access: { tlp: 'green' as const, recipients: [], secret: false, providerMemberId: provider },
      ownerOnly: true,
      collectionId: 'owned',
    });
    const now = Date.parse('2026-11-25T00:00:00.000Z');
    const first = await store.commit('ics-isac', 'owned', [version(id(900), '2026-01-01T00:00:00.000Z', by('kanto-power'))], now);
    const other = await store.commit('ics-isac', 'owned', [version(id(900), '2026-02-01T00:00:00.000Z', by('hokuriku-water'))], now);
    const own = await store.commit('ics-isac', 'owned', [version(id(900), '2026-03-01T00:00:00.000Z', by('kanto-power'))], now);
    const correction = await store.commit(
      'ics-isac',
      'owned',
      [version(id(900), '2026-04-01T00:00:00.000Z', { ...by('moderator-member'), ownerOnly: false })],
      now,
    );
    expect([first, other, own, correction].map((r) => r[0]!.kind)).toEqual(['added', 'foreign', 'added', 'added']);
    expect((await store.versionsOf('ics-isac', 'owned', id(900))).map((v) => v.access.providerMemberId)).toEqual([
      'kanto-power',
      'kanto-power',
      'moderator-member',
    ]);
    // Deleted entirely, the id is free again: another provider may share it afresh.
    const all = (await store.versionsOf('ics-isac', 'owned', id(900))).map((v) => v.version);
    await store.deleteVersions('ics-isac', 'owned', id(900), all);
    expect(
      (await store.commit('ics-isac', 'owned', [version(id(900), '2026-05-01T00:00:00.000Z', by('hokuriku-water'))], now))[0]!.kind,
    ).toBe('added');
  });

  it('assigns strictly increasing ms date_added, even within one millisecond, and keeps the object text', async () => {
    const versions = Array.from({ length: 70 }, (_, i) => version(id(i), '2026-01-01T00:00:00.000Z', { collectionId: 'order' }));
    const now = Date.parse('2026-11-25T00:00:00.000Z');

    const results = await store.commit('ics-isac', 'order', versions, now);
    const page = await store.scan('ics-isac', 'order', undefined, 1000);

    expect(results.every((r) => r.kind === 'added')).toBe(true);
    const added = page.entries.map((e) => Date.parse(e.dateAdded));
    expect(added[0]).toBe(now);
    expect(added.every((ms, i) => i === 0 || ms === added[i - 1]! + 1)).toBe(true);
    expect(page.entries.map((e) => e.object)).toEqual(versions.map((v) => v.object));
    expect(page.exhausted).toBe(true);
  });

  it('stores the same object version once', async () => {
    const v = version(id(1), '2026-02-01T00:00:00.000Z', { collectionId: 'dupes' });

    const first = await store.commit('ics-isac', 'dupes', [v, v], Date.now());
    const again = await store.commit('ics-isac', 'dupes', [{ ...v, version: '2026-02-01T00:00:00Z' }], Date.now());

    expect(first.map((r) => r.kind)).toEqual(['added', 'duplicate']);
    expect(again.map((r) => r.kind)).toEqual(['duplicate']);
    expect((await store.versionsOf('ics-isac', 'dupes', id(1))).length).toBe(1);
  });

  it('tracks first and latest versions by version, not by arrival', async () => {
    const c = 'flags';
    await store.commit('ics-isac', c, [version(id(1), '2026-03-02T00:00:00.000Z', { collectionId: c })], Date.now());
    await store.commit('ics-isac', c, [version(id(1), '2026-03-03T00:00:00.000Z', { collectionId: c })], Date.now());
    await store.commit('ics-isac', c, [version(id(1), '2026-03-01T00:00:00.000Z', { collectionId: c })], Date.now());

    const page = await store.scan('ics-isac', c, undefined, 100);
    const flags = Object.fromEntries(page.entries.map((e) => [e.version, [e.isFirst, e.isLatest]]));
    expect(flags).toEqual({
      '2026-03-01T00:00:00.000Z': [true, false],
      '2026-03-02T00:00:00.000Z': [false, false],
      '2026-03-03T00:00:00.000Z': [false, true],
    });
    expect((await store.versionsOf('ics-isac', c, id(1))).map((v) => v.version)).toEqual([
      '2026-03-01T00:00:00.000Z',
      '2026-03-02T00:00:00.000Z',
      '2026-03-03T00:00:00.000Z',
    ]);
  });

  it('never interleaves concurrent committers: every version once, date_added unique and increasing', async () => {
    const c = 'race';
    const batches = Array.from({ length: 6 }, (_, b) =>
      Array.from({ length: 40 }, (_, i) => version(id(b * 100 + i), '2026-01-01T00:00:00.000Z', { collectionId: c })),
    );
    const now = Date.now();

    await Promise.all(batches.map((batch) => store.commit('ics-isac', c, batch, now)));
    const page = await store.scan('ics-isac', c, undefined, 1000);

    expect(page.entries.length).toBe(240);
    expect(new Set(page.entries.map((e) => e.objectId)).size).toBe(240);
    const ms = page.entries.map((e) => Date.parse(e.dateAdded));
    expect(ms.every((m, i) => i === 0 || m > ms[i - 1]!)).toBe(true);
  });

  it('scans after a position, in bounded steps, and says when nothing more is committed', async () => {
    const c = 'paging';
    await store.commit(
      'ics-isac',
      c,
      Array.from({ length: 25 }, (_, i) => version(id(i), '2026-01-01T00:00:00.000Z', { collectionId: c })),
      Date.now(),
    );

    const first = await store.scan('ics-isac', c, undefined, 10);
    const second = await store.scan('ics-isac', c, first.lastScannedMs, 10);
    const third = await store.scan('ics-isac', c, second.lastScannedMs, 10);

    expect([first.entries.length, second.entries.length, third.entries.length]).toEqual([10, 10, 5]);
    expect([first.exhausted, second.exhausted, third.exhausted]).toEqual([false, false, true]);
    const all = [...first.entries, ...second.entries, ...third.entries].map((e) => e.objectId);
    expect(new Set(all).size).toBe(25);
  });

  it('deletes chosen versions and hands the latest flag to the version that remains', async () => {
    const c = 'delete';
    await store.commit(
      'ics-isac',
      c,
      [version(id(1), '2026-04-01T00:00:00.000Z', { collectionId: c }), version(id(1), '2026-04-02T00:00:00.000Z', { collectionId: c })],
      Date.now(),
    );

    const removed = await store.deleteVersions('ics-isac', c, id(1), ['2026-04-02T00:00:00.000Z']);
    const page = await store.scan('ics-isac', c, undefined, 100);

    expect(removed).toBe(1);
    expect(page.entries.map((e) => [e.version, e.isFirst, e.isLatest])).toEqual([['2026-04-01T00:00:00.000Z', true, true]]);
    expect(await store.deleteVersions('ics-isac', c, id(1), ['2026-04-02T00:00:00.000Z'])).toBe(0);
  });

  it('says whether an object has any version stored, and no longer once all are deleted', async () => {
    const c = 'has-versions';
    await store.commit(
      'ics-isac',
      c,
      [version(id(2), '2026-04-01T00:00:00.000Z', { collectionId: c }), version(id(2), '2026-04-02T00:00:00.000Z', { collectionId: c })],
      Date.now(),
    );

    const before = [await store.hasVersions('ics-isac', c, id(2)), await store.hasVersions('ics-isac', c, id(3))];
    await store.deleteVersions('ics-isac', c, id(2), ['2026-04-01T00:00:00.000Z']);
    const one = await store.hasVersions('ics-isac', c, id(2));
    await store.deleteVersions('ics-isac', c, id(2), ['2026-04-02T00:00:00.000Z']);

    expect([...before, one, await store.hasVersions('ics-isac', c, id(2))]).toEqual([true, false, true, false]);
  });
});
