import type { StoredVersion } from '../../../shared/core/taxii/model';
import { parseObjectQuery, type ObjectFilters, type VersionMatch } from '../../../shared/core/taxii/query';
import {
  compareSpecVersions,
  filterByIdAndType,
  selectedFromFlags,
  selectVersions,
  type VersionSelection,
} from '../../../shared/core/taxii/version-selection';

const INDICATOR = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
const MALWARE = 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b';

let clock = Date.UTC(2026, 0, 1);
function stored(objectId: string, version: string, overrides: Partial<StoredVersion> = {}): StoredVersion {
  const type = objectId.split('--')[0]!;
  return {
    tenantId: 'ics-isac',
    collectionId: '6f1c2b9e-7c1a-4d4e-9a53-0b8c3f7c2a10',
    objectId,
    type,
    version,
    specVersion: '2.1',
    dateAdded: new Date(clock++).toISOString(),
    mediaType: 'application/stix+json;version=2.1',
    access: { tlp: 'green', recipients: [], secret: false, providerMemberId: 'acme' },
    object: { type, id: objectId, spec_version: '2.1', modified: version },
    ...overrides,
  };
}

/** The selection a client's match[version] / match[spec_version] query string produces. */
function selection(params: { version?: string; specVersion?: string }): VersionSelection {
  const query = parseObjectQuery('objects', {
    ...(params.version ? { 'match[version]': [params.version] } : {}),
    ...(params.specVersion ? { 'match[spec_version]': [params.specVersion] } : {}),
  });
  return query.filters;
}

const versionsOf = (list: StoredVersion[]) => list.map((v) => v.version);

// Three revisions of one indicator, stored out of order.
const v2 = stored(INDICATOR, '2026-01-02T00:00:00.000Z');
const v1 = stored(INDICATOR, '2026-01-01T00:00:00.000Z');
const v3 = stored(INDICATOR, '2026-01-03T00:00:00.000Z');
const history = [v2, v1, v3];

describe('selectVersions: match[version] (TAXII 2.1 §3.4.2)', () => {
  it('returns the latest version by default', () => {
    expect(selectVersions(history, selection({}))).toEqual([v3]);
  });

  it.each([
    ['first', [v1]],
    ['last', [v3]],
    ['all', [v2, v1, v3]],
    ['first,last', [v1, v3]],
    ['2026-01-02T00:00:00Z', [v2]],
    ['2026-01-02T00:00:00.000000Z,first', [v2, v1]],
    ['2026-01-05T00:00:00Z', []],
  ])('match[version]=%s', (version, expected) => {
    expect(selectVersions(history, selection({ version }))).toEqual(expected);
  });

  it('compares versions exactly, whatever the precision they are written with', () => {
    const precise = stored(INDICATOR, '2026-01-04T00:00:00.1234567Z');
    const lessPrecise = stored(INDICATOR, '2026-01-04T00:00:00.123456Z');

    expect(selectVersions([precise, lessPrecise], selection({ version: 'last' }))).toEqual([precise]);
    expect(selectVersions([precise, lessPrecise], selection({ version: '2026-01-04T00:00:00.123456Z' }))).toEqual([lessPrecise]);
  });

  it('judges each object on its own history and keeps the input order', () => {
    const m1 = stored(MALWARE, '2026-01-01T12:00:00.000Z');
    const m2 = stored(MALWARE, '2026-01-05T12:00:00.000Z');

    expect(selectVersions([m2, v2, m1, v1, v3], selection({ version: 'first' }))).toEqual([m1, v1]);
    expect(selectVersions([m2, v2, m1, v1, v3], selection({}))).toEqual([m2, v3]);
  });

  it('gives a reader the newest version it may see when a newer one is hidden from it', () => {
    const visibleToReader = [v1, v2]; // v3 is, say, another provider's TLP:RED update

    expect(versionsOf(selectVersions(visibleToReader, selection({})))).toEqual([v2.version]);
  });

  it('selects nothing from nothing', () => {
    expect(selectVersions([], selection({ version: 'all' }))).toEqual([]);
  });
});

