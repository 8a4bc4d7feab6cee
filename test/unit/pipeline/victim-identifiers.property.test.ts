import fc from 'fast-check';
import { victimMatcher, type VictimIdentifiers } from '../../../shared/core/pipeline/victim-identifiers';
import { shadowOf } from '../../../shared/core/pipeline/shadow-text';
import { ipv6Groups } from '../../../shared/core/pipeline/address-scan';
import { parseIpv6 } from '../../../shared/core/observable/ip';

/**
 * An adversary smuggles registry values past the matcher in every spelling a reader still reads (full-width,
 * case, zero-width, percent-encoding, defanging, split names, other address notations) inside random prose.
 * Each member writes its values in its own letters and kanji, which the prose never uses: so a member is named in
 * a text exactly when one of its values was smuggled into it, and prose alone names nobody.
 */

const MEMBERS = [
  { letters: 'kq', kanji: '関東', v4: 1, v6: 'a1' },
  { letters: 'xz', kanji: '北海', v4: 2, v6: 'b2' },
  { letters: 'vw', kanji: '九州', v4: 3, v6: 'c3' },
] as const;
const PROSE_LETTERS = 'abcdefghilmnoprstu';
const PROSE_KANA = 'のにはをがで攻撃侵入検知';
const TLDS = ['jp', 'co.jp', 'com', 'net'];

const wordOf = (letters: string, min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...letters), minLength: min, maxLength: max });

interface Generated {
  registry: VictimIdentifiers;
  /** Values in the shape they are written in text, each tagged with what it is (to pick its spellings). */
  values: Array<{ kind: 'name' | 'host' | 'email' | 'reference' | 'v4' | 'v6'; text: string }>;
}

const memberArb = (index: number): fc.Arbitrary<Generated> => {
  const { letters, kanji, v4, v6 } = MEMBERS[index]!;
  const word = wordOf(letters, 3, 6);
  const label = fc
    .tuple(wordOf(letters, 3, 6), fc.option(wordOf(letters, 2, 4), { nil: undefined }))
    .map(([a, b]) => (b ? `${a}-${b}` : a));
  const domain = fc.tuple(label, fc.constantFrom(...TLDS)).map(([l, tld]) => `${l}.${tld}`);
  return fc
    .record({
      names: fc.array(
        fc.array(word, { minLength: 1, maxLength: 2 }).map((words) => words.join(' ')),
        { minLength: 1, maxLength: 2 },
      ),
      kanjiName: wordOf(kanji, 3, 4),
      brand: word,
      domain,
      emailDomain: domain,
      internal: label.map((l) => `${l}.local`),
      prefix: wordOf(letters, 2, 3).map((p) => `${p.toUpperCase()}-`),
      v4Net: fc.integer({ min: 0, max: 255 }),
    })
    .map((r) => ({
      registry: {
        memberId: `member-${index}`,
        names: [...r.names, r.kanjiName],
        domains: [r.domain],
        emailDomains: [r.emailDomain],
        ipRanges: [`10.${v4}.${r.v4Net}.0/24`, `2001:db8:${v6}::/48`],
        brands: [r.brand],
        internalHostSuffixes: [`.${r.internal}`],
        referencePrefixes: [r.prefix],
      },
      values: [
        ...[...r.names, r.kanjiName, r.brand].map((text) => ({ kind: 'name' as const, text })),
        { kind: 'host' as const, text: r.domain },
        { kind: 'host' as const, text: r.internal },
        { kind: 'email' as const, text: `soc@${r.emailDomain}` },
        { kind: 'reference' as const, text: `${r.prefix}2024-17` },
        { kind: 'v4' as const, text: `10.${v4}.${r.v4Net}.` },
        { kind: 'v6' as const, text: `2001:db8:${v6}::` },
      ],
    }));
};

const registriesArb = fc.tuple(memberArb(0), memberArb(1), memberArb(2));

// Spellings --------------------------------------------------------------------------------------------------

const DOTS = ['.', '[.]', '(.)', '{.}', '[dot]', '(dot)', ' dot ', '\\.', '。', '．', '｡', '%2E', ' [.] '];
const ATS = ['@', '[@]', '[at]', '(at)', '%40'];
const NAME_SEPARATORS = [' ', '', '-', '_', '  ', '\n', '・', ' \t '];
const INVISIBLES = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u202e', '\u2066', '\ufe0f'];

type Spelling = (text: string, random: () => number) => string;
const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;
const perChar = (text: string, random: () => number, change: (ch: string) => string, rate = 0.3) =>
  [...text].map((ch) => (random() < rate ? change(ch) : ch)).join('');

