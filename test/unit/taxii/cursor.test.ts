import { BadRequestError, ConfigurationError } from '../../../shared/core/errors';
import { decodeCursor, encodeCursor, resolveListing, type CursorPayload } from '../../../shared/core/taxii/cursor';
import { parseObjectQuery, type ObjectFilters } from '../../../shared/core/taxii/query';
import { millisOf } from '../../../shared/core/taxii/timestamps';

const KEY = 'k'.repeat(32);
const OLD_KEY = 'o'.repeat(32);
const COLLECTION = { tenantId: 'ics-isac', collectionId: '6f1c2b9e-7c1a-4d4e-9a53-0b8c3f7c2a10' };
const OTHER_COLLECTION = { tenantId: 'ics-isac', collectionId: '0c3a4d5e-1111-4222-8333-944455556666' };
const OBJECT_ID = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
const AFTER_MS = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

function filters(overrides: Partial<ObjectFilters> = {}): ObjectFilters {
  return { ids: [], types: [], versions: { all: false, first: false, last: true, timestamps: [] }, specVersions: [], ...overrides };
}

function payload(overrides: Partial<CursorPayload> = {}): CursorPayload {
  return { scope: COLLECTION, filters: filters(), afterMs: AFTER_MS, ...overrides };
}

/** The description of the BadRequestError `act` throws, or a failure if it does not throw one. */
function badRequest(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestError);
    return (error as BadRequestError).description;
  }
  throw new Error('expected a BadRequestError');
}

describe('next tokens', () => {
  it('carry the position and every filter back unchanged', () => {
    const original = payload({
      filters: filters({
        addedAfter: '2026-01-01T00:00:00.000000Z',
        ids: [OBJECT_ID],
        types: ['indicator', 'malware'],
        versions: { all: false, first: true, last: true, timestamps: ['2016-01-01T01:01:01.100000Z'] },
        specVersions: ['2.1'],
      }),
    });

    const decoded = decodeCursor(encodeCursor(original, KEY), KEY, COLLECTION);

    expect(decoded).toEqual(original);
  });

  it('carry the default filters back as defaults', () => {
    expect(decodeCursor(encodeCursor(payload(), KEY), KEY, COLLECTION)).toEqual(payload());
    const everyVersion = payload({ filters: filters({ versions: { all: true, first: false, last: false, timestamps: [] } }) });
    expect(decodeCursor(encodeCursor(everyVersion, KEY), KEY, COLLECTION)).toEqual(everyVersion);
  });

  it('are URL-safe and short enough for any client (TAXII-CLIENTS #27)', () => {
    const token = encodeCursor(
      payload({ filters: filters({ types: ['indicator', 'relationship'], addedAfter: '2026-01-01T00:00:00.000000Z' }) }),
      KEY,
    );

    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThan(300);
  });

  it('reveal nothing of the position or filters they carry', () => {
    const token = encodeCursor(payload({ filters: filters({ types: ['indicator'] }) }), KEY);
    const bytes = Buffer.from(token, 'base64url').toString('latin1');

    expect(bytes).not.toContain('indicator');
    expect(bytes).not.toContain('ics-isac');
    expect(bytes).not.toContain(String(AFTER_MS));
  });

  it('do not expire: a token is accepted whenever it comes back (TAXII-CLIENTS #13)', () => {
    const token = encodeCursor(payload(), KEY);

    expect(decodeCursor(token, KEY, COLLECTION).afterMs).toBe(AFTER_MS);
    expect(decodeCursor(token, KEY, COLLECTION).afterMs).toBe(AFTER_MS);
  });

  it('open under a previous key while keys rotate', () => {
    const minted = encodeCursor(payload(), OLD_KEY);

    expect(decodeCursor(minted, [KEY, OLD_KEY], COLLECTION).afterMs).toBe(AFTER_MS);
    expect(badRequest(() => decodeCursor(minted, KEY, COLLECTION))).toMatch(/^next: not a token this server issued/);
  });
});

