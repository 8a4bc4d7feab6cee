import fc from 'fast-check';
import { anonymizeSubmission, type AnonymizeContext } from '../../../shared/core/pipeline/anonymize';
import { victimMatcher } from '../../../shared/core/pipeline/victim-identifiers';
import type { StixObject } from '../../../shared/core/taxii/model';

/**
 * The families of spellings the shadow text reads through, tried through anonymize (docs/pipeline.md, anonymize
 * "Every spelling"): look-alike
 * letters of other scripts, text carried in base64/base64url/hex, reverse-DNS names, short and embedded address
 * forms, spaces around dots, plurals, decomposed Hangul. For generated registries, each spelling is put in every
 * place of an object; what is published, read by the independent reader below (Node's Buffer, the test's own
 * look-alike table and address parsers — none of the product's code), must carry no trace of the identity.
 */

const TENANT_IDENTITY = 'identity--0d1c7a5e-0000-4000-8000-00000000b002';
const created = '2026-05-01T00:00:00.000Z';

// ---- registries -------------------------------------------------------------------------------------------
const wordArb = fc
  .tuple(fc.constantFrom(...'aceopxkmt'), fc.stringMatching(/^[a-z]{3,6}$/))
  .map(([first, rest]) => first + rest)
  // Words the look-alike table cannot spell differ only by spelling: keep clear of everyday English and JSON.
  .filter((w) => !['true', 'false', 'type', 'name', 'text'].includes(w));
const registryArb = fc
  .record({
    w1: wordArb,
    w2: wordArb,
    korean: fc.constantFrom('현대전력', '한빛은행', '서울가스'),
    octets: fc.tuple(fc.integer({ min: 11, max: 99 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })),
    group: fc.integer({ min: 1, max: 0xffff }),
  })
  .filter(({ w1, w2 }) => w1 !== w2)
  .map(({ w1, w2, korean, octets, group }) => ({
    memberId: `${w1}-${w2}`,
    w1,
    w2,
    name: `${w1[0]!.toUpperCase()}${w1.slice(1)} ${w2[0]!.toUpperCase()}${w2.slice(1)}`,
    domain: `${w1}-${w2}.co.jp`,
    korean,
    octets,
    v6: `2001:db8:${group.toString(16)}`,
  }));
type Registry = typeof registryArb extends fc.Arbitrary<infer R> ? R : never;

// ---- the families ------------------------------------------------------------------------------------------
/** Latin letters and their look-alikes in Cyrillic and Greek (lower case and capitals). */
const LOOK: Record<string, string[]> = {
  a: ['а', 'α'],
  c: ['с', 'ϲ'],
  e: ['е'],
  o: ['о', 'ο'],
  p: ['р', 'ρ'],
  x: ['х', 'χ'],
  k: ['κ'],
  A: ['А', 'Α'],
  C: ['С'],
  E: ['Е', 'Ε'],
  K: ['К', 'Κ'],
  M: ['М', 'Μ'],
  O: ['О', 'Ο'],
  P: ['Р', 'Ρ'],
  T: ['Т', 'Τ'],
  X: ['Х', 'Χ'],
};
const lookAlike = (s: string, n: number) =>
  [...s].map((ch, i) => (LOOK[ch] && (n >> (i % 16)) & 1 ? LOOK[ch]![(n + i) % LOOK[ch]!.length]! : ch)).join('');
const hex16 = (high: number, low: number) => (high * 256 + low).toString(16);

/** The Hangul syllables as compatibility jamo, computed here (Unicode §3.12). */
function typedJamo(korean: string): string {
  const L = 'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ';
  const T = ['', ...'ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ'];
  return [...korean]
    .map((syllable) => {
      const s = syllable.charCodeAt(0) - 0xac00;
      return L[Math.floor(s / 588)]! + String.fromCharCode(0x314f + Math.floor((s % 588) / 28)) + T[s % 28]!;
    })
    .join('');
}

