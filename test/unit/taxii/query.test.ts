import { BadRequestError } from '../../../shared/core/errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, parseObjectQuery, type QueryParameters } from '../../../shared/core/taxii/query';

const INDICATOR_ID = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
const MALWARE_ID = 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b';

/** The error description parseObjectQuery throws, or a failure if it does not throw. */
function problemOf(endpoint: Parameters<typeof parseObjectQuery>[0], params: QueryParameters): string {
  try {
    parseObjectQuery(endpoint, params);
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestError);
    return (error as BadRequestError).description;
  }
  throw new Error('expected a BadRequestError');
}

describe('parseObjectQuery: defaults', () => {
  it('serves the latest version of everything, a default page, from the beginning', () => {
    const query = parseObjectQuery('objects', {});

    expect(query).toEqual({
      filters: { ids: [], types: [], versions: { all: false, first: false, last: true, timestamps: [] }, specVersions: [] },
      limit: DEFAULT_PAGE_SIZE,
      next: undefined,
    });
  });

  it('lists every version on the versions endpoint (TAXII 2.1 §5.8)', () => {
    expect(parseObjectQuery('versions', {}).filters.versions).toEqual({ all: true, first: false, last: false, timestamps: [] });
  });

  it('treats blank values as absent and ignores parameters that are not TAXII filters', () => {
    const query = parseObjectQuery('objects', { added_after: [''], limit: [' '], _: ['1767322800'], 'match[type]': [''] });

    expect(query.filters.addedAfter).toBeUndefined();
    expect(query.filters.types).toEqual([]);
    expect(query.limit).toBe(DEFAULT_PAGE_SIZE);
  });

  it('gives each parse its own version selection (no shared mutable default)', () => {
    const first = parseObjectQuery('objects', {});
    first.filters.versions.timestamps.push('2026-01-01T00:00:00.000000Z');

    expect(parseObjectQuery('objects', {}).filters.versions.timestamps).toEqual([]);
  });
});

describe('parseObjectQuery: limit (TAXII-CLIENTS #19)', () => {
  it.each([
    ['1', 1],
    ['100', 100],
    ['0050', 50],
    [String(MAX_PAGE_SIZE), MAX_PAGE_SIZE],
    ['1001', MAX_PAGE_SIZE],
    ['100000', MAX_PAGE_SIZE],
    ['99999999999999999999999999', MAX_PAGE_SIZE],
  ])('limit=%s serves %d', (limit, served) => {
    expect(parseObjectQuery('objects', { limit: [limit] }).limit).toBe(served);
  });

  it.each([
    ['0', 'limit: must be a positive integer, got 0'],
    ['-5', 'limit: must be a positive integer, got "-5"'],
    ['abc', 'limit: must be a positive integer, got "abc"'],
    ['1.5', 'limit: must be a positive integer, got "1.5"'],
    ['1e3', 'limit: must be a positive integer, got "1e3"'],
  ])('limit=%s is a 400 that says why', (limit, description) => {
    expect(problemOf('objects', { limit: [limit] })).toBe(description);
  });

  it('refuses two different limits, and accepts the same one twice', () => {
    expect(problemOf('objects', { limit: ['10', '20'] })).toBe('limit: given 2 different values; send it once');
    expect(parseObjectQuery('objects', { limit: ['10', '10'] }).limit).toBe(10);
  });
});

describe('parseObjectQuery: added_after (TAXII-CLIENTS #14)', () => {
  it.each([
    ['2026-01-02T03:04:05Z', '2026-01-02T03:04:05.000000Z'],
    ['2026-01-02T03:04:05.302Z', '2026-01-02T03:04:05.302000Z'],
    ['2026-01-02T03:04:05.3456Z', '2026-01-02T03:04:05.345600Z'],
    ['2026-01-02T03%3A04%3A05.000000Z', '2026-01-02T03:04:05.000000Z'],
  ])('reads %s', (value, canonical) => {
    expect(parseObjectQuery('objects', { added_after: [value] }).filters.addedAfter).toBe(canonical);
  });

  it('answers 400 with an example for anything else, including a next token sent as added_after', () => {
    expect(problemOf('objects', { added_after: ['xyz'] })).toBe(
      'added_after: "xyz" is not a TAXII timestamp (e.g. 2026-01-02T03:04:05.678Z)',
    );
    expect(problemOf('manifest', { added_after: ['AQx3b_-9Zk'] })).toMatch(/^added_after: "AQx3b_-9Zk" is not a TAXII timestamp/);
    expect(problemOf('objects', { added_after: ['2026-01-02T03:04:05+09:00'] })).toMatch(/is not a TAXII timestamp/);
  });
});