describe('next tokens are bound to tenant, collection and object', () => {
  it('refuse a token of another collection', () => {
    const token = encodeCursor(payload({ scope: OTHER_COLLECTION }), KEY);

    expect(badRequest(() => decodeCursor(token, KEY, COLLECTION))).toBe('next: this token belongs to another collection');
  });

  it('refuse a token of another tenant with the same collection id', () => {
    const token = encodeCursor(payload({ scope: { ...COLLECTION, tenantId: 'fin-isac' } }), KEY);

    expect(badRequest(() => decodeCursor(token, KEY, COLLECTION))).toBe('next: this token belongs to another collection');
  });

  it('refuse a token of the objects list on one object’s versions, and of one object on another', () => {
    const listToken = encodeCursor(payload(), KEY);
    const objectToken = encodeCursor(payload({ scope: { ...COLLECTION, objectId: OBJECT_ID } }), KEY);

    expect(badRequest(() => decodeCursor(listToken, KEY, { ...COLLECTION, objectId: OBJECT_ID }))).toMatch(/another collection/);
    expect(decodeCursor(objectToken, KEY, { ...COLLECTION, objectId: OBJECT_ID }).scope.objectId).toBe(OBJECT_ID);
    expect(
      badRequest(() => decodeCursor(objectToken, KEY, { ...COLLECTION, objectId: 'indicator--00000000-0000-4000-8000-000000000000' })),
    ).toMatch(/another collection/);
  });
});

describe('forged and garbled tokens are a 400', () => {
  const token = encodeCursor(payload(), KEY);
  const FORGED = 'next: not a token this server issued; start again without next (use added_after to resume)';

  it.each([
    ['a flipped character', `${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`],
    ['a truncated token', token.slice(0, -4)],
    ['an extended token', `${token}AAAA`],
    ['standard base64 characters', `${token.replace(/-/g, '+').replace(/_/g, '/')}==`],
    ['a timestamp', '2026-01-02T03:04:05Z'],
    ['a medallion-style uuid', '8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'],
    ['an empty token', ''],
    ['a huge token', 'A'.repeat(10_000)],
  ])('refuses %s', (_what, forged) => {
    expect(badRequest(() => decodeCursor(forged, KEY, COLLECTION))).toBe(FORGED);
  });

  it('refuses a token whose position was rewritten through the cipher (the HMAC, not JSON parsing, stops it)', () => {
    // AES-CTR is malleable: XOR-ing a ciphertext byte changes the same plaintext byte. Knowing the compact JSON
    // inside (format byte and 16-byte IV first), turn one digit of the position into another, still valid JSON.
    const bytes = Buffer.from(encodeCursor(payload(), KEY), 'base64url');
    const plaintext = JSON.stringify({ t: COLLECTION.tenantId, c: COLLECTION.collectionId, a: AFTER_MS });
    const digitAt = plaintext.indexOf(String(AFTER_MS)) + 3;
    const offset = 1 + 16 + digitAt;
    const from = plaintext.charCodeAt(digitAt);
    const to = from === 0x30 ? 0x31 : 0x30;
    bytes[offset] = bytes[offset]! ^ from ^ to;

    expect(badRequest(() => decodeCursor(bytes.toString('base64url'), KEY, COLLECTION))).toBe(FORGED);
  });

  it('refuses a token sealed with another secret', () => {
    expect(badRequest(() => decodeCursor(encodeCursor(payload(), 'x'.repeat(32)), KEY, COLLECTION))).toBe(FORGED);
  });
});

describe('cursor keys and positions', () => {
  it('refuse a key shorter than 32 bytes: a deployment error, not a request error', () => {
    expect(() => encodeCursor(payload(), 'short')).toThrow(ConfigurationError);
    expect(() => decodeCursor('AAAA', [], COLLECTION)).toThrow(ConfigurationError);
  });

  it('refuse a position that is not a date_added in ms', () => {
    expect(() => encodeCursor(payload({ afterMs: -1 }), KEY)).toThrow(RangeError);
    expect(() => encodeCursor(payload({ afterMs: 1.5 }), KEY)).toThrow(RangeError);
  });
});

