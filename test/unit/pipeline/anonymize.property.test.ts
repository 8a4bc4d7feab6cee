import fc from 'fast-check';
import { anonymizeSubmission, type AnonymizeContext } from '../../../shared/core/pipeline/anonymize';
import { victimMatcher, type VictimIdentifiers } from '../../../shared/core/pipeline/victim-identifiers';
import { referencesOf } from '../../../shared/core/pipeline/references';
import type { StixObject } from '../../../shared/core/taxii/model';

/**
 * The promise to providers as a property (STYLE.md, "Testing against an adversary"): for generated registries and
 * submissions that smuggle registry values through every spelling and every place, no published byte — read the
 * way a person or a tool would read it — names a registered victim, and nothing published points at what was
 * withheld. The oracle below is deliberately naive and independent of the matcher's shadow code.
 */

const TENANT_IDENTITY = 'identity--0d1c7a5e-0000-4000-8000-00000000b002';

// ---- registries -------------------------------------------------------------------------------------------
const LABEL = fc.constantFrom('kanto', 'hokuriku', 'sakura', 'minato', 'tohoku', 'chubu', 'kyushu', 'shikoku', 'aomori', 'nagoya');
const SUFFIX = fc.constantFrom('co.jp', 'jp', 'com', 'net', 'or.jp');
const JAPANESE = fc.constantFrom('関東電力', '北陸水道', 'さくら銀行', '港証券', '東北ガス');

const registryArb = fc
  .record({
    a: LABEL,
    b: fc.constantFrom('power', 'water', 'bank', 'gas', 'rail'),
    suffix: SUFFIX,
    japanese: JAPANESE,
    octets: fc.tuple(fc.integer({ min: 11, max: 99 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })),
    prefix: fc.constantFrom('INC-', 'KP-SEC-', 'CASE-', 'SR-'),
  })
  .map(({ a, b, suffix, japanese, octets, prefix }) => ({
    memberId: `${a}-${b}`,
    domain: `${a}-${b}.${suffix}`,
    name: `${a[0]!.toUpperCase()}${a.slice(1)} ${b[0]!.toUpperCase()}${b.slice(1)}`,
    japanese,
    range: `${octets.join('.')}.0/24`,
    prefix,
  }));
type Registry = typeof registryArb extends fc.Arbitrary<infer R> ? R : never;

const identifiers = (r: Registry): VictimIdentifiers => ({
  memberId: r.memberId,
  names: [r.name, r.japanese],
  domains: [r.domain],
  emailDomains: [],
  ipRanges: [r.range],
  brands: [],
  internalHostSuffixes: [],
  referencePrefixes: [r.prefix],
});

