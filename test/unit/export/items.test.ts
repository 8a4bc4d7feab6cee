import fc from 'fast-check';
import { exportItems } from '../../../shared/core/export/items';
import { AMBER, indicator, itemsOf, newExportStats, options, PROVIDER_ID, sco, collect } from './fixtures';

describe('export items: default exclusions', () => {
  it('leaves out revoked, expired and flagged objects, and counts each', async () => {
    // Prepare
    const kept = indicator("[ipv4-addr:value = '45.33.10.1']", { valid_until: '2026-12-31T00:00:00.000Z' });
    const revoked = indicator("[ipv4-addr:value = '45.33.10.2']", { revoked: true });
    const expired = indicator("[ipv4-addr:value = '45.33.10.3']", { valid_until: '2026-05-31T23:59:59.999Z' });
    const expiresNow = indicator("[ipv4-addr:value = '45.33.10.4']", { valid_until: '2026-06-01T00:00:00.000Z' });
    const flagged = indicator("[ipv4-addr:value = '45.33.10.5']");
    const stats = newExportStats();
    // Act
    const items = await itemsOf([kept, revoked, expired, expiresNow, flagged], { excluded: (id) => id === flagged.id, stats });
    // Assess
    expect(items.map((i) => i.value)).toEqual(['45.33.10.1']);
    expect(stats).toMatchObject({ objects: 5, items: 1, revoked: 1, expired: 2, flagged: 1 });
  });

  it('re-applies the warning lists to every value, a network when it holds any listed address', async () => {
    // Prepare
    const objects = [
      indicator("[ipv4-addr:value = '8.8.8.8'] OR [ipv4-addr:value = '45.33.20.1']"),
      sco('domain-name', { value: 'www.example.com' }),
      sco('ipv4-addr', { value: '9.255.255.0/23' }), // host bits set: written 9.255.254.0/23
      sco('ipv4-addr', { value: '10.0.0.0/7' }), // 10.0.0.0–11.255.255.255 holds 10.0.0.0/8
      sco('ipv4-addr', { value: '8.0.0.0/7' }), // 8.0.0.0–9.255.255.255 holds 8.8.8.8, though neither end is listed
      sco('ipv4-addr', { value: '128.0.0.0/2' }), // holds 169.254.0.0/16 and 172.16.0.0/12
      sco('ipv6-addr', { value: '2a01:4f8::/32' }),
      sco('file', { hashes: { 'SHA-256': 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855' } }), // the empty file
    ];
    const stats = newExportStats();
    // Act
    const items = await itemsOf(objects, { stats });
    // Assess
    expect(items.map((i) => i.value)).toEqual(['45.33.20.1', '9.255.254.0/23', '2a01:4f8::/32']);
    expect(stats.warningListed).toBe(6);
  });
});

describe('export items: patterns', () => {
  it.each([
    ["[ipv4-addr:value = '45.33.30.1']", [['ipv4-addr', '45.33.30.1']]],
    ["[ipv6-addr:value = '2001:DB8:0:0:0:0:0:1']".replace('2001:DB8', '2a01:4F8'), [['ipv6-addr', '2a01:4f8::1']]],
    ["[domain-name:value = 'Evil-Kanto.Xyz.']", [['domain-name', 'evil-kanto.xyz']]],
    ["[domain-name:value = 'bücher-kanto.xyz']", [['domain-name', 'xn--bcher-kanto-thb.xyz']]],
    ["[url:value = 'http://Evil-Kanto.Xyz/a b?q=1#frag']", [['url', 'http://evil-kanto.xyz/a%20b?q=1']]],
    ["[email-addr:value = 'Phish@Evil-Kanto.Xyz']", [['email-addr', 'Phish@evil-kanto.xyz']]],
    [
      "[file:hashes.'SHA-256' = 'AA0B44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855A']",
      [['file-hash', 'aa0b44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855a']],
    ],
    ["[file:hashes.MD5 = '0123456789abcdef0123456789abcdef']", [['file-hash', '0123456789abcdef0123456789abcdef']]],
    [
      "[ipv4-addr:value = '45.33.30.2' OR ipv4-addr:value = '45.33.30.3'] OR [domain-name:value = 'c2-kanto.xyz']",
      [
        ['ipv4-addr', '45.33.30.2'],
        ['ipv4-addr', '45.33.30.3'],
        ['domain-name', 'c2-kanto.xyz'],
      ],
    ],
    [
      "[ipv4-addr:value IN ('45.33.30.4', '45.33.30.5')]",
      [
        ['ipv4-addr', '45.33.30.4'],
        ['ipv4-addr', '45.33.30.5'],
      ],
    ],
    ["[domain-name:value = 'and.within.xyz']", [['domain-name', 'and.within.xyz']]],
  ])('reads %s', async (pattern, expected) => {
    // Act
    const items = await itemsOf([indicator(pattern)]);
    // Assess
    expect(items.map((i) => [i.type, i.value])).toEqual(expected);
  });

  it.each([
    "[ipv4-addr:value = '45.33.40.1' AND ipv4-addr:value = '45.33.40.2']",
    "[ipv4-addr:value = '45.33.40.1'] AND [domain-name:value = 'x-kanto.xyz']",
    "[ipv4-addr:value = '45.33.40.1'] FOLLOWEDBY [ipv4-addr:value = '45.33.40.2']",
    "[ipv4-addr:value = '45.33.40.1'] WITHIN 60 SECONDS",
    "[ipv4-addr:value = '45.33.40.1'] REPEATS 3 TIMES",
    "[ipv4-addr:value != '45.33.40.1']",
    "[ipv4-addr:value NOT = '45.33.40.1']",
    "[domain-name:value LIKE '%.kanto.xyz']",
    "[url:value MATCHES '^http://']",
    "[ipv4-addr:value ISSUBSET '45.33.0.0/16']",
    '[network-traffic:dst_port = 443]',
    "[file:name = 'invoice.exe']",
    "[ipv4-addr:value = '45.33.40.1' OR file:name = 'invoice.exe']",
    'not a pattern [',
    "[domain-name:value = 'a:b.'] AND [domain-name:value = 'kanto']",
    "[domain-name:value = 'x AND y'] AND [domain-name:value = 'kanto']",
  ])('skips %s whole and counts it', async (pattern) => {
    // Prepare
    const stats = newExportStats();
    // Act
    const items = await itemsOf([indicator(pattern)], { stats });
    // Assess
    expect(items).toEqual([]);
    expect(stats.unsupportedPattern).toBe(1);
  });

  it('reads a pattern only when every join is OR, whatever its literals hold (property)', async () => {
    const literal = fc.string({
      unit: fc.constantFrom('a', ':', '.', "'", '\\', ' ', 'AND', 'OR', ']', '[', 'x-y', 'a:b.', "x:y.'"),
      maxLength: 8,
    });
    const join = fc.constantFrom('OR', 'AND', 'FOLLOWEDBY');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(literal, join, fc.boolean()), { minLength: 1, maxLength: 4 }), literal, async (parts, last) => {
        // Prepare: comparisons joined inside one observation (inner) or between observations, FOLLOWEDBY only between.
        const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
        let pattern = '[';
        let allOr = true;
        for (const [value, word, inner] of parts) {
          const joinWord = inner && word === 'FOLLOWEDBY' ? 'AND' : word;
          if (joinWord !== 'OR') allOr = false;
          pattern += `domain-name:value = ${quote(value)}${inner ? ` ${joinWord} ` : `] ${joinWord} [`}`;
        }
        pattern += `domain-name:value = ${quote(last)}]`;
        const stats = newExportStats();
        // Act
        await itemsOf([indicator(pattern)], { stats });
        // Assess
        expect({ pattern, unsupported: stats.unsupportedPattern }).toEqual({ pattern, unsupported: allOr ? 0 : 1 });
      }),
      { numRuns: 300 },
    );
  });

  it('skips patterns in another language (sigma, yara, snort)', async () => {
    const stats = newExportStats();
    const items = await itemsOf([indicator("[ipv4-addr:value = '45.33.40.9']", { pattern_type: 'snort' })], { stats });
    expect(items).toEqual([]);
    expect(stats.unsupportedPattern).toBe(1);
  });

  it('counts values that are not what their type says, and keeps the rest of the indicator', async () => {
    // Prepare
    const stats = newExportStats();
    const pattern =
      "[ipv4-addr:value = '45.33.50.300'] OR [domain-name:value = 'bad\"; alert'] OR [url:value = 'javascript:alert(1)'] OR [file:hashes.'SHA-1' = 'xyz'] OR [file:hashes.SSDEEP = '3:abc:def'] OR [ipv4-addr:value = '45.33.50.1']";
    // Act
    const items = await itemsOf([indicator(pattern)], { stats });
    // Assess
    expect(items.map((i) => i.value)).toEqual(['45.33.50.1']);
    expect(stats).toMatchObject({ invalidValue: 4, unsupportedByFormat: 1, items: 1 });
  });
});

