import {
  dedupe,
  PLATFORM_PROVIDER,
  releaseUnpublished,
  samenessClaims,
  WAITS_SECONDS,
  type Corroboration,
} from '../../../shared/core/pipeline/dedupe';
import type { CorroborationRelease, CorroborationStore } from '../../../shared/core/ports';
import type { PipelineMessage } from '../../../shared/core/pipeline/message';
import { samenessOf } from '../../../shared/core/pipeline/observables';
import type { Settlement } from '../../../shared/core/taxii/status';

/** An in-memory twin of the corroboration store: the contract test runs the real one on DynamoDB Local. */
function memoryCorroboration(): CorroborationStore & CorroborationRelease & { holderOf(key: string): string | undefined } {
  const records = new Map<string, { objectId: string; providers: Set<string>; firstSeen: string; lastSeen: string }>();
  return {
    async report(_t, _c, reports): Promise<Corroboration[]> {
      return reports.map((report) => {
        const record = records.get(report.key) ?? {
          objectId: report.objectId,
          providers: new Set<string>(),
          firstSeen: report.seenAt,
          lastSeen: report.seenAt,
        };
        const newReporter = !record.providers.has(report.providerMemberId);
        record.providers.add(report.providerMemberId);
        if (report.seenAt > record.lastSeen) record.lastSeen = report.seenAt;
        records.set(report.key, record);
        return {
          objectId: record.objectId,
          reporters: record.providers.size,
          firstSeen: record.firstSeen,
          lastSeen: record.lastSeen,
          newReporter,
        };
      });
    },
    async release(_t, _c, claims) {
      for (const claim of claims) if (records.get(claim.key)?.objectId === claim.objectId) records.delete(claim.key);
    },
    holderOf: (key) => records.get(key)?.objectId,
  };
}

const access = (provider: string) => ({ tlp: 'green' as const, recipients: [], secret: false, providerMemberId: provider });
type Submitter = NonNullable<PipelineMessage['submitter']>;
/** The corroboration sighting, as dedupe forwards it: provided by nobody, so no reporter sees it by "its own". */
const sightingByNobody = { id: expect.stringMatching(/^sighting--/), provider: PLATFORM_PROVIDER };
const reader = (memberId: string, overrides: Partial<Submitter> = {}): Submitter => ({
  tenantId: 'ics-isac',
  memberId,
  clearance: 'amber',
  secretOptIn: false,
  isModerator: false,
  canRead: true,
  ...overrides,
});
function message(
  provider: string,
  submittedAt: string,
  objects: Array<Record<string, unknown> & { id: string; type: string }>,
  submitter: Submitter | undefined = reader(provider),
): PipelineMessage {
  return {
    tenantId: 'ics-isac',
    collectionId: 'c',
    statusId: 's',
    submitter,
    withheldIds: [],
    submittedAt,
    items: objects.map((object, entry) => ({ entry, access: access(provider), object })),
  };
}
const c2 = (id: string, pattern: string) => ({
  type: 'indicator',
  id,
  pattern,
  pattern_type: 'stix',
  object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
});