/** One family's spelling of one of the registry's values; `n` picks the variant. */
const FAMILIES: Record<string, (r: Registry, n: number) => string> = {
  lookAlikeName: (r, n) => lookAlike(r.name, n | 1),
  lookAlikeDomain: (r, n) => `vpn.${lookAlike(r.domain, n | 1)}`,
  base64: (r, n) => {
    const plain = [`beacon to mail.${r.domain} at night`, `owned: ${r.name}`, `from ${r.octets.join('.')}.${n % 256}`, r.korean][n % 4]!;
    return Buffer.from(plain, n % 5 === 0 ? 'utf16le' : 'utf8').toString((['base64', 'base64url', 'hex'] as const)[n % 3]!);
  },
  reverseDns: (r, n) => {
    const [a, b, c] = r.octets;
    if (n % 3 === 0) return `${n % 256}.${c}.${b}.${a}.in-addr.arpa`;
    if (n % 3 === 1) return `${c}.${b}.${a}.IN-ADDR.ARPA`;
    const nibbles = r.v6
      .split(':')
      .map((g) => g.padStart(4, '0'))
      .join('')
      .padEnd(32, '0');
    return `${[...`${nibbles.slice(0, 31)}${(n % 16).toString(16)}`].reverse().join('.')}.ip6.arpa`;
  },
  shortIpv4: (r, n) => {
    const [a, b, c] = r.octets;
    const d = n % 256;
    return [
      `${a}.${(b * 256 + c) * 256 + d}`,
      `${a}.${b}.${c * 256 + d}`,
      `0x${a.toString(16)}.0x${b.toString(16)}.0x${(c * 256 + d).toString(16)}`,
    ][n % 3]!;
  },
  embeddedIpv4: (r, n) => {
    const [a, b, c] = r.octets;
    const d = n % 256;
    return [`2002:${hex16(a, b)}:${hex16(c, d)}::1`, `64:ff9b::${a}.${b}.${c}.${d}`, `::ffff:${hex16(a, b)}:${hex16(c, d)}`][n % 3]!;
  },
  spacedDots: (r, n) => (n % 2 ? `vpn . ${r.domain.split('.').join(' . ')}` : `${r.octets.join(' .')} .${n % 256}`),
  plural: (r, n) => (n % 2 ? `${r.name}s` : `${r.name}'s`),
  hangul: (r, n) => (n % 2 ? r.korean.normalize('NFD') : typedJamo(r.korean)),
};

// ---- places ------------------------------------------------------------------------------------------------
let counter = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;
const PLACES = ['description', 'name', 'custom', 'nested', 'externalReference', 'label'] as const;

function objectSmuggling(place: (typeof PLACES)[number], secret: string): StixObject {
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
      return { ...malware, description: `C2 reached from ${secret} at night` };
    case 'name':
      return { ...malware, name: `Intrusion at ${secret}` };
    case 'custom':
      return { ...malware, x_allowed_notes: secret };
    case 'nested':
      return { ...malware, x_allowed_notes: { deeper: [{ host: secret, note: `seen ${secret}` }] } };
    case 'externalReference':
      return {
        ...malware,
        external_references: [
          { source_name: 'internal', description: `ticket for ${secret}` },
          { source_name: 'intranet', url: `https://${secret}/incident` },
        ],
      };
    case 'label':
      return { ...malware, labels: ['ics', secret] };
  }
}

// ---- the independent reader --------------------------------------------------------------------------------
const FOLD = new Map(Object.entries(LOOK).flatMap(([latin, looks]) => looks.map((l) => [l, latin.toLowerCase()] as const)));

/** What a reader's tools make of a text: its letters folded, and every encoded run it holds decoded. */
function readings(text: string): string[] {
  const fold = (s: string) =>
    [...s.normalize('NFKC')]
      .map((ch) => FOLD.get(ch) ?? ch)
      .join('')
      .toLowerCase()
      .replace(/\s*\.\s*/g, '.');
  const decoded: string[] = [];
  for (const run of text.match(/[A-Za-z0-9+/_-]{4,}={0,2}/g) ?? []) {
    const bytes = Buffer.from(run, /^[0-9a-f]+$/i.test(run) && run.length % 2 === 0 ? 'hex' : 'base64');
    decoded.push(bytes.toString('utf8'), bytes.toString('utf16le'));
    if (/^[0-9a-f]+$/i.test(run)) decoded.push(Buffer.from(run, 'base64').toString('utf8'));
  }
  return [fold(text), ...decoded.map(fold)];
}