describe('selectVersions: match[spec_version] (TAXII 2.1 §3.4.2)', () => {
  const old20 = stored(MALWARE, '2025-06-01T00:00:00.000Z', { specVersion: '2.0' });
  const new21 = stored(MALWARE, '2025-07-01T00:00:00.000Z', { specVersion: '2.1' });
  const same20 = stored(MALWARE, '2025-08-01T00:00:00.000Z', { specVersion: '2.0' });
  const same21 = stored(MALWARE, '2025-08-01T00:00:00.000Z', { specVersion: '2.1' });

  it('keeps only the latest spec version among what match[version] selected when none is asked for', () => {
    expect(selectVersions([old20, new21], selection({ version: 'all' }))).toEqual([new21]);
    expect(selectVersions([same20, same21], selection({}))).toEqual([same21]);
  });

  it('keeps the asked spec versions, applied after match[version] as the reference server does', () => {
    expect(selectVersions([old20, new21], selection({ version: 'all', specVersion: '2.0' }))).toEqual([old20]);
    expect(selectVersions([old20, new21], selection({ version: 'all', specVersion: '2.0,2.1' }))).toEqual([old20, new21]);
    expect(selectVersions([old20, new21], selection({ specVersion: '2.0' }))).toEqual([]);
  });

  it('orders spec versions numerically', () => {
    expect(compareSpecVersions('2.0', '2.1')).toBeLessThan(0);
    expect(compareSpecVersions('2.10', '2.9')).toBeGreaterThan(0);
    expect(compareSpecVersions('2.1', '2.1')).toBe(0);
  });
});

describe('selectedFromFlags: the timeline scan’s cheap path', () => {
  const flags = (isFirst: boolean, isLatest: boolean, specVersion = '2.1') => ({
    version: '2026-01-02T00:00:00.000Z',
    specVersion,
    isFirst,
    isLatest,
  });
  const match = (m: Partial<VersionMatch>, specVersions: string[] = []): VersionSelection => ({
    versions: { all: false, first: false, last: false, timestamps: [], ...m },
    specVersions,
  });

  it('decides what the flags settle', () => {
    expect(selectedFromFlags(flags(false, true), match({ last: true }))).toBe(true);
    expect(selectedFromFlags(flags(true, false), match({ first: true }))).toBe(true);
    expect(selectedFromFlags(flags(false, false), match({ all: true }))).toBe(true);
    expect(selectedFromFlags(flags(false, false), match({ timestamps: ['2026-01-02T00:00:00.000000Z'] }))).toBe(true);
    expect(selectedFromFlags(flags(false, false), match({ timestamps: ['2026-01-03T00:00:00.000000Z'] }))).toBe(false);
    expect(selectedFromFlags(flags(false, true), match({ last: true }, ['2.0']))).toBe(false);
  });

  it('asks for the history when a hidden later or earlier version could make this one the reader’s last or first', () => {
    expect(selectedFromFlags(flags(false, false), match({ last: true }))).toBeUndefined();
    expect(selectedFromFlags(flags(false, true), match({ first: true }))).toBeUndefined();
  });

  it('asks for the history when an older spec version might have a newer sibling', () => {
    expect(selectedFromFlags(flags(false, true, '2.0'), match({ last: true }))).toBeUndefined();
    expect(selectedFromFlags(flags(false, true, '2.0'), match({ last: true }, ['2.0']))).toBe(true);
  });

  it('agrees with selectVersions wherever it decides', () => {
    const entries = [
      { ...v1, isFirst: true, isLatest: false },
      { ...v2, isFirst: false, isLatest: false },
      { ...v3, isFirst: false, isLatest: true },
    ];
    let decided = 0;
    for (const version of ['first', 'last', 'all', 'first,last', '2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z,last']) {
      const chosen = selection({ version });
      const exact = selectVersions(entries, chosen);
      for (const entry of entries) {
        const fast = selectedFromFlags(entry, chosen);
        if (fast === undefined) continue;
        decided++;
        expect([version, entry.version, fast]).toEqual([version, entry.version, exact.includes(entry)]);
      }
    }
    expect(decided).toBeGreaterThan(10);
  });
});

describe('filterByIdAndType: match[id], match[type] (TAXII 2.1 §3.4.2)', () => {
  const m1 = stored(MALWARE, '2026-01-01T12:00:00.000Z');
  const page = [v1, m1, v2];
  const filters = (f: Partial<ObjectFilters>) => ({ ids: [], types: [], ...f });

  it('keeps everything when neither is given', () => {
    expect(filterByIdAndType(page, filters({}))).toEqual(page);
  });

  it('keeps the listed types and ids, both when both are given', () => {
    expect(filterByIdAndType(page, filters({ types: ['malware'] }))).toEqual([m1]);
    expect(filterByIdAndType(page, filters({ ids: [INDICATOR] }))).toEqual([v1, v2]);
    expect(filterByIdAndType(page, filters({ ids: [INDICATOR, MALWARE], types: ['malware', 'relationship'] }))).toEqual([m1]);
    expect(filterByIdAndType(page, filters({ ids: [INDICATOR], types: ['malware'] }))).toEqual([]);
  });
});