const caseSpelling: Spelling = (t, r) => perChar(t, r, (ch) => ch.toUpperCase(), 0.5);
const fullWidth: Spelling = (t, r) => perChar(t, r, (ch) => (ch >= '!' && ch <= '~' ? String.fromCharCode(ch.charCodeAt(0) + 0xfee0) : ch));
const zeroWidth: Spelling = (t, r) => perChar(t, r, (ch) => `${ch}${pick(INVISIBLES, r)}`, 0.2);
const percent: Spelling = (t, r) =>
  perChar(
    t,
    r,
    (ch) =>
      ch === ' ' || ch === '\n' || ch === '\t'
        ? ch
        : encodeURIComponent(ch) === ch
          ? `%${ch.charCodeAt(0).toString(16).padStart(2, '0')}`
          : encodeURIComponent(ch),
    0.2,
  );
const CHAR_SPELLINGS = [caseSpelling, fullWidth, zeroWidth, percent];

/** The address of a range in one of its notations. */
function addressIn(kind: 'v4' | 'v6', stem: string, random: () => number): string {
  const host = 1 + Math.floor(random() * 254);
  if (kind === 'v6') {
    const groups = `${stem}${host.toString(16)}`;
    const full = groups.replace('::', ':0:0:0:0:');
    return pick(
      [
        groups,
        groups.toUpperCase(),
        `[${groups}]`,
        `${groups}%eth0`,
        full,
        full
          .split(':')
          .map((g) => g.padStart(4, '0'))
          .join(':'),
      ],
      random,
    );
  }
  const octets = [...stem.split('.').filter(Boolean).map(Number), host];
  const integer = octets.reduce((n, o) => n * 256 + o, 0);
  return pick(
    [
      octets.join('.'),
      octets.map((o) => String(o).padStart(3, '0')).join('.'),
      String(integer),
      `0x${integer.toString(16)}`,
      octets.map((o) => `0x${o.toString(16)}`).join('.'),
      `::ffff:${octets.join('.')}`,
    ],
    random,
  );
}

/** A value smuggled in a random combination of spellings. */
function spell(value: Generated['values'][number], random: () => number): string {
  let text = value.text;
  if (value.kind === 'v4' || value.kind === 'v6') text = addressIn(value.kind, text, random);
  if (value.kind === 'name') text = text.split(' ').join(pick(NAME_SEPARATORS, random));
  if (value.kind === 'host' && random() < 0.3) text = `srv.${text}`;
  if (value.kind === 'host' && random() < 0.3) text = `${pick(['hxxps://', 'hxxp[:]//', 'https://', 'fxp://'], random)}${text}/index`;
  if (value.kind === 'email') text = text.replace('@', pick(ATS, random));
  if (value.kind !== 'name' && value.kind !== 'v6')
    text = text
      .split('.')
      .map((part, i) => (i === 0 ? part : `${pick(DOTS, random)}${part}`))
      .join('');
  for (const spelling of CHAR_SPELLINGS) if (random() < 0.5) text = spelling(text, random);
  return text;
}

// Prose ------------------------------------------------------------------------------------------------------

const proseArb = fc
  .array(
    fc.oneof(
      wordOf(PROSE_LETTERS, 1, 8),
      wordOf(PROSE_KANA, 1, 4),
      fc.constantFrom(', ', '. ', '! ', ' (', ') ', '\n', '  ', ' dot ', '。'),
    ),
    { maxLength: 12 },
  )
  .map((words) => words.join(' '));
const DELIMITERS = [' ', '\n', ', ', ' (', ') ', 'の', 'は', '「', '」', '\t', ': '];

const smuggledArb = registriesArb.chain((members) =>
  fc
    .record({
      picks: fc.array(fc.tuple(fc.nat(2), fc.nat(20)), { minLength: 1, maxLength: 5 }),
      prose: fc.array(proseArb, { minLength: 6, maxLength: 6 }),
      seed: fc.integer(),
    })
    .map(({ picks, prose, seed }) => {
      const random = mulberry32(seed);
      const smuggled = new Set<string>();
      const parts: string[] = [prose[0]!];
      picks.forEach(([member, valueIndex], k) => {
        const generated = members[member]!;
        const value = generated.values[valueIndex % generated.values.length]!;
        smuggled.add(generated.registry.memberId);
        parts.push(pick(DELIMITERS, random), spell(value, random), pick(DELIMITERS, random), prose[(k + 1) % prose.length]!);
      });
      return { registries: members.map((m) => m.registry), text: parts.join(''), smuggled };
    }),
);

