import fc from 'fast-check';
import { BadRequestError } from '../../../shared/core/errors';
import { normalizeObject } from '../../../shared/core/normalize/normalize';
import { freeTexts } from '../../../shared/core/pipeline/personal-data';
import { identifierType, isStixIdentifier, isStixTypeName } from '../../../shared/core/stix/identifier';
import { parseObjectQuery } from '../../../shared/core/taxii/query';

const UUID = '8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';

/** Whether the TAXII query takes the value in match[id] or match[type] (the query's use of the rule). */
function queryAccepts(parameter: 'match[id]' | 'match[type]', value: string): boolean {
  try {
    parseObjectQuery('objects', { [parameter]: [value] });
    return true;
  } catch (error) {
    if (error instanceof BadRequestError) return false;
    throw error;
  }
}

describe('STIX 2.1 §2.9 identifiers and §3.1 type names', () => {
  it.each([
    ['a one-character type', `x--${UUID}`],
    ['a two-character type', `xy--${UUID}`],
    ['a type of 251 characters', `${'a'.repeat(251)}--${UUID}`],
    ['a type starting with a digit', `1ab--${UUID}`],
    ['a type with an empty hyphen-separated part', `ab--cd--${UUID}`],
    ['a type ending in a hyphen', `abc---${UUID}`],
    ['an upper-case type', `Indicator--${UUID}`],
    ['the nil UUID', 'indicator--00000000-0000-0000-0000-000000000000'],
    ['a version-0 UUID', 'indicator--8e2e2d2b-17d4-0cbf-938f-98ee46b3cd3f'],
    ['a UUID of another variant (110x)', 'indicator--8e2e2d2b-17d4-4cbf-c38f-98ee46b3cd3f'],
    ['a UUID without hyphens', 'indicator--8e2e2d2b17d44cbf938f98ee46b3cd3f'],
    ['no UUID', 'indicator--'],
  ])('refuses %s', (_what, id) => {
    expect(isStixIdentifier(id)).toBe(false);
  });

  it.each([
    ['a three-character type', `abc--${UUID}`],
    ['a type of 250 characters', `${'a'.repeat(250)}--${UUID}`],
    ['hyphenated types', `x-acme-widget--${UUID}`],
    ['upper-case hex digits (normalize lower-cases them)', `indicator--${UUID.toUpperCase()}`],
    ['UUID version 5 (SCOs)', 'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd'],
  ])('accepts %s', (_what, id) => {
    expect(isStixIdentifier(id)).toBe(true);
  });

  it('restricts to the given types', () => {
    expect([isStixIdentifier(`indicator--${UUID}`, ['indicator']), isStixIdentifier(`indicator--${UUID}`, ['malware'])]).toEqual([
      true,
      false,
    ]);
    expect(identifierType(`attack-pattern--${UUID}`)).toBe('attack-pattern');
  });

  it('is the one rule the TAXII query, personal-data scan and normalize apply', () => {
    const hex = fc.constantFrom(...'0123456789abcdefABCDEF');
    const uuidish = fc
      .tuple(
        fc.string({ unit: hex, minLength: 8, maxLength: 8 }),
        fc.string({ unit: hex, minLength: 4, maxLength: 4 }),
        fc.string({ unit: hex, minLength: 4, maxLength: 4 }),
        fc.string({ unit: hex, minLength: 4, maxLength: 4 }),
        fc.string({ unit: hex, minLength: 12, maxLength: 12 }),
      )
      .map((parts) => parts.join('-'));
    const typeish = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'abz09-X'), minLength: 0, maxLength: 8 }),
      fc.constantFrom('x', 'ab', 'abc', 'indicator', 'x-acme', '1ab', 'a--b'),
    );
    // A query value is split at commas and trimmed first: values here have neither.
    const candidate = fc
      .oneof(
        fc.tuple(typeish, uuidish).map(([t, u]) => `${t}--${u}`),
        fc.string({ minLength: 1, maxLength: 60 }),
      )
      .filter((v) => !/[,\s]/.test(v));

    fc.assert(
      fc.property(candidate, (id) => {
        const valid = isStixIdentifier(id);
        expect(queryAccepts('match[id]', id)).toBe(valid);
        // An identifier is not prose to scan for phone numbers; anything else is.
        expect(freeTexts({ x_note: id }).length).toBe(valid ? 0 : 1);
        // Normalize lower-cases exactly the identifiers (STIX 2.1 §2.9 allows upper-case hex).
        const result = normalizeObject({
          type: 'note',
          spec_version: '2.1',
          id: `note--${UUID}`,
          created: '2026-01-01T00:00:00.000Z',
          modified: '2026-01-01T00:00:00.000Z',
          content: 'x',
          object_refs: [id],
        });
        const refs = result.ok ? (result.object.object_refs as string[]) : undefined;
        if (refs) expect(refs[0]).toBe(valid ? id.toLowerCase() : id);
      }),
    );
  });

  it('takes the same type names in match[type] as in identifiers', () => {
    fc.assert(
      fc.property(
        fc
          .oneof(fc.string({ unit: fc.constantFrom(...'ab09-'), minLength: 1, maxLength: 6 }), fc.string({ minLength: 1, maxLength: 12 }))
          .filter((v) => !/[,\s]/.test(v)),
        (type) => {
          expect(queryAccepts('match[type]', type)).toBe(isStixTypeName(type));
        },
      ),
    );
  });
});