describe('export items: what an item carries', () => {
  it('takes the TLP from the markings, else the default, and never carries the provider', async () => {
    // Prepare
    const marked = indicator("[ipv4-addr:value = '45.33.60.1']", { object_marking_refs: [AMBER] });
    const unmarked = indicator("[ipv4-addr:value = '45.33.60.2']", { object_marking_refs: undefined });
    // Act
    const items = await collect(exportItems([marked, unmarked], options({ defaultTlp: 'red' })));
    // Assess
    expect(items.map((i) => i.tlp)).toEqual(['amber', 'red']);
    expect(JSON.stringify(items)).not.toContain(PROVIDER_ID);
    expect(Object.keys(items[0]!).sort()).toEqual(['modified', 'name', 'objectId', 'revision', 'tlp', 'type', 'validFrom', 'value']);
  });

  it("gives a later version a higher revision, and takes the caller's version count when given", async () => {
    // Prepare
    const v1 = indicator("[ipv4-addr:value = '45.33.70.1']", { modified: '2026-01-10T09:00:00.000Z' });
    const v2 = { ...v1, modified: '2026-01-10T09:00:01.000Z' };
    // Act
    const [a, b] = await itemsOf([v1, v2]);
    const [counted] = await itemsOf([v2], { revisionOf: () => 7 });
    // Assess
    expect(b!.revision).toBeGreaterThan(a!.revision);
    expect(a!.revision).toBe(Math.floor((Date.parse('2026-01-10T09:00:00.000Z') - Date.UTC(2000, 0, 1)) / 1000));
    expect(counted!.revision).toBe(7);
  });

  it('reads SCOs of every exported type and counts the others', async () => {
    // Prepare
    const stats = newExportStats();
    const objects = [
      sco('ipv6-addr', { value: '2a01:4f8:0:0::/64' }),
      sco('url', { value: 'https://[2a01:4f8::2]:8443/x' }),
      sco('email-addr', { value: 'ops@kanto-c2.xyz' }),
      sco('file', { hashes: { MD5: '0123456789ABCDEF0123456789ABCDEF', 'SHA-512': 'a'.repeat(128) } }),
      sco('malware', { name: 'x', is_family: false }),
    ];
    // Act
    const items = await itemsOf(objects, { stats });
    // Assess
    expect(items.map((i) => [i.type, i.value, i.hashAlgorithm])).toEqual([
      ['ipv6-addr', '2a01:4f8::/64', undefined],
      ['url', 'https://[2a01:4f8::2]:8443/x', undefined],
      ['email-addr', 'ops@kanto-c2.xyz', undefined],
      ['file-hash', '0123456789abcdef0123456789abcdef', 'MD5'],
      ['file-hash', 'a'.repeat(128), 'SHA-512'],
    ]);
    expect(stats.notExportable).toBe(1);
  });

  it('reads an async source as well as an array', async () => {
    async function* source() {
      yield indicator("[ipv4-addr:value = '45.33.80.1']");
    }
    expect((await collect(exportItems(source(), options()))).map((i) => i.value)).toEqual(['45.33.80.1']);
  });
});