/** Deterministic randomness from fast-check's seed, so a failure replays and shrinks. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) };

describe('victim identifiers against a smuggler', () => {
  it('leaves no registry value readable and names exactly the members whose values were smuggled', () => {
    fc.assert(
      fc.property(smuggledArb, ({ registries, text, smuggled }) => {
        const matcher = victimMatcher(registries);

        const first = matcher.scan(text);
        const again = matcher.scan(first.text);

        expect(again.members).toEqual([]);
        expect(first.members).toEqual(registries.map((r) => r.memberId).filter((id) => smuggled.has(id)));
        for (const generated of registries.flatMap((r) => [...r.names, ...r.brands])) {
          expect(shadowOf(first.text).text.replace(/[\s_・-]/g, '')).not.toContain(generated.toLowerCase().replace(/\s/g, ''));
        }
      }),
      RUNS,
    );
  });

  it('returns prose and near misses (a letter glued on, addresses outside the ranges) unchanged', () => {
    // "kq-kkq.jp" is no near miss when "kkq" is also a name: the hyphen makes it a word of its own.
    const unhyphenated = (host: string) => host.replace(/-/g, '');
    const nearMissArb = registriesArb.chain((members) =>
      fc
        .record({
          prose: fc.array(proseArb, { minLength: 1, maxLength: 4 }),
          misses: fc.array(
            fc.oneof(
              fc
                .tuple(fc.nat(2), fc.constantFrom(...PROSE_LETTERS))
                .map(([m, letter]) => `${letter}${unhyphenated(members[m]!.registry.domains[0]!)}`),
              fc.tuple(fc.nat(2), fc.constantFrom(...PROSE_LETTERS)).map(([m, letter]) => `${letter}${members[m]!.registry.brands[0]}`),
              fc
                .tuple(fc.nat(2), fc.constantFrom(...PROSE_LETTERS))
                .map(([m, letter]) => `${letter}${members[m]!.registry.referencePrefixes[0]!.toLowerCase()}17`),
              fc
                .tuple(fc.nat(2), fc.constantFrom(...PROSE_LETTERS))
                .map(([m, letter]) => `${letter}${unhyphenated(members[m]!.registry.internalHostSuffixes[0]!.slice(1))}`),
              fc.tuple(fc.integer({ min: 4, max: 255 }), fc.nat(255), fc.nat(255)).map(([b, c, d]) => `10.${b}.${c}.${d}`),
              fc
                .nat(0xffff)
                .map((g) => `2001:db8:${g.toString(16)}::1`)
                .filter((a) => !/^2001:db8:(a1|b2|c3)::/.test(a)),
            ),
            { maxLength: 4 },
          ),
        })
        .map(({ prose, misses }) => ({ registries: members.map((m) => m.registry), text: [...prose, ...misses].join(' ') })),
    );

    fc.assert(
      fc.property(nearMissArb, ({ registries, text }) => {
        expect(victimMatcher(registries).scan(text)).toEqual({ text, members: [] });
      }),
      RUNS,
    );
  });

  it('returns any text without the members’ letters, kanji or digits unchanged', () => {
    const reserved = new RegExp(`[0-9${MEMBERS.map((m) => m.letters + m.kanji).join('')}]`);
    const textArb = fc.string({ unit: 'binary', maxLength: 60 }).filter((t) => !reserved.test(shadowOf(t).text));

    fc.assert(
      fc.property(registriesArb, textArb, (members, text) => {
        expect(victimMatcher(members.map((m) => m.registry)).scan(text)).toEqual({ text, members: [] });
      }),
      RUNS,
    );
  });

  it('reads IPv6 text as ip.ts does, in every notation', () => {
    const notationArb = fc
      .tuple(
        fc.array(fc.oneof(fc.constant(0), fc.nat(0xffff)), { minLength: 8, maxLength: 8 }),
        fc.nat(7),
        fc.nat(7),
        fc.boolean(),
        fc.boolean(),
      )
      .map(([groups, from, length, padded, v4Tail]) => {
        let texts = groups.map((g) => (padded ? g.toString(16).padStart(4, '0') : g.toString(16)));
        if (v4Tail) texts = [...texts.slice(0, 6), `${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`];
        const cut = Math.min(length, texts.length - from);
        return cut > 0 ? `${texts.slice(0, from).join(':')}::${texts.slice(from + cut).join(':')}` : texts.join(':');
      });
    const junkArb = fc.string({ unit: fc.constantFrom(...'0123456789abcdefg:.'), maxLength: 45 });

    fc.assert(
      fc.property(fc.oneof(notationArb, junkArb), (text) => {
        const groups = ipv6Groups(text);
        const value = parseIpv6(text);
        expect(groups === undefined ? undefined : groups.reduce((n, g) => (n << 16n) | BigInt(g), 0n)).toEqual(value);
      }),
      RUNS,
    );
  });
});
