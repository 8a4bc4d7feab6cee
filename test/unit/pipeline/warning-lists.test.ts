import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_WARNING_LISTS } from '../../../shared/core/pipeline/default-warning-lists';
import { compileWarningLists, WarningListSchema, type WarningList } from '../../../shared/core/pipeline/warning-lists';
import { MISP_WARNING_LISTS as MISP_DIR } from '../../support/fixtures';

const mispLists: WarningList[] = readdirSync(MISP_DIR)
  .filter((f) => f.endsWith('.json') && f !== 'schema.json')
  .map((f) => WarningListSchema.parse(JSON.parse(readFileSync(join(MISP_DIR, f), 'utf8'))));
const misp = compileWarningLists(mispLists);
const defaults = compileWarningLists(DEFAULT_WARNING_LISTS);

describe('MISP warning lists', () => {
  it('reads every list of the MISP corpus', () => {
    expect(mispLists.map((l) => l.type).sort()).toEqual(
      [...Array(8).fill('cidr'), ...Array(4).fill('hostname'), ...Array(6).fill('string')].sort(),
    );
  });

  it.each([
    ['ip', '10.1.2.3', 'List of RFC 1918 CIDR blocks'],
    ['ip', '192.168.255.1', 'List of RFC 1918 CIDR blocks'],
    ['ip', '8.8.8.8', undefined],
    ['ip', 'fe80::1', undefined],
    ['hash', 'd41d8cd98f00b204e9800998ecf8427e', undefined],
    ['domain', 'mail.google.com', undefined],
  ] as const)('flags %s %s', (kind, value, listName) => {
    const hit = misp.match(kind, value);
    expect(hit).toBeDefined();
    if (listName) expect(hit!.list).toBe(listName);
  });

  it('lets real attacker infrastructure through', () => {
    expect(misp.match('ip', '45.77.65.211')).toBeUndefined();
    expect(misp.match('domain', 'update-kanto-power.xyz')).toBeUndefined();
    expect(misp.match('hash', 'a3f5c2b1e4d6978012345678901234567890abcdef1234567890abcdef123456')).toBeUndefined();
  });

  it('checks the host of a URL against hostname lists', () => {
    expect(misp.match('url', 'https://www.google.com/search?q=x')).toBeDefined();
    expect(misp.match('url', 'http://185.220.101.4/payload.bin')).toBeUndefined();
  });

  it('applies a list only to the kinds its matching_attributes name', () => {
    // 10.0.0.0/8 is an IP list: a file name that looks like an address is not matched by it.
    expect(misp.match('filename', '10.1.2.3')).toBeUndefined();
  });
});

describe('the default lists', () => {
  it.each([
    ['ip', '192.168.1.10', 'reserved-ipv4'],
    ['ip', '127.0.0.1', 'reserved-ipv4'],
    ['ip', '198.51.100.7', 'reserved-ipv4'],
    ['ip', 'fd12:3456::1', 'reserved-ipv6'],
    ['ip', '1.1.1.1', 'public-resolvers'],
    ['domain', 'www.example.com', 'reserved-domains'],
    ['domain', 'google.com', 'top-sites'],
    ['hash', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'empty-file-hashes'],
  ] as const)('flag %s %s as %s', (kind, value, list) => {
    expect(defaults.match(kind, value)?.list).toBe(list);
  });

  it('do not flag ordinary public addresses and domains', () => {
    expect(defaults.match('ip', '45.77.65.211')).toBeUndefined();
    expect(defaults.match('domain', 'evil-google.com')).toBeUndefined();
  });
});

describe('networks against the IP lists', () => {
  it.each([
    ['128.0.0.0/2', 'reserved-ipv4', '169.254.0.0/16'], // neither end is listed; link-local is inside
    ['8.8.0.0/16', 'public-resolvers', '8.8.8.8'],
    ['0.0.0.0/0', 'reserved-ipv4', '0.0.0.0/8'],
    ['2000::/3', 'reserved-ipv6', '2001:db8::/32'],
  ])("flags %s, which holds %s's %s", (network, list, entry) => {
    expect(defaults.matchNetwork(network)).toEqual({ list, entry });
  });

  it('lets a network that holds no listed address through, and reads a bare address as itself', () => {
    expect(defaults.matchNetwork('45.33.0.0/16')).toBeUndefined();
    expect(defaults.matchNetwork('2a01:4f8::/32')).toBeUndefined();
    expect(defaults.matchNetwork('8.8.4.4')).toEqual({ list: 'public-resolvers', entry: '8.8.4.4' });
    expect(defaults.matchNetwork('not a network')).toBeUndefined();
  });

  it('ignores lists that do not apply to addresses', () => {
    const domainsOnly = compileWarningLists([{ name: 'd', type: 'cidr', matching_attributes: ['domain'], list: ['45.33.0.0/16'] }]);
    expect(domainsOnly.matchNetwork('45.33.1.0/24')).toBeUndefined();
  });
});

describe('warning lists on crafted values', () => {
  const MiB = 1024 * 1024;
  const lists: WarningList[] = [
    { name: 'hosts', type: 'hostname', matching_attributes: [], list: ['example.com', 'a.example.com'] },
    { name: 'strings', type: 'string', matching_attributes: [], list: ['exact.example', '.suffix.example'] },
  ];
  const matcher = compileWarningLists(lists);

  // How parent domains were looked up before: every one of them, built and hashed, whatever its length.
  const everyParent = (value: string) => {
    const v = value.toLowerCase().replace(/\.$/, '');
    if (v === 'exact.example') return { list: 'strings', entry: v };
    const labels = v.split('.');
    for (const list of [
      { name: 'hosts', entries: ['example.com', 'a.example.com'] },
      { name: 'strings', entries: ['suffix.example'] },
    ]) {
      for (let i = 0; i < labels.length; i++) {
        const candidate = labels.slice(i).join('.');
        if (list.entries.includes(candidate)) return { list: list.name, entry: candidate };
      }
    }
    return undefined;
  };

  it('finds the same entry as a lookup of every parent domain, on generated names', () => {
    const name = fc.string({ unit: fc.constantFrom('a', 'A', '.', 'example', '.com', 'suffix', 'exact', 'x'), maxLength: 12 });
    fc.assert(
      fc.property(name, (n) => {
        expect(matcher.match('domain', n)).toEqual(everyParent(n));
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the listed parent of a 1 MiB name of one-letter labels, and nothing in one that ends elsewhere', () => {
    const labels = 'a.'.repeat(MiB / 2);

    expect(matcher.match('domain', `${labels}example.com`)).toEqual({ list: 'hosts', entry: 'a.example.com' });
    expect(matcher.match('url', `https://${labels}x.suffix.example/`)).toEqual({ list: 'strings', entry: 'suffix.example' });
    expect(matcher.match('domain', `${labels}example.org`)).toBeUndefined();
  });
});
