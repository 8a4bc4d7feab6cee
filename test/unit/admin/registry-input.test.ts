import fc from 'fast-check';
import { parseInput } from '../../../shared/core/input';
import { MAX_REGISTRY_ENTRIES, PUBLIC_REFERENCE_SCHEMES, RegistryInputSchema } from '../../../shared/core/admin/registry-input';
import { MemberRegistrySchema } from '../../../shared/core/directory/registry';
import { BadRequestError } from '../../../shared/core/errors';

/** The 400's description for a body, or 'accepted'. */
function verdict(body: unknown): string {
  try {
    parseInput(RegistryInputSchema, body);
    return 'accepted';
  } catch (error) {
    if (error instanceof BadRequestError) return error.description;
    throw error;
  }
}

const PUBLIC_SUFFIX =
  'is a public suffix (Public Suffix List) or under none, and would withhold every domain of the tenant under it (give a registrable domain such as example.co.jp or a name below one)';

describe('registry input rules', () => {
  it('accepts a realistic registry and normalises it', () => {
    const parsed = parseInput(RegistryInputSchema, {
      names: [' 関東電力 ', 'Kanto Power', 'KPC'],
      domains: ['Kanto-Power.co.jp.', 'kanto.github.io', 'xn--eckwd4c7c.jp'],
      emailDomains: ['mail.kanto-power.co.jp'],
      ipRanges: ['133.242.0.0/16', '133.242.10.7', '2001:db8::/32', '::ffff:133.242.10.0/120'],
      brands: ['KantoGrid'],
      internalHostSuffixes: ['corp.kanto.local', 'KANTO.INTERNAL'],
      referencePrefixes: ['INC-', 'KP-SEC-', 'CHG_'],
    });

    expect(parsed).toEqual({
      names: ['関東電力', 'Kanto Power', 'KPC'],
      domains: ['kanto-power.co.jp', 'kanto.github.io', 'xn--eckwd4c7c.jp'],
      emailDomains: ['mail.kanto-power.co.jp'],
      ipRanges: ['133.242.0.0/16', '133.242.10.7', '2001:db8::/32', '::ffff:133.242.10.0/120'],
      brands: ['KantoGrid'],
      internalHostSuffixes: ['corp.kanto.local', 'kanto.internal'],
      referencePrefixes: ['INC-', 'KP-SEC-', 'CHG_'],
    });
  });

  it('fills absent lists with empty ones', () => {
    expect(parseInput(RegistryInputSchema, {})).toEqual({
      names: [],
      domains: [],
      emailDomains: [],
      ipRanges: [],
      brands: [],
      internalHostSuffixes: [],
      referencePrefixes: [],
    });
  });

  it.each([
    ['com', { domains: ['com'] }, `domains[0]: "com" ${PUBLIC_SUFFIX}`],
    ['an upper-case suffix', { domains: ['CO.JP'] }, `domains[0]: "CO.JP" ${PUBLIC_SUFFIX}`],
    ['a suffix with the root dot', { emailDomains: ['co.jp.'] }, `emailDomains[0]: "co.jp." ${PUBLIC_SUFFIX}`],
    ['a private-section suffix', { domains: ['github.io'] }, `domains[0]: "github.io" ${PUBLIC_SUFFIX}`],
    ['a geographic suffix', { domains: ['tokyo.jp'] }, `domains[0]: "tokyo.jp" ${PUBLIC_SUFFIX}`],
    ['an IDN top-level domain', { domains: ['xn--p1ai'] }, `domains[0]: "xn--p1ai" ${PUBLIC_SUFFIX}`],
    ['an IDN second-level suffix', { domains: ['xn--1lqs71d.jp'] }, `domains[0]: "xn--1lqs71d.jp" ${PUBLIC_SUFFIX}`],
    ['a wildcard', { domains: ['*.com'] }, 'domains[0]: "*.com" is not a domain name such as example.co.jp'],
    ['a full-width suffix', { domains: ['ｃｏｍ'] }, 'domains[0]: "ｃｏｍ" is not a domain name such as example.co.jp'],
    ['an IP as a domain', { domains: ['192.0.2.1'] }, 'domains[0]: "192.0.2.1" is an IP address, not a domain (put it in ipRanges)'],
    [
      'a one-label internal suffix',
      { internalHostSuffixes: ['corp'] },
      'internalHostSuffixes[0]: "corp" has fewer than two labels (give a suffix such as corp.example.local)',
    ],
    ['a public suffix as internal suffix', { internalHostSuffixes: ['co.jp'] }, `internalHostSuffixes[0]: "co.jp" ${PUBLIC_SUFFIX}`],
    [
      'all of IPv4',
      { ipRanges: ['0.0.0.0/0'] },
      'ipRanges[0]: "0.0.0.0/0" is broader than /16, the broadest IPv4 range a member may register',
    ],
    [
      'a /15',
      { ipRanges: ['10.0.0.0/15'] },
      'ipRanges[0]: "10.0.0.0/15" is broader than /16, the broadest IPv4 range a member may register',
    ],
    [
      'an empty prefix length',
      { ipRanges: ['10.0.0.0/'] },
      'ipRanges[0]: "10.0.0.0/" is not an IP address or CIDR range such as 192.0.2.0/24 or 2001:db8::/32',
    ],
    [
      'a prefix in exponent notation',
      { ipRanges: ['10.0.0.0/1.6e1'] },
      'ipRanges[0]: "10.0.0.0/1.6e1" is not an IP address or CIDR range such as 192.0.2.0/24 or 2001:db8::/32',
    ],
    [
      'an IPv6 /31',
      { ipRanges: ['2001:db8::/31'] },
      'ipRanges[0]: "2001:db8::/31" is broader than /32, the broadest IPv6 range a member may register',
    ],
    [
      'all IPv4-mapped IPv6',
      { ipRanges: ['::ffff:0:0/96'] },
      'ipRanges[0]: "::ffff:0:0/96" covers IPv4 addresses embedded in IPv6 (::ffff:0:0/96, 64:ff9b::/96) more broadly than an IPv4 /16',
    ],
    [
      'a /32 over the mapped block',
      { ipRanges: ['::/32'] },
      'ipRanges[0]: "::/32" covers IPv4 addresses embedded in IPv6 (::ffff:0:0/96, 64:ff9b::/96) more broadly than an IPv4 /16',
    ],
    ['a two-letter name', { names: ['ab'] }, 'names[0]: "ab" is shorter than 3 characters, too short to identify a member'],
    [
      'a padded two-letter brand',
      { brands: ['  ab  '] },
      'brands[0]: "  ab  " is shorter than 3 characters, too short to identify a member',
    ],
    ['a two-kanji name', { names: ['関東'] }, 'names[0]: "関東" is shorter than 3 characters, too short to identify a member'],
    [
      'CVE-',
      { referencePrefixes: ['CVE-'] },
      'referencePrefixes[0]: "CVE-" overlaps the public identifier scheme CVE-, whose values are attack information the tenant shares',
    ],
    [
      'a lower-case CVE year',
      { referencePrefixes: ['cve-2024'] },
      'referencePrefixes[0]: "cve-2024" overlaps the public identifier scheme CVE-, whose values are attack information the tenant shares',
    ],
    [
      'a prefix of an ATT&CK scheme',
      { referencePrefixes: ['TA0'] },
      'referencePrefixes[0]: "TA0" overlaps the public identifier scheme TA0, whose values are attack information the tenant shares',
    ],
    [
      'a technique-shaped prefix',
      { referencePrefixes: ['T1059'] },
      'referencePrefixes[0]: "T1059" overlaps the public identifier scheme T1, whose values are attack information the tenant shares',
    ],
    [
      'a KB-shaped prefix',
      { referencePrefixes: ['KB5'] },
      'referencePrefixes[0]: "KB5" overlaps the public identifier scheme KB, whose values are attack information the tenant shares',
    ],
    [
      'a short prefix of a scheme',
      { referencePrefixes: ['CAP'] },
      'referencePrefixes[0]: "CAP" overlaps the public identifier scheme CAPEC-, whose values are attack information the tenant shares',
    ],
    [
      'a full-width CVE',
      { referencePrefixes: ['ＣＶＥ-'] },
      'referencePrefixes[0]: "ＣＶＥ-" may hold only ASCII letters, digits, - and _',
    ],
    [
      'a two-character prefix',
      { referencePrefixes: ['IN'] },
      'referencePrefixes[0]: "IN" is shorter than 3 characters, too short to identify a member',
    ],
  ])('refuses %s, naming the value and the rule', (_case, body, expected) => {
    expect(verdict(body)).toBe(expected);
  });

  it(`refuses more than ${MAX_REGISTRY_ENTRIES} entries in all, counted over every list`, () => {
    const names = Array.from({ length: 200 }, (_, i) => `Name ${i}`);
    const brands = Array.from({ length: 100 }, (_, i) => `Brand ${i}`);

    expect(verdict({ names, brands })).toBe('accepted');
    expect(verdict({ names, brands, referencePrefixes: ['INC-'] })).toBe(
      `body: 301 entries in all; a registry holds at most ${MAX_REGISTRY_ENTRIES}`,
    );
  });

  it('refuses unknown fields', () => {
    expect(verdict({ pending: {} })).toBe('body: Unrecognized key: "pending"');
  });

  it('refuses every public suffix in any spelling: case, root dot, surrounding space', () => {
    const suffixes = fc.constantFrom(
      'com',
      'net',
      'jp',
      'co.jp',
      'ne.jp',
      'or.jp',
      'go.jp',
      'ac.jp',
      'lg.jp',
      'tokyo.jp',
      'github.io',
      'blogspot.com',
      's3.amazonaws.com',
      'xn--p1ai',
      'xn--1lqs71d.jp',
      'uk',
      'co.uk',
    );
    const spelling = fc.record({
      upper: fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
      dot: fc.boolean(),
      pad: fc.constantFrom('', ' ', '\t'),
    });
    fc.assert(
      fc.property(suffixes, spelling, fc.constantFrom('domains', 'emailDomains', 'internalHostSuffixes'), (suffix, s, list) => {
        const sent = `${s.pad}${[...suffix].map((ch, i) => (s.upper[i % 20] ? ch.toUpperCase() : ch)).join('')}${s.dot ? '.' : ''}${s.pad}`;
        const refusal = verdict({ [list]: [sent] });
        expect(refusal.startsWith(`${list}[0]: ${JSON.stringify(sent)} `)).toBe(true);
        // One-label and two-letter suffixes (jp, uk) may be refused by an earlier rule; all are refused.
        expect(refusal).toMatch(/ (is a public suffix|has fewer than two labels|is shorter than 3 characters)/);
      }),
    );
  });

  it('refuses every IPv4 range broader than /16 and IPv6 range broader than /32, and accepts narrower ones', () => {
    const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((octets) => octets.join('.'));
    const v6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((groups) => groups.map((g) => g.toString(16)).join(':'));
    fc.assert(
      fc.property(v4, fc.integer({ min: 0, max: 32 }), (address, prefix) => {
        expect(verdict({ ipRanges: [`${address}/${prefix}`] }).includes('broader than /16')).toBe(prefix < 16);
      }),
    );
    fc.assert(
      fc.property(v6, fc.integer({ min: 0, max: 31 }), (address, prefix) => {
        expect(verdict({ ipRanges: [`${address}/${prefix}`] })).toMatch(/broader than \/32|covers IPv4 addresses/);
      }),
    );
  });

  it('refuses every reference prefix that a public scheme starts with or that starts with one, in any case', () => {
    const overlapping = fc
      .tuple(
        fc.constantFrom(...PUBLIC_REFERENCE_SCHEMES),
        fc.stringMatching(/^[A-Za-z0-9_-]{0,6}$/),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        fc.boolean(),
      )
      .map(([scheme, tail, cut, longer, lower]) => {
        const prefix = longer ? `${scheme}${tail}` : scheme.slice(0, cut);
        return lower ? prefix.toLowerCase() : prefix;
      })
      .filter((prefix) => prefix.length >= 3);
    fc.assert(
      fc.property(overlapping, (prefix) => {
        expect(verdict({ referencePrefixes: [prefix] })).toMatch(/overlaps the public identifier scheme/);
      }),
    );
  });

  it("still reads a stored registry that breaks today's input rules (the pipeline must keep protecting that member)", () => {
    const stored = {
      tenantId: 'ics-isac',
      memberId: 'kanto-power',
      names: ['KP'],
      domains: ['com'],
      ipRanges: ['0.0.0.0/0'],
      brands: [],
      emailDomains: [],
    };

    expect(MemberRegistrySchema.parse(stored)).toEqual({ ...stored, internalHostSuffixes: [], referencePrefixes: [] });
  });
});