describe('parseObjectQuery: match[...] (TAXII 2.1 §3.4.2, TAXII-CLIENTS #20)', () => {
  it('splits comma-separated values and merges repeated parameters, without duplicates', () => {
    const query = parseObjectQuery('objects', {
      'match[type]': ['indicator,relationship', 'malware', 'indicator'],
      'match[id]': [`${INDICATOR_ID}, ${MALWARE_ID}`],
      'match[spec_version]': ['2.1'],
    });

    expect(query.filters.types).toEqual(['indicator', 'relationship', 'malware']);
    expect(query.filters.ids).toEqual([INDICATOR_ID, MALWARE_ID]);
    expect(query.filters.specVersions).toEqual(['2.1']);
  });

  it('reads match[version] keywords in any case and timestamps in canonical form', () => {
    const query = parseObjectQuery('objects', { 'match[version]': ['First,LAST,2016-01-01T01:01:01.1Z,all'] });

    expect(query.filters.versions).toEqual({ all: true, first: true, last: true, timestamps: ['2016-01-01T01:01:01.100000Z'] });
  });

  it('takes only what was asked for: match[version]=first does not add last', () => {
    expect(parseObjectQuery('object', { 'match[version]': ['first'] }).filters.versions).toEqual({
      all: false,
      first: true,
      last: false,
      timestamps: [],
    });
  });

  it('accepts match[id] on the manifest (OpenCTI connector)', () => {
    expect(parseObjectQuery('manifest', { 'match[id]': [INDICATOR_ID] }).filters.ids).toEqual([INDICATOR_ID]);
  });

  it.each([
    ['match[type]', 'Indicator', 'match[type]: "Indicator" is not a STIX type (lower-case letters, digits and hyphens, e.g. indicator)'],
    ['match[type]', 'a', 'match[type]: "a" is not a STIX type (lower-case letters, digits and hyphens, e.g. indicator)'],
    ['match[id]', 'indicator', 'match[id]: "indicator" is not a STIX id (e.g. indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f)'],
    ['match[spec_version]', '2', 'match[spec_version]: "2" is not a STIX spec version (e.g. 2.1)'],
    [
      'match[version]',
      'latest',
      'match[version]: "latest" is neither first, last, all nor a version timestamp (e.g. 2026-01-02T03:04:05.678Z)',
    ],
  ])('%s=%s is a 400 that says why', (name, value, description) => {
    expect(problemOf('objects', { [name]: [value] })).toBe(description);
  });

  it.each(['match[id]', 'match[type]', 'match[version]', 'match[spec_version]'])(
    '%s of only commas (",,,,") is a 400, not "no filter"',
    (name) => {
      expect(problemOf('objects', { [name]: [',,,,'] })).toBe(
        `${name}: only empty values between commas; name at least one value, or leave the parameter out`,
      );
      expect(problemOf('manifest', { [name]: [' , '] })).toMatch(/only empty values/);
    },
  );

  it('names the supported fields when a match field is unknown', () => {
    expect(problemOf('objects', { 'match[relationships-all]': [INDICATOR_ID] })).toBe(
      'match[relationships-all]: not a filter of this endpoint, which supports match[id], match[type], match[version] or match[spec_version] (TAXII 2.1 §3.4.2)',
    );
  });

  it('knows which fields each endpoint supports (TAXII 2.1 §3.4.1)', () => {
    expect(problemOf('object', { 'match[type]': ['indicator'] })).toBe(
      'match[type]: not a filter of this endpoint, which supports match[version] or match[spec_version] (TAXII 2.1 §3.4.2)',
    );
    expect(problemOf('versions', { 'match[version]': ['all'] })).toBe(
      'match[version]: not a filter of this endpoint, which supports only match[spec_version] (TAXII 2.1 §3.4.2)',
    );
    expect(problemOf('objects', { 'match[type': ['indicator'] })).toMatch(/^match\[type: not a filter of this endpoint/);
  });

  it('reports every problem at once', () => {
    const description = problemOf('objects', { limit: ['abc'], added_after: ['xyz'], 'match[colour]': ['red'] });

    expect(description.split('; ')).toEqual([
      'match[colour]: not a filter of this endpoint, which supports match[id], match[type], match[version] or match[spec_version] (TAXII 2.1 §3.4.2)',
      'added_after: "xyz" is not a TAXII timestamp (e.g. 2026-01-02T03:04:05.678Z)',
      'limit: must be a positive integer, got "abc"',
    ]);
  });
});

describe('parseObjectQuery: next', () => {
  it('passes the raw token on for cursor.ts to open', () => {
    expect(parseObjectQuery('objects', { next: ['AbC_-1'], limit: ['5'] })).toMatchObject({ next: 'AbC_-1', limit: 5 });
  });
});
