import { blockList, fortinetThreatFeed, paloAltoEdl } from '../../../shared/core/export/block-lists';
import { exportItems } from '../../../shared/core/export/items';
import { collect, indicator, newExportStats, options, sco, text } from './fixtures';

const OBJECTS = [
  indicator("[ipv4-addr:value = '45.33.1.7'] OR [ipv6-addr:value = '2A01:04F8:0000::0001'] OR [domain-name:value = 'C2-Kanto.xyz']"),
  sco('ipv4-addr', { value: '45.33.0.0/16' }),
  sco('url', { value: 'https://Phish-Kanto.xyz:8443/login?next=/a#top' }),
  sco('url', { value: 'http://[2a01:4f8::9]/x' }),
  sco('url', { value: 'http://wild-kanto.xyz/*/x' }),
  sco('email-addr', { value: 'boss@c2-kanto.xyz' }),
  sco('file', {
    hashes: { MD5: '0123456789abcdef0123456789abcdef', 'SHA-1': '0123456789abcdef0123456789abcdef01234567', 'SHA-512': 'b'.repeat(128) },
  }),
];

describe('plain block lists', () => {
  it.each([
    ['ip', '45.33.1.7\n2a01:4f8::1\n45.33.0.0/16\n'],
    ['domain', 'c2-kanto.xyz\n'],
    ['url', 'https://phish-kanto.xyz:8443/login?next=/a\nhttp://[2a01:4f8::9]/x\nhttp://wild-kanto.xyz/*/x\n'],
    ['email', 'boss@c2-kanto.xyz\n'],
    ['md5', '0123456789abcdef0123456789abcdef\n'],
    ['sha1', '0123456789abcdef0123456789abcdef01234567\n'],
    ['sha256', ''],
    ['sha512', `${'b'.repeat(128)}\n`],
  ] as const)('writes the %s list', async (kind, expected) => {
    expect(await text(OBJECTS, (items) => blockList(items, kind))).toBe(expected);
  });
});

describe('Palo Alto external dynamic lists', () => {
  it('lists addresses and networks, domains with their wildcard when asked, and URLs without scheme', async () => {
    // Act
    const ip = await text(OBJECTS, (items) => paloAltoEdl(items, 'ip'));
    const domain = await text(OBJECTS, (items) => paloAltoEdl(items, 'domain', { subdomains: true }));
    const url = await text(OBJECTS, (items) => paloAltoEdl(items, 'url'));
    // Assess
    expect(ip).toBe('45.33.1.7\n2a01:4f8::1\n45.33.0.0/16\n');
    expect(domain).toBe('c2-kanto.xyz\n*.c2-kanto.xyz\n');
    expect(url).toBe('phish-kanto.xyz:8443/login?next=/a\n[2a01:4f8::9]/x\n');
  });

  it('lists a URL with userinfo by the host and path a request carries', async () => {
    const objects = [sco('url', { value: 'http://bank-login.jp:pw@phish-kanto.xyz/login' })];
    expect(await text(objects, (items) => blockList(items, 'url'))).toBe('http://bank-login.jp:pw@phish-kanto.xyz/login\n');
    expect(await text(objects, (items) => paloAltoEdl(items, 'url'))).toBe('phish-kanto.xyz/login\n');
  });

  it('leaves out a URL whose literal * would read as a wildcard, and counts it', async () => {
    // Prepare
    const stats = newExportStats();
    // Act
    const lines = await collect(paloAltoEdl(exportItems(OBJECTS, options()), 'url', { stats }));
    // Assess
    expect(lines.join('')).not.toContain('wild-kanto');
    expect(stats.unsupportedByFormat).toBe(1);
  });

  it('never writes a scheme, a space or a second value on a line, whatever the URL', async () => {
    // Prepare
    const urls = ['http://x-kanto.xyz/a b', 'https://x-kanto.xyz/\u3042?q="1"', 'ftp://x-kanto.xyz/%0d%0a', 'http://x-kanto.xyz/a\nb'];
    // Act
    const out = await text(
      urls.map((value) => sco('url', { value })),
      (items) => paloAltoEdl(items, 'url'),
    );
    // Assess
    const lines = out.split('\n').slice(0, -1);
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).toMatch(/^x-kanto\.xyz\/[\x21-\x7e]*$/);
  });
});

describe('Fortinet external threat feeds', () => {
  it('writes the IP, domain and URL feeds as for Palo Alto and a hash feed without SHA-512', async () => {
    // Prepare
    const stats = newExportStats();
    // Act
    const ip = await text(OBJECTS, (items) => fortinetThreatFeed(items, 'ip'));
    const domain = await text(OBJECTS, (items) => fortinetThreatFeed(items, 'domain'));
    const hash = (await collect(fortinetThreatFeed(exportItems(OBJECTS, options()), 'hash', { stats }))).join('');
    // Assess
    expect(ip).toBe('45.33.1.7\n2a01:4f8::1\n45.33.0.0/16\n');
    expect(domain).toBe('c2-kanto.xyz\n');
    expect(hash).toBe('0123456789abcdef0123456789abcdef\n0123456789abcdef0123456789abcdef01234567\n');
    expect(stats.unsupportedByFormat).toBe(1);
  });
});