/** Every IPv4 address a resolver reads in a text: dotted, short, hex, reversed, inside IPv6. */
function ipv4sIn(text: string): number[] {
  const found: number[] = [];
  const part = (p: string) => (p.startsWith('0x') ? Number.parseInt(p.slice(2), 16) : Number(p));
  for (const m of text.matchAll(/(?<![\w.])((?:0x[0-9a-f]+|\d+)(?:\.(?:0x[0-9a-f]+|\d+)){1,3})(?![\w]|\.\w)/g)) {
    const parts = m[1]!.split('.').map(part);
    const [a = 0, b = 0, c = 0, d = 0] = parts;
    if (parts.length === 4) found.push(((a * 256 + b) * 256 + c) * 256 + d);
    if (parts.length === 3) found.push(a * 2 ** 24 + b * 2 ** 16 + c);
    if (parts.length === 2) found.push(a * 2 ** 24 + b);
  }
  for (const m of text.matchAll(/(\d+)\.(\d+)\.(\d+)(?:\.(\d+))?\.in-addr\.arpa/g)) {
    const [, x, y, z, w] = m.map(Number) as number[];
    found.push(w === undefined || Number.isNaN(w) ? ((z! * 256 + y!) * 256 + x!) * 256 : ((w * 256 + z!) * 256 + y!) * 256 + x!);
  }
  for (const m of text.matchAll(/[0-9a-f:.]*:[0-9a-f:.]+/g)) {
    const groups = ipv6Groups(m[0]);
    if (!groups) continue;
    if (groups[0] === 0x2002) found.push(groups[1]! * 65536 + groups[2]!);
    if ((groups[0] === 0x64 && groups[1] === 0xff9b) || groups.slice(0, 6).join() === '0,0,0,0,0,65535')
      found.push(groups[6]! * 65536 + groups[7]!);
  }
  return found;
}

function ipv6Groups(text: string): number[] | undefined {
  let body = text.replace(/^\.+|\.+$/g, '');
  const v4 = /:(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(body);
  if (v4) body = `${body.slice(0, v4.index + 1)}${hex16(Number(v4[1]), Number(v4[2]))}:${hex16(Number(v4[3]), Number(v4[4]))}`;
  const [head, tail] = body.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => Number.parseInt(g, 16));
}

function traceOf(r: Registry, published: string): string | undefined {
  for (const reading of readings(published)) {
    const compact = reading.replace(/[\s._'-]/g, '');
    if (reading.includes(r.domain)) return `domain in ${reading}`;
    if (compact.includes(`${r.w1}${r.w2}`)) return `name in ${reading}`;
    if (reading.normalize('NFC').includes(r.korean) || reading.includes(typedJamo(r.korean))) return `Korean name in ${reading}`;
    const network = ((r.octets[0] * 256 + r.octets[1]) * 256 + r.octets[2]) * 256;
    if (ipv4sIn(reading).some((a) => a >= network && a < network + 256)) return `address in ${reading}`;
    const nibbles = r.v6
      .split(':')
      .map((g) => g.padStart(4, '0'))
      .join('');
    if (reading.includes([...nibbles].reverse().join('.'))) return `IPv6 reverse name in ${reading}`;
  }
  return undefined;
}

const context = (registries: Registry[]): AnonymizeContext => ({
  victims: victimMatcher(
    registries.map((r) => ({
      memberId: r.memberId,
      names: [r.name, r.korean],
      domains: [r.domain],
      emailDomains: [],
      ipRanges: [`${r.octets.join('.')}.0/24`, `${r.v6}::/48`],
      brands: [],
      internalHostSuffixes: [],
      referencePrefixes: [],
    })),
  ),
  attribution: 'anonymous',
  tenantIdentityId: TENANT_IDENTITY,
  customProperties: ['x_allowed_*'],
});

describe('anonymize, against the families of spellings a reader reads through', () => {
  for (const family of Object.keys(FAMILIES)) {
    it(`publishes no trace of a registered victim spelt as ${family}, in any place`, () => {
      fc.assert(
        fc.property(registryArb, fc.nat(), fc.constantFrom(...PLACES), (registry, n, place) => {
          const secret = FAMILIES[family]!(registry, n);
          const [verdict] = anonymizeSubmission([objectSmuggling(place, secret)], context([registry]), new Set());
          const published = verdict!.kind === 'publish' ? JSON.stringify(verdict!.object) : '';
          const trace = traceOf(registry, published);
          if (trace) throw new Error(`${family} in ${place}: ${trace}`);
        }),
        { numRuns: 120 },
      );
    });
  }
});
