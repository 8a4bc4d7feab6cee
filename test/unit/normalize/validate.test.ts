import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { normalizeObject } from '../../../shared/core/normalize/normalize';
import { stixPropertiesOf } from '../../../shared/core/stix/properties';
import type { StixObject } from '../../../shared/core/taxii/model';
import { STIX_EXAMPLES as EXAMPLES, STIX_SCHEMAS as SCHEMAS } from '../../support/fixtures';
import { schemaFiles, typeOf } from '../../support/stix-schemas';

/**
 * The OASIS STIX 2.1 JSON schemas as the oracle: every valid OASIS example passes, and every example spoiled by one
 * mutation from issue #17 is refused, with a reason that names the property, by Kyoyu and by the schemas alike —
 * except where the specification's prose is stricter than the schemas; STRICTER lists each such case and why.
 */

type Json = Record<string, unknown>;

const examples: Json[] = readdirSync(EXAMPLES, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.json') && !name.startsWith('interop/')) // interop/ holds profiles, not objects
  .map((name) => join(EXAMPLES, name))
  .filter((file) => statSync(file).isFile())
  .flatMap((file) => {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Json;
    return parsed.type === 'bundle' ? (parsed.objects as Json[]) : [parsed];
  });

const ajv = new Ajv2020({ strict: false, unicodeRegExp: false }); // the OASIS patterns use \- outside classes
addFormats(ajv);
const schemaIds = new Map<string, string>();
for (const file of schemaFiles(SCHEMAS)) {
  const schema = JSON.parse(readFileSync(file, 'utf8')) as { $id: string };
  ajv.addSchema(schema);
  const type = typeOf(file);
  if (type) schemaIds.set(type, schema.$id);
}
/** The schema's verdict on an object, judged by the schema of the type it was before mutation. */
const schemaAccepts = (type: string, object: Json): boolean => Boolean(ajv.getSchema(schemaIds.get(type)!)!(object));
/** Kyoyu's verdict: undefined when accepted, else the refusal's reason. */
const kyoyuRefuses = (object: Json): string | undefined => {
  const result = normalizeObject(object as StixObject);
  return result.ok ? undefined : result.reason;
};

const clone = (object: Json): Json => JSON.parse(JSON.stringify(object)) as Json;
/** A copy with one property set; defineProperty so that "__proto__" is a property, as JSON.parse makes it. */
const withProperty = (object: Json, name: string, value: unknown): Json => {
  const copy = clone(object);
  Object.defineProperty(copy, name, { value, enumerable: true, writable: true, configurable: true });
  return copy;
};
const uuidOf = (id: unknown) => String(id).slice(String(id).indexOf('--') + 2);
const has = (name: string) => (object: Json) => Object.hasOwn(stixPropertiesOf(String(object.type)) ?? {}, name);
const ofType =
  (...types: string[]) =>
  (object: Json) =>
    types.includes(String(object.type));
const all = () => true;

const TLP_GREEN = 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da';
const IDENTITY = 'identity--8ce3f695-d5a4-4dc8-9e93-a65af453a31a';

interface Mutation {
  name: string;
  applies: (object: Json) => boolean;
  mutate: (object: Json) => Json;
  /** The property Kyoyu's reason must name. */
  path: string;
}

const set = (name: string, value: unknown, applies: (object: Json) => boolean = has(name), path = name): Mutation => ({
  name: `${name} = ${value === Infinity ? '1e400' : JSON.stringify(value)}`,
  applies,
  mutate: (object) => withProperty(object, name, value),
  path,
});

const MUTATIONS: Mutation[] = [
  // Identifiers (STIX 2.1 §2.9)
  {
    name: 'id with the nil UUID',
    applies: all,
    mutate: (o) => withProperty(o, 'id', `${String(o.type)}--00000000-0000-0000-0000-000000000000`),
    path: 'id',
  },
  {
    name: 'id with a version-0 UUID',
    applies: all,
    mutate: (o) => withProperty(o, 'id', `${String(o.type)}--${uuidOf(o.id).slice(0, 14)}0${uuidOf(o.id).slice(15)}`),
    path: 'id',
  },
  {
    name: 'id with a Microsoft-variant UUID',
    applies: all,
    mutate: (o) => withProperty(o, 'id', `${String(o.type)}--${uuidOf(o.id).slice(0, 19)}c${uuidOf(o.id).slice(20)}`),
    path: 'id',
  },
  {
    name: 'id with an NCS-variant UUID',
    applies: all,
    mutate: (o) => withProperty(o, 'id', `${String(o.type)}--${uuidOf(o.id).slice(0, 19)}7${uuidOf(o.id).slice(20)}`),
    path: 'id',
  },
  {
    name: 'id with a path-like sequence',
    applies: all,
    mutate: (o) => withProperty(o, 'id', `${String(o.type)}--../../${uuidOf(o.id)}`),
    path: 'id',
  },
  { name: 'id of another type', applies: all, mutate: (o) => withProperty(o, 'id', `x-other--${uuidOf(o.id)}`), path: 'id' },
  {
    name: 'type bundle',
    applies: all,
    mutate: (o) => ({ ...withProperty(o, 'type', 'bundle'), id: `bundle--${uuidOf(o.id)}` }),
    path: 'type',
  },
  // Property names (STIX 2.1 §3.1, §11.1)
  ...['X_Upper', 'x-hyphen', 'x space', 'ab', 'a'.repeat(251), 'x_naïve', '', '__proto__', 'toString', 'hasOwnProperty'].map((name) =>
    set(name, 'x', all, name),
  ),
  // Timestamps
  ...[
    '2026-02-30T00:00:00.000Z',
    '2023-02-29T00:00:00.000Z',
    '2026-13-01T00:00:00.000Z',
    '2026-01-01T24:00:00.000Z',
    '2026-01-00T00:00:00.000Z',
    '2026-01-01',
    '2026-01-01T00:00:00.000+01:00',
    1767225600000,
  ].map((value) => set('created', value)),
  ...['2026-02-30T00:00:00Z', '2026-04-31T00:00:00Z'].map((value) => set('valid_from', value)),
  // confidence: an integer from 0 to 100 (STIX 2.1 §3.2)
  ...[JSON.parse('1e400') as number, 2 ** 53 + 2, 101, -1, 50.5, '50', true].map((value) => set('confidence', value)),
  // Lists: of the right shape, not empty (STIX 2.1 §2)
  ...[[], 'malicious', [1], [['x']]].map((value) => set('labels', value)),
  ...[[], 'malicious-activity', [1]].map((value) => set('indicator_types', value, ofType('indicator'))),
  ...[[], 'x', [{}], [{ kill_chain_name: 'lockheed-martin-cyber-kill-chain' }], [{ kill_chain_name: 1, phase_name: 'p' }], ['x']].map(
    (value) => set('kill_chain_phases', value),
  ),
  ...[[], {}, [{}], [{ source_name: 'x' }], [{ source_name: 1, url: 'https://example.com' }], ['x']].map((value) =>
    set('external_references', value),
  ),
  // Strings
  ...[1, ['x'], { a: 1 }, true].map((value) => set('name', value)),
  ...[1, ['x']].map((value) => set('description', value)),
  ...[1, ['en'], 'not a language tag'].map((value) => set('lang', value)),
  // No null
  set('description', null),
  set('x_acme_note', null, all),
  set('x_acme_details', { inner: null }, all, 'x_acme_details.inner'),
  set('x_acme_list', [], all),
  // Markings (STIX 2.1 §7.2)
  ...[
    [{ marking_ref: TLP_GREEN }],
    [{ marking_ref: TLP_GREEN, selectors: [] }],
    [{ selectors: ['description'] }],
    [{ marking_ref: TLP_GREEN, lang: 'en', selectors: ['description'] }],
    [{ marking_ref: IDENTITY, selectors: ['description'] }],
    [{ marking_ref: TLP_GREEN, selectors: ['Description!'] }],
  ].map((value) => set('granular_markings', value)),
  ...[[IDENTITY], ['not-an-id'], TLP_GREEN, []].map((value) => set('object_marking_refs', value)),
  ...['identity--not-a-uuid', 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', 42].map((value) => set('created_by_ref', value)),
  // Relationships
  ...['not-an-id', 42, 'indicator--00000000-0000-0000-0000-000000000000'].map((value) => set('source_ref', value, ofType('relationship'))),
  ...['not-an-id', ['malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f']].map((value) => set('target_ref', value, ofType('relationship'))),
  set('relationship_type', 'Uses Heavily', ofType('relationship')),
  set('target_ref', TLP_GREEN, ofType('relationship')),
  // Indicators
  ...[42, ["[ipv4-addr:value = '198.51.100.1']"], { a: 1 }].map((value) => set('pattern', value, ofType('indicator'))),
  set('valid_until', '2000-01-01T00:00:00Z', ofType('indicator')),
  // Extensions (STIX 2.1 §7.3)
  ...[
    {},
    { 'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e': {} },
    { 'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e': 'x' },
    'x',
  ].map((value) => set('extensions', value)),
];

/** Mutations the schemas let through and the specification does not; each with the reason the spec gives. */
const STRICTER: Record<string, string> = {
  'created = "2026-02-30T00:00:00.000Z"': 'RFC 3339 §5.7: a date must exist; the schema pattern allows day 30 in every month',
  'created = "2023-02-29T00:00:00.000Z"': 'RFC 3339 §5.7: 2023 is not a leap year',
  'valid_from = "2026-02-30T00:00:00Z"': 'RFC 3339 §5.7: a date must exist',
  'valid_from = "2026-04-31T00:00:00Z"': 'RFC 3339 §5.7: April has 30 days',
  [`${'a'.repeat(251)} = "x"`]: 'STIX 2.1 §3.1: at most 250 characters; the schema pattern is anchored only at the start',
  'x_naïve = "x"': 'STIX 2.1 §3.1: ASCII a–z, 0–9, _ only; the schema pattern is anchored only at the start',
  'hasOwnProperty = "x"': 'STIX 2.1 §3.1: lower case only; the schema pattern is anchored only at the start',
  'x_acme_details = {"inner":null}': 'no STIX type is null; the schema does not look inside custom objects',
  'lang = "not a language tag"': 'STIX 2.1 §3.2: lang is an RFC 5646 language code; the schema only asks for a string',
  'granular_markings = [{"marking_ref":"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da","lang":"en","selectors":["description"]}]':
    'STIX 2.1 §7.2.3: marking_ref and lang are mutually exclusive',
  'object_marking_refs = ["identity--8ce3f695-d5a4-4dc8-9e93-a65af453a31a"]':
    'STIX 2.1 §7.2.2: object_marking_refs name marking-definition objects',
  'created_by_ref = "malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"': 'STIX 2.1 §3.2: created_by_ref names an identity',
  'valid_until = "2000-01-01T00:00:00Z"': 'STIX 2.1 §4.7: valid_until must be later than valid_from',
};

/** Up to three example objects of each type the mutation applies to. */
function targets(mutation: Mutation): Json[] {
  const perType = new Map<string, number>();
  return examples.filter((object) => {
    if (!mutation.applies(object)) return false;
    const seen = perType.get(String(object.type)) ?? 0;
    perType.set(String(object.type), seen + 1);
    return seen < 3;
  });
}

describe('STIX 2.1 validation against the OASIS schemas', () => {
  it('accepts every valid OASIS example, as the schemas do', () => {
    const refused = examples
      .map((object) => [object.id, kyoyuRefuses(object), schemaAccepts(String(object.type), object)])
      .filter(([, reason, schema]) => reason !== undefined || !schema);

    expect(examples.length).toBeGreaterThan(250);
    expect(refused).toEqual([]);
  });

  it('applies every mutation to some example, and has a reason for each case where only the spec refuses', () => {
    const unused = MUTATIONS.filter((mutation) => targets(mutation).length === 0).map((m) => m.name);
    const unknown = Object.keys(STRICTER).filter((name) => !MUTATIONS.some((m) => m.name === name));

    expect(unused).toEqual([]);
    expect(unknown).toEqual([]);
    expect(MUTATIONS.flatMap(targets).length).toBeGreaterThan(1000);
  });

  it.each(MUTATIONS.map((m) => [m.name, m] as const))(
    '%s: refused, naming the property, and the schemas agree unless listed as stricter',
    (_name, mutation) => {
      const disagreements = targets(mutation).flatMap((object) => {
        const mutated = mutation.mutate(object);
        const reason = kyoyuRefuses(mutated);
        const schema = schemaAccepts(String(object.type), mutated);
        const out: string[] = [];
        if (reason === undefined) out.push(`${String(object.id)}: accepted`);
        else if (
          !reason
            .split('; ')
            .some(
              (part) =>
                part.startsWith(`${mutation.path}: `) || part.startsWith(`${mutation.path}[`) || part.startsWith(`${mutation.path}.`),
            )
        )
          out.push(`${String(object.id)}: reason names no ${mutation.path}: ${reason}`);
        if (schema !== mutation.name in STRICTER) out.push(`${String(object.id)}: schema ${schema ? 'accepts' : 'refuses'}`);
        return out;
      });

      expect(disagreements).toEqual([]);
    },
  );
});

describe('generated values: Kyoyu and the schemas agree, or the spec says why not', () => {
  const indicator = examples.find((object) => object.type === 'indicator')!;
  const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: length, maxLength: length });

  it('identifiers: accepted exactly when the schema accepts them (RFC 4122 variant, version 1–5)', () => {
    fc.assert(
      fc.property(
        hex(8),
        hex(4),
        fc.constantFrom(...'0123456789abcdef'),
        hex(3),
        fc.constantFrom(...'0123456789abcdef'),
        hex(3),
        hex(12),
        (a, b, version, c, variant, d, e) => {
          const object = withProperty(indicator, 'id', `indicator--${a}-${b}-${version}${c}-${variant}${d}-${e}`);

          expect([object.id, kyoyuRefuses(object) === undefined]).toEqual([object.id, schemaAccepts('indicator', object)]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('timestamps: accepted when the schema accepts them and the date and time exist', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 24 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        (year, month, day, hour, minute, second) => {
          const timestamp = `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}.000Z`;
          const object: Json = { ...clone(indicator), created: timestamp, modified: timestamp, valid_from: timestamp };
          delete object.valid_until;
          const date = new Date(0);
          date.setUTCFullYear(year, month - 1, day);
          date.setUTCHours(hour, minute, Math.min(second, 59));
          const exists =
            date.getUTCFullYear() === year &&
            date.getUTCMonth() === month - 1 &&
            date.getUTCDate() === day &&
            date.getUTCHours() === hour &&
            date.getUTCMinutes() === minute &&
            (second < 60 || (hour === 23 && minute === 59));

          expect([timestamp, kyoyuRefuses(object) === undefined]).toEqual([timestamp, schemaAccepts('indicator', object) && exists]);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('custom property names: accepted only when the schema accepts them and they are 3–250 of a–z, 0–9, _', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: fc.constantFrom(...'abcxyz019_-AZ .é'), maxLength: 8 }), fc.string({ maxLength: 6 })),
        (name) => {
          fc.pre(!name.endsWith('_bin') && !name.endsWith('_hex') && !Object.hasOwn(stixPropertiesOf('indicator')!, name));
          const object = withProperty(indicator, name, 'x');
          const spec = /^[a-z0-9_]{3,250}$/.test(name) && name !== '__proto__';

          expect([name, kyoyuRefuses(object) === undefined]).toEqual([name, spec]);
          if (spec) expect([name, schemaAccepts('indicator', object)]).toEqual([name, /^[a-z]/.test(name) || /id$/.test(name)]);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('refusals name the property and the rule', () => {
  const indicator = examples.find((object) => object.type === 'indicator' && object.confidence === undefined)!;

  it.each([
    [{ confidence: JSON.parse('1e400') as number }, 'confidence: must be an integer from 0 to 100'],
    [{ confidence: 2 ** 53 + 2 }, 'confidence: must be an integer from 0 to 100'],
    [{ pattern: 42 }, 'pattern: must be a string, got a number'],
    [{ labels: [] }, 'labels: must not be an empty list (STIX 2.1 §2: omit the property instead)'],
    [
      { created: '2026-02-30T00:00:00.000Z', modified: '2026-03-01T00:00:00.000Z' },
      'created: must be a real UTC date and time, RFC 3339, such as 2026-01-02T03:04:05.678Z',
    ],
    [
      { object_marking_refs: [IDENTITY] },
      'object_marking_refs[0]: must be a STIX identifier of marking-definition (type--UUID, STIX 2.1 §2.9)',
    ],
    [
      { granular_markings: [{ marking_ref: TLP_GREEN }] },
      'granular_markings[0].selectors: is required: a granular marking applies to the properties its selectors name (STIX 2.1 §7.2.3)',
    ],
    [{ X_Acme: 1 }, 'X_Acme: property names must be 3–250 characters of a–z, 0–9 and _ (STIX 2.1 §3.1)'],
    [{ id: 'indicator--00000000-0000-0000-0000-000000000000' }, 'id: must be indicator--<RFC 4122 UUID> (STIX 2.1 §2.9)'],
  ])('%j → %s', (change, reason) => {
    expect(kyoyuRefuses({ ...clone(indicator), ...change })).toBe(reason);
  });
});

describe('predefined SCO extensions (STIX 2.1 §7.3), against the schemas', () => {
  const file = {
    type: 'file',
    spec_version: '2.1',
    id: 'file--e277603e-1060-5ad4-9937-c26c97f1ca68',
    name: 'a.exe',
    hashes: { 'SHA-256': 'ab'.repeat(32) },
    extensions: {
      'windows-pebinary-ext': {
        pe_type: 'exe',
        machine_hex: '014c',
        number_of_sections: 4,
        optional_header: { magic_hex: '010b', size_of_code: 4096, image_base: 4194304 },
        sections: [{ name: '.text', size: 4096, entropy: 6.1 }],
      },
      'raster-image-ext': { image_height: 10, image_width: 20, bits_per_pixel: 24 },
    },
  };
  const process = {
    type: 'process',
    spec_version: '2.1',
    id: 'process--f52a906a-0dfc-40bd-92f1-e7778ead38a9',
    pid: 1221,
    extensions: {
      'windows-process-ext': { aslr_enabled: true, integrity_level: 'high' },
      'windows-service-ext': { service_name: 'sirvizio', start_type: 'SERVICE_AUTO_START', service_status: 'SERVICE_RUNNING' },
    },
  };
  const traffic = {
    type: 'network-traffic',
    spec_version: '2.1',
    id: 'network-traffic--15a157a8-26e3-56e0-820b-0c2a8e553a2c',
    protocols: ['tcp'],
    src_ref: 'ipv4-addr--4d22aae0-2bf9-5427-8819-e4f6abf20a53',
    extensions: {
      'socket-ext': { address_family: 'AF_INET', socket_type: 'SOCK_STREAM', socket_handle: 3 },
      'tcp-ext': { src_flags_hex: '00000002' },
    },
  };
  const path = (object: Json, keys: string[], value: unknown): Json => {
    const copy = clone(object);
    let at = copy;
    for (const key of keys.slice(0, -1)) at = (Array.isArray(at[key]) ? (at[key] as Json[])[0] : at[key]) as Json;
    at[keys[keys.length - 1]!] = value;
    return copy;
  };

  it('accepts well-formed extensions, as the schemas do', () => {
    expect([file, process, traffic].map((object) => [object.type, kyoyuRefuses(object), schemaAccepts(object.type, object)])).toEqual([
      ['file', undefined, true],
      ['process', undefined, true],
      ['network-traffic', undefined, true],
    ]);
  });

  // schemaToo: whether the schema accepts the change too (only where the spec is stricter than it)
  it.each([
    {
      object: file,
      keys: ['extensions', 'raster-image-ext', 'image_height'],
      value: '10',
      named: 'extensions.raster-image-ext.image_height',
      schemaToo: false,
    },
    {
      object: file,
      keys: ['extensions', 'windows-pebinary-ext', 'machine_hex'],
      value: 'zz',
      named: 'extensions.windows-pebinary-ext.machine_hex',
      schemaToo: false,
    },
    {
      object: file,
      keys: ['extensions', 'windows-pebinary-ext', 'optional_header', 'size_of_code'],
      value: 'big',
      named: 'extensions.windows-pebinary-ext.optional_header.size_of_code',
      schemaToo: false,
    },
    {
      object: file,
      keys: ['extensions', 'windows-pebinary-ext', 'sections', 'entropy'],
      value: 'high',
      named: 'extensions.windows-pebinary-ext.sections[0].entropy',
      schemaToo: false,
    },
    {
      object: file,
      keys: ['extensions', 'windows-pebinary-ext', 'sections'],
      value: [],
      named: 'extensions.windows-pebinary-ext.sections',
      schemaToo: false,
    },
    {
      object: process,
      keys: ['extensions', 'windows-process-ext', 'integrity_level'],
      value: 'HIGH',
      named: 'extensions.windows-process-ext.integrity_level',
      schemaToo: false,
    },
    {
      object: process,
      keys: ['extensions', 'windows-service-ext', 'start_type'],
      value: 'auto',
      named: 'extensions.windows-service-ext.start_type',
      schemaToo: false,
    },
    {
      object: traffic,
      keys: ['extensions', 'socket-ext', 'address_family'],
      value: 'AF_MARS',
      named: 'extensions.socket-ext.address_family',
      schemaToo: false,
    },
    {
      object: traffic,
      keys: ['extensions', 'tcp-ext', 'src_flags_hex'],
      value: 2,
      named: 'extensions.tcp-ext.src_flags_hex',
      schemaToo: false,
    },
    // STIX 2.1 §6.12: src_ref MUST name an ipv4-addr, ipv6-addr, mac-addr or domain-name; the schema takes any identifier.
    { object: traffic, keys: ['src_ref'], value: 'file--e277603e-1060-5ad4-9937-c26c97f1ca68', named: 'src_ref', schemaToo: true },
  ])('$named = $value: refused, naming the property; the schema accepts it: $schemaToo', ({ object, keys, value, named, schemaToo }) => {
    const mutated = path(object as Json, keys, value);

    expect(kyoyuRefuses(mutated)).toMatch(new RegExp(`^${named.replace(/[.[\]]/g, '\\$&')}: `));
    expect(schemaAccepts(String(object.type), mutated)).toBe(schemaToo);
  });
});

describe('refusals stay short whatever the object', () => {
  it('cuts a long property name in the path and lists the first 20 issues', () => {
    const indicator = examples.find((object) => object.type === 'indicator')!;
    const object = { ...clone(indicator), ['X'.repeat(100_000)]: 1, labels: Array.from({ length: 5_000 }, (_, i) => i) };

    const reason = kyoyuRefuses(object)!;

    expect(reason.length).toBeLessThan(2_500);
    expect(reason).toMatch(/^X{300}…: property names must be/);
    expect(reason).toMatch(/; and 4981 more$/);
  });
});

describe('any JSON at all', () => {
  it('is judged, never thrown on: arbitrary values in every predefined property of every example type', () => {
    const types = [...new Set(examples.map((object) => String(object.type)))];
    fc.assert(
      fc.property(
        fc.constantFrom(...types),
        fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
        fc.jsonValue({ maxDepth: 3 }),
        (type, extra, value) => {
          const base = examples.find((object) => object.type === type)!;
          const names = Object.keys(stixPropertiesOf(type)!);
          const object = {
            ...clone(base),
            ...(JSON.parse(JSON.stringify(extra)) as Json),
            [names[Object.keys(extra).length % names.length]!]: value,
          };

          const result = normalizeObject(object as StixObject);

          expect(typeof result.ok).toBe('boolean');
          if (!result.ok) expect(result.reason).not.toBe('');
        },
      ),
      { numRuns: 500 },
    );
  });
});