describe('dedupe', () => {
  it('merges the same indicator from another member and publishes corroboration that names no one', async () => {
    const settled: Settlement[] = [];
    const deps = {
      corroboration: memoryCorroboration(),
      isPublished: async () => true,
      samenessOf,
      tenantIdentityOf: async () => 'identity--00000000-0000-4000-8000-0000000000aa',
      settle: async (_m: PipelineMessage, s: Settlement[]) => void settled.push(...s),
    };
    const first = await dedupe(
      message('kanto-power', '2026-05-01T00:00:00.000Z', [c2('indicator--a', "[ipv4-addr:value = '45.77.65.211']")]),
      deps,
    );
    const second = await dedupe(
      message('hokuriku-water', '2026-05-02T00:00:00.000Z', [c2('indicator--b', "[ipv4-addr:value='45.77.65.211']")]),
      deps,
    );

    expect(first.kind === 'forward' && first.message.items.map((i) => i.object.id)).toEqual(['indicator--a']);
    if (second.kind !== 'forward') throw new Error('expected forward');
    const [sighting] = second.message.items.map((i) => i.object);
    expect(sighting).toMatchObject({
      type: 'sighting',
      sighting_of_ref: 'indicator--a',
      count: 2,
      first_seen: '2026-05-01T00:00:00.000Z',
      last_seen: '2026-05-02T00:00:00.000Z',
      created_by_ref: 'identity--00000000-0000-4000-8000-0000000000aa',
    });
    expect(sighting).not.toHaveProperty('where_sighted_refs');
    expect(JSON.stringify(sighting)).not.toMatch(/kanto|hokuriku/);
    expect(second.droppedBy).toEqual({ 'merged into an existing object': 1 });
    expect(settled).toEqual([{ index: 0, state: 'success', message: expect.stringContaining('corroboration (2 reporters)') }]);
  });

  it('merges and tells only a submitter that may read the existing object; anyone else gets what a first report gets: no dedupe oracle', async () => {
    const merged = async (submitter: Submitter, tweak: (m: PipelineMessage) => unknown = () => undefined) => {
      const settled: Settlement[] = [];
      const deps = {
        corroboration: memoryCorroboration(),
        isPublished: async () => true,
        samenessOf,
        tenantIdentityOf: async () => 'identity--x',
        settle: async (_m: PipelineMessage, s: Settlement[]) => void settled.push(...s),
      };
      const first = message('a', '2026-05-01T00:00:00.000Z', [c2('indicator--a', "[ipv4-addr:value = '45.77.65.211']")]);
      tweak(first);
      await dedupe(first, deps);
      const second = message('b', '2026-05-02T00:00:00.000Z', [c2('indicator--b', "[ipv4-addr:value = '45.77.65.211']")], submitter);
      tweak(second);
      const out = await dedupe(second, deps);
      if (out.kind !== 'forward') throw new Error('expected forward');
      return { settled, forwarded: out.message.items.map((i) => ({ id: i.object.id, provider: i.access.providerMemberId })) };
    };
    const red = (m: PipelineMessage) => Object.assign(m.items[0]!.access, { tlp: 'red', recipients: ['c'] });
    const secret = (m: PipelineMessage) => Object.assign(m.items[0]!.access, { secret: true });
    const told = {
      settled: [{ index: 0, state: 'success', message: expect.stringContaining('indicator--a') }],
      forwarded: [sightingByNobody],
    };
    // As if nobody had shared it: the report goes on as its own object, and is settled where any first report is.
    const first = { settled: [], forwarded: [{ id: 'indicator--b', provider: 'b' }] };

    expect(await merged(reader('b'))).toEqual(told);
    // Reads nothing of the collection: merged, and told nothing (no read can tell the difference).
    expect(await merged(reader('b', { canRead: false }))).toEqual({
      settled: [{ index: 0, state: 'success' }],
      forwarded: [sightingByNobody],
    });
    expect(await merged(reader('b', { clearance: 'clear' }))).toEqual(first);
    expect(await merged(reader('b', { clearance: 'red' }), red)).toEqual(first);
    expect(await merged(reader('b'), secret)).toEqual(first);
    expect(await merged(reader('b', { secretOptIn: true }), secret)).toEqual(told);
    // A message from before submitters were recorded tells nothing either.
    expect(await merged(reader('b'), (m) => delete m.submitter)).toEqual({
      settled: [{ index: 0, state: 'success' }],
      forwarded: [sightingByNobody],
    });
  });

  it('produces the same sighting version when a message is redelivered', async () => {
    const deps = {
      corroboration: memoryCorroboration(),
      isPublished: async () => true,
      samenessOf,
      tenantIdentityOf: async () => 'identity--x',
      settle: async () => undefined,
    };
    await dedupe(message('a', '2026-05-01T00:00:00.000Z', [c2('indicator--a', "[domain-name:value = 'evil.example']")]), deps);
    const once = await dedupe(message('b', '2026-05-02T00:00:00.000Z', [c2('indicator--b', "[domain-name:value = 'EVIL.example']")]), deps);
    const twice = await dedupe(
      message('b', '2026-05-02T00:00:00.000Z', [c2('indicator--b', "[domain-name:value = 'EVIL.example']")]),
      deps,
    );
    expect(once).toEqual(twice);
  });

  it('never merges indicators whose scope differs', async () => {
    const deps = {
      corroboration: memoryCorroboration(),
      isPublished: async () => true,
      samenessOf,
      tenantIdentityOf: async () => 'identity--x',
      settle: async () => undefined,
    };
    await dedupe(message('a', '2026-05-01T00:00:00.000Z', [c2('indicator--a', "[ipv4-addr:value = '45.77.65.211']")]), deps);
    const amber = message('b', '2026-05-02T00:00:00.000Z', [c2('indicator--b', "[ipv4-addr:value = '45.77.65.211']")]);
    amber.items[0]!.access.tlp = 'amber';
    const out = await dedupe(amber, deps);
    expect(out.kind === 'forward' && out.message.items.map((i) => i.object.id)).toEqual(['indicator--b']);
  });
});

