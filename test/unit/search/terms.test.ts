import fc from 'fast-check';
import { lookupsOf, postingsOf, prefixLengthKey, type Lookup, type Posting } from '../../../shared/core/search/postings';
import { parseSearchValue, SearchValueError, termAnswers, termsOfObject } from '../../../shared/core/search/terms';
import type { StixObject } from '../../../shared/core/taxii/model';

const indicator = (pattern: string, extra: Record<string, unknown> = {}): StixObject => ({
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  pattern,
  pattern_type: 'stix',
  valid_from: '2026-01-01T00:00:00.000Z',
  ...extra,
});

/** Whether a lookup reads a posting: the index's semantics, in memory. */
const reads = (lookup: Lookup, posting: Posting) =>
  lookup.partition === posting.partition &&
  ('from' in lookup ? posting.sort >= lookup.from && posting.sort <= lookup.to : posting.sort.startsWith(lookup.prefix ?? ''));

const found = (value: string, object: StixObject, prefixLengths: string[] = []) => {
  const { postings } = postingsOf('c', object);
  return lookupsOf(parseSearchValue(value), new Set(prefixLengths)).some((l) => postings.some((p) => reads(l, p)));
};

describe('what a value is read as', () => {
  it.each([
    ['203.0.113.7', 'ipv4', '203.0.113.7'],
    ['203[.]0[.]113[.]7', 'ipv4', '203.0.113.7'],
    ['2001:0DB8:0:0::1', 'ipv6', '2001:db8::1'],
    ['198.51.100.77/24', 'network', '198.51.100.0/24'],
    ['hxxps://Evil[.]Example/a?b=1#frag', 'url', 'https://evil.example/a?b=1'],
    ['Admin[@]Evil.Example', 'email', 'Admin@evil.example'],
    ['D41D8CD98F00B204E9800998ECF8427E', 'hash', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['cve-2021-44228', 'cve', 'CVE-2021-44228'],
    ['t1059.001', 'attack', 'T1059.001'],
    ['*.Evil.Example.co.jp', 'domain-tree', '*.evil.example.co.jp'],
    ['Evil(.)Example', 'domain', 'evil.example'],
    ['Global\\MutexName', 'value', 'global\\mutexname'],
    ['ｅｖｉｌ．ｅｘａｍｐｌｅ', 'domain', 'evil.example'],
  ])('%s → %s %s', (input, kind, canonical) => {
    expect(parseSearchValue(input)).toMatchObject({ kind, canonical });
  });

  it('refuses what it cannot search, naming why', () => {
    expect(() => parseSearchValue('   ')).toThrow(SearchValueError);
    expect(() => parseSearchValue('10.0.0.0/8')).toThrow(/wider than \/16/);
    expect(() => parseSearchValue('2001:db8::/31')).toThrow(/wider than \/32/);
    expect(() => parseSearchValue('*.co.jp')).toThrow(/registrable domain/);
    expect(() => parseSearchValue('x'.repeat(600))).toThrow(/longer than 512/);
  });
});

describe('what an object is found by', () => {
  it('every value a pattern compares for equality, whatever it is combined with, and nothing it negates', () => {
    const terms = termsOfObject(
      indicator(
        "[ipv4-addr:value = '198.51.100.1' AND network-traffic:dst_ref.value = '203.0.113.9'] OR [file:hashes.'SHA-256' = 'AB" +
          'ab'.repeat(31) +
          "' AND file:name = 'Invoice.PDF.exe'] AND [domain-name:value != 'benign.example'] OR [url:value IN ('http://A.example/x', 'http://b.example/y')]",
      ),
    );
    expect(terms.map((t) => `${t.kind}:${t.value}`).sort()).toEqual(
      [
        'ipv4:198.51.100.1',
        'ipv4:203.0.113.9',
        `hash:${'ab'.repeat(32)}`,
        'value:invoice.pdf.exe',
        'url:http://a.example/x',
        'url:http://b.example/y',
      ].sort(),
    );
  });

  it('SCO values, hashes and names; CVE and ATT&CK ids an object cites', () => {
    expect(termsOfObject({ type: 'ipv6-addr', id: 'ipv6-addr--1', value: '2001:DB8::0:1' } as StixObject)).toEqual([
      { kind: 'ipv6', value: '2001:db8::1' },
    ]);
    expect(
      termsOfObject({ type: 'file', id: 'file--1', name: 'a.exe', hashes: { MD5: 'D41D8CD98F00B204E9800998ECF8427E' } } as StixObject),
    ).toEqual([
      { kind: 'hash', value: 'd41d8cd98f00b204e9800998ecf8427e' },
      { kind: 'value', value: 'a.exe' },
    ]);
    const cited = termsOfObject({
      type: 'malware',
      id: 'malware--1',
      name: 'x',
      external_references: [
        { source_name: 'cve', external_id: 'CVE-2017-0144' },
        { source_name: 'mitre-attack', external_id: 'S0366' },
        { source_name: 'other', external_id: 'T1000' },
      ],
    } as StixObject);
    expect(cited).toEqual([
      { kind: 'cve', value: 'CVE-2017-0144' },
      { kind: 'attack', value: 'S0366' },
    ]);
    expect(termsOfObject({ type: 'vulnerability', id: 'vulnerability--1', name: 'CVE-2021-44228' } as StixObject)).toEqual([
      { kind: 'cve', value: 'CVE-2021-44228' },
    ]);
  });

  it('never indexes what an object only refers to by its provider', () => {
    const { postings } = postingsOf(
      'c',
      indicator("[ipv4-addr:value = '198.51.100.1']", { created_by_ref: 'identity--0b1a3bbc-76c0-4f7c-9a9f-fc2f5b1e0b9a' }),
    );
    expect(JSON.stringify(postings)).not.toContain('identity--');
  });

  it('keys a value too long for a DynamoDB key by its hash, and still finds it', () => {
    const url = `https://evil.example/${'a'.repeat(3000)}`;
    const object = indicator(`[url:value = '${url}']`);
    const { postings } = postingsOf('c', object);
    expect(postings.every((p) => p.partition.length < 1000 && p.sort.length < 1000)).toBe(true);
    expect(found(url, object)).toBe(true);
  });
});

describe('networks both ways', () => {
  it('an address is found inside any network of /16 or narrower that holds it, and not outside', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 16, max: 32 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (address, prefix, other) => {
          const text = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
          const object = indicator(`[ipv4-addr:value = '${text(address)}']`);
          const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
          const network = `${text((address & mask) >>> 0)}/${prefix}`;
          const holds = (other & mask) >>> 0 === (address & mask) >>> 0;
          expect(found(network, object)).toBe(true);
          expect(found(`${text((other & mask) >>> 0)}/${prefix}`, object)).toBe(holds);
        },
      ),
    );
  });

  it('a network is found by every address and narrower network it covers, through the prefix lengths in use', () => {
    const object = indicator("[ipv4-addr:value = '10.20.0.0/14']");
    const lengths = postingsOf('c', object).prefixLengths;
    expect(lengths).toEqual([prefixLengthKey(4, 14)]);
    expect(found('10.21.255.7', object, lengths)).toBe(true);
    expect(found('10.22.0.0/16', object, lengths)).toBe(true);
    expect(found('10.24.0.1', object, lengths)).toBe(false);
    expect(found('10.21.255.7', object, [])).toBe(false);
    expect(termAnswers({ kind: 'ipv4', value: '10.20.0.0/14' }, parseSearchValue('10.21.255.7'))).toBe('covers');
    expect(termAnswers({ kind: 'ipv4', value: '10.21.3.4' }, parseSearchValue('10.21.0.0/16'))).toBe('inside');
    expect(termAnswers({ kind: 'ipv4', value: '10.22.3.4' }, parseSearchValue('10.21.0.0/16'))).toBeUndefined();
  });

  it('a domain subtree holds the domain and its subdomains, not look-alikes', () => {
    const at = (domain: string) => indicator(`[domain-name:value = '${domain}']`);
    expect(found('*.evil.example.co.jp', at('evil.example.co.jp'))).toBe(true);
    expect(found('*.evil.example.co.jp', at('a.b.evil.example.co.jp'))).toBe(true);
    expect(found('*.evil.example.co.jp', at('notevil.example.co.jp'))).toBe(false);
    expect(found('evil.example.co.jp', at('a.evil.example.co.jp'))).toBe(false);
  });
});