// ---- spellings ---------------------------------------------------------------------------------------------
const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const zeroWidth = (s: string) => [...s].join('\u200b');
const SPELLINGS: Record<string, (s: string) => string> = {
  plain: (s) => s,
  upper: (s) => s.toUpperCase(),
  fullWidth,
  zeroWidth,
  defanged: (s) => s.replace(/\./g, '[.]'),
  dotWord: (s) => s.replace(/\./g, '(dot)'),
  percent: (s) => s.replace(/[.-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  softHyphen: (s) => s.replace(/(.)(.)/, '$1\u00ad$2'),
};
const spellingArb = fc.constantFrom(...Object.keys(SPELLINGS));

function hostIn(r: Registry, n: number): string {
  return `${['vpn', 'mail', 'scada01', 'www'][n % 4]}.${r.domain}`;
}
function addressIn(r: Registry, n: number, form: number): string {
  const [a, b, c] = r.range.split('.').map(Number) as [number, number, number];
  const d = n % 256;
  if (form === 1) return String(((a * 256 + b) * 256 + c) * 256 + d);
  if (form === 2) return [a, b, c, d].map((x) => String(x).padStart(3, '0')).join('.');
  if (form === 3) return `${a}[.]${b}[.]${c}[.]${d}`;
  return `${a}.${b}.${c}.${d}`;
}

/** One smuggled value: which registry, what kind, in which spelling. */
const secretArb = (registries: Registry[]) =>
  fc
    .record({
      r: fc.constantFrom(...registries),
      kind: fc.constantFrom('domain', 'name', 'japanese', 'address', 'ticket', 'email'),
      spelling: spellingArb,
      n: fc.nat(),
      form: fc.nat({ max: 3 }),
    })
    .map(({ r, kind, spelling, n, form }) => {
      const raw =
        kind === 'domain'
          ? hostIn(r, n)
          : kind === 'name'
            ? r.name
            : kind === 'japanese'
              ? r.japanese
              : kind === 'address'
                ? addressIn(r, n, form)
                : kind === 'ticket'
                  ? `${r.prefix}${2024 + (n % 3)}-${String(n % 10000).padStart(4, '0')}`
                  : `soc${n % 10}@${r.domain}`;
      // Japanese text and integer addresses have no dots or case to play with; other spellings still apply.
      return { member: r.memberId, text: SPELLINGS[spelling]!(raw) };
    });

// ---- places ------------------------------------------------------------------------------------------------
let counter = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;
const created = '2026-05-01T00:00:00.000Z';
const PLACES = [
  'description',
  'name',
  'label',
  'custom',
  'customName',
  'nested',
  'externalReference',
  'killChain',
  'pattern',
  'observable',
  'archiveComment',
  'relationshipTarget',
] as const;
type Place = (typeof PLACES)[number];

function objectsSmuggling(place: Place, secret: string): StixObject[] {
  const malware = {
    type: 'malware',
    spec_version: '2.1',
    id: `malware--${uuid()}`,
    created,
    modified: created,
    name: 'Industroyer2',
    is_family: true,
  };
  switch (place) {
    case 'description':
      return [{ ...malware, description: `C2 reached from ${secret} at night` }];
    case 'name':
      return [{ ...malware, name: `Intrusion at ${secret}` }];
    case 'label':
      return [{ ...malware, labels: ['ics', `${secret}`] }];
    case 'custom':
      return [{ ...malware, x_internal_ticket: secret, x_allowed_notes: `seen by ${secret}` }];
    case 'customName':
      return [{ ...malware, [`x_allowed_${secret.replace(/[^A-Za-z0-9]/g, '_')}`]: 'x' }];
    case 'nested':
      return [{ ...malware, x_allowed_notes: { deeper: [{ host: secret }], [secret]: 'key' } }];
    case 'externalReference':
      return [
        {
          ...malware,
          external_references: [
            { source_name: 'internal', description: `ticket for ${secret}` },
            { source_name: 'intranet', url: `https://${secret}/incident` },
          ],
        },
      ];
    case 'killChain':
      return [{ ...malware, kill_chain_phases: [{ kill_chain_name: secret, phase_name: 'execution' }] }];
    case 'pattern':
      return [
        {
          type: 'indicator',
          spec_version: '2.1',
          id: `indicator--${uuid()}`,
          created,
          modified: created,
          pattern: `[domain-name:value = '${secret.replace(/'/g, '')}']`,
          pattern_type: 'stix',
          valid_from: created,
        },
      ];
    case 'observable':
      return [{ type: 'domain-name', spec_version: '2.1', id: `domain-name--${uuid()}`, value: secret }];
    case 'archiveComment':
      return [
        {
          type: 'file',
          spec_version: '2.1',
          id: `file--${uuid()}`,
          hashes: { MD5: 'ab'.repeat(16) },
          extensions: { 'archive-ext': { contains_refs: [`file--${uuid()}`], comment: secret } },
        },
      ];
    case 'relationshipTarget': {
      const victim = { type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${uuid()}`, value: secret };
      const relationship = {
        type: 'relationship',
        spec_version: '2.1',
        id: `relationship--${uuid()}`,
        created,
        modified: created,
        relationship_type: 'communicates-with',
        source_ref: malware.id,
        target_ref: victim.id,
      };
      const report = {
        type: 'report',
        spec_version: '2.1',
        id: `report--${uuid()}`,
        created,
        modified: created,
        name: 'r',
        published: created,
        object_refs: [relationship.id, malware.id],
      };
      return [report, relationship, malware, victim];
    }
  }
}

// ---- the independent oracle --------------------------------------------------------------------------------
function readerReading(text: string): string {
  let out = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u200b-\u200f\u2060\ufeff\u00ad\u202a-\u202e]/g, '');
  for (let i = 0; i < 3; i++) out = out.replace(/%([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return out
    .replace(/\[\.\]|\(dot\)|\[dot\]/g, '.')
    .replace(/_/g, ' ')
    .replace(/\s+/g, ' ');
}

function forbiddenIn(r: Registry): Array<(reading: string) => boolean> {
  const [a, b, c] = r.range.split('.').map(Number) as [number, number, number];
  const base = ((a * 256 + b) * 256 + c) * 256;
  const integers = new RegExp(`(?<!\\d)(${Array.from({ length: 256 }, (_, d) => base + d).join('|')})(?!\\d)`);
  const dotted = new RegExp(`(?<!\\d)0*${a}\\.0*${b}\\.0*${c}\\.\\d{1,3}(?!\\d)`);
  return [
    (s) => s.includes(r.domain),
    (s) => s.includes(r.name.toLowerCase()) || s.includes(r.name.toLowerCase().replace(' ', '')),
    (s) => s.includes(r.japanese),
    (s) => s.includes(r.prefix.toLowerCase()),
    (s) => dotted.test(s),
    (s) => integers.test(s),
  ];
}

const context = (registries: Registry[]): AnonymizeContext => ({
  victims: victimMatcher(registries.map(identifiers)),
  attribution: 'anonymous',
  tenantIdentityId: TENANT_IDENTITY,
  customProperties: ['x_allowed_*'],
});

describe('anonymize, as an adversary tries it', () => {
  it('publishes no byte that names a registered victim, whatever the spelling and the place', () => {
    const scenario = fc.uniqueArray(registryArb, { minLength: 1, maxLength: 3, selector: (r) => r.memberId }).chain((registries) =>
      fc.record({
        registries: fc.constant(registries),
        smuggled: fc.array(fc.record({ place: fc.constantFrom(...PLACES), secret: secretArb(registries) }), {
          minLength: 1,
          maxLength: 6,
        }),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ registries, smuggled }) => {
        const objects = smuggled.flatMap(({ place, secret }) => objectsSmuggling(place, secret.text));
        const verdicts = anonymizeSubmission(objects, context(registries), new Set());
        const published = verdicts.flatMap((v) => (v.kind === 'publish' ? [v.object] : []));
        const reading = readerReading(JSON.stringify(published));
        for (const r of registries)
          for (const forbidden of forbiddenIn(r)) if (forbidden(reading)) throw new Error(`${r.memberId} readable in ${reading}`);
      }),
      { numRuns: 300 },
    );
  });

  it('publishes nothing that points at a withheld object, whatever the order of the submission', () => {
    const scenario = registryArb.chain((registry) =>
      fc.record({
        registry: fc.constant(registry),
        smuggled: fc.array(
          fc.record({ place: fc.constantFrom<Place>('relationshipTarget', 'observable', 'description'), secret: secretArb([registry]) }),
          { minLength: 1, maxLength: 5 },
        ),
        seed: fc.nat(),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ registry, smuggled, seed }) => {
        const objects = smuggled.flatMap(({ place, secret }) => objectsSmuggling(place, secret.text));
        const shuffled = objects
          .map((o, i) => ({ o, k: (i * 2654435761 + seed) % 4294967296 }))
          .sort((x, y) => x.k - y.k)
          .map((x) => x.o);
        const verdicts = anonymizeSubmission(shuffled, context([registry]), new Set());
        const withheld = new Set(shuffled.filter((_, i) => verdicts[i]!.kind === 'withhold').map((o) => o.id));
        for (const v of verdicts) if (v.kind === 'publish') expect(referencesOf(v.object).filter((ref) => withheld.has(ref))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps prose that names nobody exactly as it was', () => {
    fc.assert(
      fc.property(registryArb, fc.string({ unit: 'grapheme', maxLength: 80 }), (registry, text) => {
        fc.pre(!forbiddenIn(registry).some((f) => f(readerReading(text))) && !/[0-9@%]|\./.test(text));
        const malware = {
          type: 'malware',
          spec_version: '2.1',
          id: 'malware--1',
          created,
          modified: created,
          name: 'x',
          is_family: true,
          description: text,
        };
        const [verdict] = anonymizeSubmission([malware], context([registry]), new Set());
        expect(verdict).toEqual({ kind: 'publish', object: { ...malware, created_by_ref: TENANT_IDENTITY }, redactedFor: [] });
      }),
      { numRuns: 200 },
    );
  });
});