describe('corroboration follows what was committed', () => {
  const C2 = "[ipv4-addr:value = '45.77.65.211']";
  const idsOf = (out: Awaited<ReturnType<typeof dedupe>>) => (out.kind === 'forward' ? out.message.items.map((i) => i.object.id) : []);
  const depsWith = (published: Set<string>) => ({
    published,
    corroboration: memoryCorroboration(),
    isPublished: async (_t: string, _c: string, id: string) => published.has(id),
    samenessOf,
    tenantIdentityOf: async () => 'identity--x',
    settle: async () => undefined,
  });

  it('publishes an identical report once the key of a withheld item is released', async () => {
    // Prepare: a reports; anonymize withholds it (nothing stored) and releases what dedupe registered.
    const deps = depsWith(new Set());
    const withheld = message('a', '2026-05-01T00:00:00.000Z', [c2('indicator--a', C2)]);
    await dedupe(withheld, deps);
    await releaseUnpublished('ics-isac', 'c', withheld.items, { ...deps, isPublished: async () => false });

    // Act
    const out = await dedupe(message('b', '2026-05-01T00:01:00.000Z', [c2('indicator--b', C2)]), deps);

    // Assess: b's report is forwarded as itself, not merged, and now holds the key.
    expect(idsOf(out)).toEqual(['indicator--b']);
    expect(out.droppedBy).toEqual({});
    expect(deps.corroboration.holderOf(samenessClaims(withheld.items, samenessOf)[0]!.key)).toBe('indicator--b');
  });

  it('keeps the key of an object already published when a new version of it is withheld', async () => {
    const deps = depsWith(new Set(['indicator--a']));
    const first = message('a', '2026-05-01T00:00:00.000Z', [c2('indicator--a', C2)]);
    await dedupe(first, deps);

    await releaseUnpublished('ics-isac', 'c', first.items, {
      ...deps,
      isPublished: async (_t: string, _c: string, id: string) => id === 'indicator--a',
    });
    const out = await dedupe(message('b', '2026-05-01T00:01:00.000Z', [c2('indicator--b', C2)]), deps);

    expect(idsOf(out)).toEqual([expect.stringMatching(/^sighting--/)]);
    expect(out.droppedBy).toEqual({ 'merged into an existing object': 1 });
  });

  const later = (out: Awaited<ReturnType<typeof dedupe>>) => (out.kind === 'forward' ? out.later : undefined);

  it('lets a report of an object still in flight wait, and merges it once that object is stored: the first report of a burst wins', async () => {
    const published = new Set<string>();
    const deps = depsWith(published);
    await dedupe(message('a', '2026-05-01T00:00:00.000Z', [c2('indicator--a', C2)]), deps);

    const waited = await dedupe(message('b', '2026-05-01T05:59:00.000Z', [c2('indicator--b', C2)]), deps);
    published.add('indicator--a');
    const merged = await dedupe(later(waited)!.message, deps);

    expect(idsOf(waited)).toEqual([]);
    expect(waited.droppedBy).toEqual({});
    expect(later(waited)).toMatchObject({ delaySeconds: WAITS_SECONDS[0], message: { deferrals: 1, statusId: 's' } });
    expect(later(waited)!.message.items.map((i) => i.object.id)).toEqual(['indicator--b']);
    expect(merged.droppedBy).toEqual({ 'merged into an existing object': 1 });
    expect(idsOf(merged)).toEqual([expect.stringMatching(/^sighting--/)]);
  });

  it('never loses a report that waited for an object anonymize then withheld: it is shared on its own', async () => {
    // Prepare: a reports; b waits for it; anonymize withholds a and releases its key.
    const deps = depsWith(new Set());
    const withheld = message('a', '2026-05-01T00:00:00.000Z', [c2('indicator--a', C2)]);
    await dedupe(withheld, deps);
    const waited = await dedupe(message('b', '2026-05-01T00:00:01.000Z', [c2('indicator--b', C2)]), deps);
    await releaseUnpublished('ics-isac', 'c', withheld.items, { ...deps, isPublished: async () => false });

    // Act
    const out = await dedupe(later(waited)!.message, deps);

    // Assess
    expect(idsOf(out)).toEqual(['indicator--b']);
    expect(out.droppedBy).toEqual({});
    expect(later(out)).toBeUndefined();
    expect(deps.corroboration.holderOf(samenessClaims(withheld.items, samenessOf)[0]!.key)).toBe('indicator--b');
  });

  it('shares a report on its own after the last wait, rather than merge it into an object never stored', async () => {
    const deps = depsWith(new Set());
    await dedupe(message('a', '2026-05-01T00:00:00.000Z', [c2('indicator--a', C2)]), deps);
    let out = await dedupe(message('b', '2026-05-01T00:00:01.000Z', [c2('indicator--b', C2)]), deps);
    const delays: number[] = [];

    for (let wait = later(out); wait; wait = later(out)) {
      delays.push(wait.delaySeconds);
      out = await dedupe(wait.message, deps);
    }

    expect(delays).toEqual([...WAITS_SECONDS]);
    expect(idsOf(out)).toEqual(['indicator--b']);
    expect(out.droppedBy).toEqual({});
  });

  it('takes over a key held for longer than a message can stay in the pipeline by an object never committed', async () => {
    const deps = depsWith(new Set());
    await dedupe(message('a', '2026-05-01T00:00:00.000Z', [c2('indicator--a', C2)]), deps);

    const out = await dedupe(message('b', '2026-05-01T06:01:00.000Z', [c2('indicator--b', C2)]), deps);
    deps.published.add('indicator--b');
    const next = await dedupe(message('c', '2026-05-01T06:02:00.000Z', [c2('indicator--c', C2)]), deps);

    expect(idsOf(out)).toEqual(['indicator--b']);
    expect(out.droppedBy).toEqual({});
    // The next identical report is corroboration of b's object, counting b and c only.
    const sighting = next.kind === 'forward' ? next.message.items[0]!.object : undefined;
    expect(sighting).toMatchObject({ type: 'sighting', sighting_of_ref: 'indicator--b', count: 2, first_seen: '2026-05-01T06:01:00.000Z' });
  });

  it('never takes over the key of a published object, however old', async () => {
    const deps = depsWith(new Set(['indicator--a']));
    await dedupe(message('a', '2026-05-01T00:00:00.000Z', [c2('indicator--a', C2)]), deps);

    const out = await dedupe(message('b', '2027-05-01T00:00:00.000Z', [c2('indicator--b', C2)]), deps);

    expect(out.droppedBy).toEqual({ 'merged into an existing object': 1 });
    expect(idsOf(out)).toEqual([expect.stringMatching(/^sighting--/)]);
  });
});