describe('resolveListing', () => {
  it('starts after added_after, truncated to the millisecond date_added lives on', () => {
    const query = parseObjectQuery('objects', { added_after: ['2026-01-02T03:04:05.678999Z'], limit: ['10'] });

    const listing = resolveListing(query, KEY, COLLECTION);

    expect(listing).toEqual({ filters: query.filters, limit: 10, afterMs: AFTER_MS });
  });

  it('starts from the beginning without added_after, or with one before 1970', () => {
    expect(resolveListing(parseObjectQuery('objects', {}), KEY, COLLECTION).afterMs).toBeUndefined();
    expect(
      resolveListing(parseObjectQuery('objects', { added_after: ['1969-12-31T23:59:59.9995Z'] }), KEY, COLLECTION).afterMs,
    ).toBeUndefined();
  });

  it('lets ?next=T alone return what ?next=T with the original filters returns (TAXII-CLIENTS #12)', () => {
    const first = parseObjectQuery('objects', { added_after: ['2026-01-01T00:00:00Z'], 'match[type]': ['indicator'], limit: ['50'] });
    const token = encodeCursor({ scope: COLLECTION, filters: first.filters, afterMs: AFTER_MS }, KEY);

    const alone = resolveListing(parseObjectQuery('objects', { next: [token], limit: ['50'] }), KEY, COLLECTION);
    const withFilters = resolveListing(
      parseObjectQuery('objects', { next: [token], added_after: ['2026-01-01T00:00:00Z'], 'match[type]': ['indicator'], limit: ['50'] }),
      KEY,
      COLLECTION,
    );

    expect(alone).toEqual(withFilters);
    expect(alone).toEqual({ filters: first.filters, limit: 50, afterMs: AFTER_MS });
  });

  it('resumes from the token’s position when a stale token comes with a newer added_after (TAXII-CLIENTS #13)', () => {
    const token = encodeCursor(payload(), KEY);
    const newer = parseObjectQuery('objects', { next: [token], added_after: ['2026-06-01T00:00:00Z'] });

    const listing = resolveListing(newer, KEY, COLLECTION);

    expect(listing.afterMs).toBe(AFTER_MS);
    expect(listing.afterMs).toBeLessThan(millisOf('2026-06-01T00:00:00Z'));
    expect(listing.filters).toEqual(payload().filters);
  });

  it.each([
    ['match[type]', { 'match[type]': ['malware'] }],
    ['match[id]', { 'match[id]': [OBJECT_ID] }],
    ['match[version]', { 'match[version]': ['all'] }],
    ['match[spec_version]', { 'match[spec_version]': ['2.0'] }],
  ])('refuses a token presented with another %s than the query it continues', (name, changed) => {
    const first = parseObjectQuery('objects', { 'match[type]': ['indicator'], 'match[spec_version]': ['2.1'] });
    const token = encodeCursor({ scope: { ...COLLECTION, endpoint: 'objects' }, filters: first.filters, afterMs: AFTER_MS }, KEY);
    const query = parseObjectQuery('objects', { next: [token], 'match[type]': ['indicator'], 'match[spec_version]': ['2.1'], ...changed });

    expect(badRequest(() => resolveListing(query, KEY, { ...COLLECTION, endpoint: 'objects' }))).toBe(
      `next: this token continues a query with other ${name}; send the first page's filters with it, or none, or start again without next`,
    );
  });

  it('accepts the same filters in another order beside the token', () => {
    const first = parseObjectQuery('objects', { 'match[type]': ['indicator,malware'] });
    const token = encodeCursor({ scope: COLLECTION, filters: first.filters, afterMs: AFTER_MS }, KEY);

    expect(
      resolveListing(parseObjectQuery('objects', { next: [token], 'match[type]': ['malware,indicator'] }), KEY, COLLECTION).filters,
    ).toEqual(first.filters);
  });

  it('refuses a token minted by the manifest endpoint on the objects endpoint, and accepts it on the manifest', () => {
    const token = encodeCursor(payload({ scope: { ...COLLECTION, endpoint: 'manifest' } }), KEY);

    expect(badRequest(() => decodeCursor(token, KEY, { ...COLLECTION, endpoint: 'objects' }))).toBe(
      'next: this token pages the manifest endpoint; use it there, or start again here without next',
    );
    expect(decodeCursor(token, KEY, { ...COLLECTION, endpoint: 'manifest' }).afterMs).toBe(AFTER_MS);
  });

  it('accepts a token minted before the endpoint was recorded on any endpoint (saved tokens survive the upgrade)', () => {
    const legacy = encodeCursor(payload(), KEY);

    expect(decodeCursor(legacy, KEY, { ...COLLECTION, endpoint: 'objects' }).afterMs).toBe(AFTER_MS);
    expect(decodeCursor(legacy, KEY, { ...COLLECTION, endpoint: 'manifest' }).afterMs).toBe(AFTER_MS);
  });

  it('takes the page size from the request, not the token', () => {
    const token = encodeCursor(payload(), KEY);

    expect(resolveListing(parseObjectQuery('objects', { next: [token], limit: ['7'] }), KEY, COLLECTION).limit).toBe(7);
  });

  it('refuses a foreign token even when the request also carries filters', () => {
    const token = encodeCursor(payload({ scope: OTHER_COLLECTION }), KEY);

    expect(
      badRequest(() =>
        resolveListing(parseObjectQuery('objects', { next: [token], added_after: ['2026-01-01T00:00:00Z'] }), KEY, COLLECTION),
      ),
    ).toBe('next: this token belongs to another collection');
  });
});
