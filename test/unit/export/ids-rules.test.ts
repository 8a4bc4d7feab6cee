import fc from 'fast-check';
import { exportItems } from '../../../shared/core/export/items';
import { ruleContent, ruleMessage, snort3Rules, suricataRules } from '../../../shared/core/export/ids-rules';
import { SID_MAX, SID_MIN, SidAllocator, stableSid } from '../../../shared/core/export/sid';
import type { StixObject } from '../../../shared/core/taxii/model';
import { optionText, parseRule, RuleSyntaxError } from '../../support/ids-rule-grammar';
import { collect, indicator, newExportStats, options, PROVIDER_ID, sco } from './fixtures';

const lines = async (objects: StixObject[], dialect: 'suricata' | 'snort3') =>
  (await collect((dialect === 'suricata' ? suricataRules : snort3Rules)(exportItems(objects, options())))).map((l) => {
    expect(l.endsWith('\n')).toBe(true);
    return l.slice(0, -1);
  });

const sidOf = (rule: string) => Number(/sid:(\d+);/.exec(rule)![1]);

describe('the rule grammar reader (test support)', () => {
  it.each([
    ['an unescaped ;', 'alert tcp any any -> any any (msg:"a;b"; sid:1000000000; rev:1;)'],
    ['an unescaped "', 'alert tcp any any -> any any (msg:"x"; content:"a"b"; sid:1000000000; rev:1;)'],
    ['a line break', 'alert tcp any any -> any any (msg:"x\n"; sid:1000000000; rev:1;)'],
    ['an unclosed hex section', 'alert tcp any any -> any any (msg:"x"; content:"|0A"; sid:1000000000; rev:1;)'],
    ['a stray backslash', 'alert tcp any any -> any any (msg:"x"; content:"a\\qb"; sid:1000000000; rev:1;)'],
    ['no sid', 'alert tcp any any -> any any (msg:"x"; rev:1;)'],
    ['a bad address', 'alert ip any any <> 45.33.1.300 any (msg:"x"; sid:1000000000; rev:1;)'],
    ['non-ASCII in a string', 'alert tcp any any -> any any (msg:"é"; sid:1000000000; rev:1;)'],
  ])('refuses %s', (_, rule) => {
    expect(() => parseRule(rule)).toThrow(RuleSyntaxError);
  });

  it('reads escapes and hex back to bytes', () => {
    const rule = parseRule('alert tcp any any -> any any (msg:"a\\;b"; content:"x|3B 22|y\\"", nocase; sid:1000000000; rev:1;)');
    expect(optionText(rule.options[0])).toBe('a;b');
    expect(optionText(rule.options[1])).toBe('x;"y"');
    expect(rule.options[1]!.after).toBe(', nocase');
  });
});

describe('Suricata 7 rules', () => {
  it('writes an ip rule, DNS and SNI rules and an exact HTTP rule, with TLP and id in msg', async () => {
    // Prepare
    const ind = indicator(
      "[ipv4-addr:value = '45.33.4.1'] OR [domain-name:value = 'C2-Kanto.xyz'] OR [url:value = 'http://c2-kanto.xyz/gate.php?id=1']",
      {
        object_marking_refs: ['marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003'],
      },
    );
    // Act
    const rules = await lines([ind], 'suricata');
    // Assess
    const rev = (Date.parse('2026-01-10T09:00:00.000Z') - Date.UTC(2000, 0, 1)) / 1000; // seconds from 2000 to `modified`
    const tail = (r: string) => `sid:${sidOf(r)}; rev:${rev};)`;
    expect(rules.map((r) => r.replace(/sid:\d+; rev:\d+;\)$/, tail(r)))).toEqual([
      `alert ip $HOME_NET any <> 45.33.4.1 any (msg:"Kyoyu TLP:AMBER+STRICT ipv4-addr ${ind.id}"; ${tail(rules[0]!)}`,
      `alert dns $HOME_NET any -> any any (msg:"Kyoyu TLP:AMBER+STRICT domain-name ${ind.id}"; dns.query; dotprefix; content:".c2-kanto.xyz"; nocase; endswith; ${tail(rules[1]!)}`,
      `alert tls $HOME_NET any -> any any (msg:"Kyoyu TLP:AMBER+STRICT domain-name ${ind.id}"; tls.sni; dotprefix; content:".c2-kanto.xyz"; nocase; endswith; ${tail(rules[2]!)}`,
      `alert http $HOME_NET any -> any any (msg:"Kyoyu TLP:AMBER+STRICT url ${ind.id}"; flow:established,to_server; http.host; content:"c2-kanto.xyz"; bsize:12; http.uri; content:"/gate.php?id=1"; bsize:14; ${tail(rules[3]!)}`,
    ]);
    expect(rules.join('\n')).toContain(`rev:${rev};`);
    expect(rules.join('\n')).not.toContain(PROVIDER_ID);
  });

  it('matches a percent-encoded path in the raw URI buffer, as sent, not in the decoded one', async () => {
    // Act
    const [rule] = await lines([sco('url', { value: 'http://c2-kanto.xyz/a b/\u65e5' })], 'suricata');
    // Assess
    expect(rule).toContain('http.uri.raw; content:"/a%20b/%E6%97%A5"; bsize:16;');
    const [snort] = await lines([sco('url', { value: 'http://c2-kanto.xyz/a b' })], 'snort3');
    expect(snort).toContain('http_raw_uri; content:"/a%20b", depth 6;');
  });

  it('counts e-mail addresses and file hashes as unsupported', async () => {
    // Prepare
    const stats = newExportStats();
    const objects = [sco('email-addr', { value: 'a@c2-kanto.xyz' }), sco('file', { hashes: { MD5: `${'0'.repeat(31)}1` } })];
    // Act
    const rules = await collect(suricataRules(exportItems(objects, options()), { stats }));
    // Assess
    expect(rules).toEqual([]);
    expect(stats.unsupportedByFormat).toBe(2);
  });
});

describe('Snort 3 rules', () => {
  it('matches a domain by its DNS wire labels and a URL by host header and URI start', async () => {
    // Prepare
    const ind = indicator(
      "[domain-name:value = 'c2-kanto.xyz'] OR [url:value = 'http://c2-kanto.xyz/g?a=1'] OR [ipv6-addr:value = '2a01:4f8::7']",
    );
    // Act
    const rules = await lines([ind], 'snort3');
    // Assess
    const msg = (type: string) => `msg:"Kyoyu TLP:GREEN ${type} ${ind.id}";`;
    expect(rules.map((r) => r.replace(/ sid:\d+; rev:\d+;\)$/, ''))).toEqual([
      `alert udp $HOME_NET any -> any 53 (${msg('domain-name')} content:"|08|c2-kanto|03|xyz|00|", nocase;`,
      `alert http $HOME_NET any -> any any (${msg('url')} flow:established,to_server; http_header:field host; content:"c2-kanto.xyz", nocase; http_uri; content:"/g?a=1", depth 6;`,
      `alert ip $HOME_NET any <> 2a01:4f8::7 any (${msg('ipv6-addr')}`,
    ]);
  });
});

describe('sids and revisions', () => {
  it("keeps an object's sids across exports, orders and versions, inside the private range", async () => {
    // Prepare
    const a = indicator("[domain-name:value = 'a-kanto.xyz']");
    const b = indicator("[ipv4-addr:value = '45.33.5.1']");
    const a2 = { ...a, modified: '2026-02-01T00:00:00.000Z' };
    // Act
    const first = await lines([a, b], 'suricata');
    const second = await lines([b, a2], 'suricata');
    // Assess
    expect(second.map(sidOf)).toEqual([first[2], first[0], first[1]].map((r) => sidOf(r!)));
    for (const rule of [...first, ...second]) expect(sidOf(rule)).toBeGreaterThanOrEqual(SID_MIN);
    for (const rule of [...first, ...second]) expect(sidOf(rule)).toBeLessThanOrEqual(SID_MAX);
    expect(Number(/rev:(\d+)/.exec(second[1]!)![1])).toBeGreaterThan(Number(/rev:(\d+)/.exec(first[0]!)![1]));
  });

  it("never gives one sid twice in a file: a collision takes the key's next probe", () => {
    // Prepare: the same key twice is what a hash collision looks like to the allocator.
    const allocator = new SidAllocator();
    // Act
    const first = allocator.allocate('indicator--x', 'suricata:ip:45.33.6.1');
    const second = allocator.allocate('indicator--x', 'suricata:ip:45.33.6.1');
    // Assess
    expect(first).toBe(stableSid('indicator--x', 'suricata:ip:45.33.6.1'));
    expect(second).toBe(stableSid('indicator--x', 'suricata:ip:45.33.6.1', 1));
    expect(allocator.probed).toBe(1);
  });

  it('gives 20,000 rules 20,000 distinct sids', () => {
    const allocator = new SidAllocator();
    const sids = new Set(Array.from({ length: 20_000 }, (_, i) => allocator.allocate(`indicator--${i}`, 'k')));
    expect(sids.size).toBe(20_000);
  });
});

describe('escaping against the grammar', () => {
  const ADVERSARIAL = [
    'a;b',
    'a"b',
    'a\\b',
    'a|b',
    'line\nbreak',
    'cr\rlf',
    'tab\tx',
    '日本語',
    '\u0000nul',
    ');alert ip any any -> any any (sid:1;',
    '\u202e\u200b',
  ];

  it.each(ADVERSARIAL)('keeps %j inside one content string, byte for byte', (value) => {
    const rule = parseRule(
      `alert tcp any any -> any any (msg:"${ruleMessage(value)}"; content:"${ruleContent(value)}"; sid:1000000000; rev:1;)`,
    );
    expect(optionText(rule.options[1])).toBe(value);
  });

  it('writes only rules the grammar accepts for adversarial URLs, domains and addresses', async () => {
    // Prepare
    const objects = [
      ...ADVERSARIAL.map((v) => sco('url', { value: `http://c2-kanto.xyz/${v}?q=${v}` })),
      ...ADVERSARIAL.map((v) => sco('domain-name', { value: `${v}.c2-kanto.xyz` })),
      sco('domain-name', { value: '日本語-kanto.xyz' }),
      sco('url', { value: 'http://日本語-kanto.xyz/日本' }),
      ...ADVERSARIAL.map((v) => sco('ipv4-addr', { value: `45.33.7.1${v}` })),
      indicator("[url:value = 'http://c2-kanto.xyz/\\'; alert\" x']"),
    ];
    // Act
    const rules = [...(await lines(objects, 'suricata')), ...(await lines(objects, 'snort3'))];
    // Assess
    expect(rules.length).toBeGreaterThan(20);
    for (const rule of rules) expect(() => parseRule(rule)).not.toThrow();
  });

  it('any text survives a content string and a msg (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite' }), fc.string({ unit: 'binary' }), (a, b) => {
        const value = a + b;
        const rule = parseRule(
          `alert tcp any any -> any any (msg:"${ruleMessage(value)}"; content:"${ruleContent(value)}"; sid:1000000000; rev:1;)`,
        );
        expect(new TextDecoder().decode(rule.options[1]!.bytes)).toBe(new TextDecoder().decode(new TextEncoder().encode(value)));
      }),
    );
  });

  it('arbitrary values never break a generated rule, and a domain rule matches exactly its domain (property)', async () => {
    const label = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,10}[a-z0-9]$/);
    const noise = fc.string({ unit: 'binary', maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(fc.array(label, { minLength: 1, maxLength: 3 }), noise, noise, async (labels, n1, n2) => {
        // Prepare
        const domain = `${labels.join('.')}.kanto-c2.xyz`;
        const objects = [
          sco('domain-name', { value: domain }),
          sco('domain-name', { value: `${n1}${domain}${n2}` }),
          sco('url', { value: `http://${domain}/${n1}?${n2}` }),
          sco('ipv4-addr', { value: `45.33.${n1}` }),
          indicator(`[url:value = 'http://${domain}/${n1.replace(/['\\]/g, '')}']`),
        ];
        // Act
        const suricata = await lines(objects, 'suricata');
        const snort = await lines(objects, 'snort3');
        // Assess
        const parsed = [...suricata, ...snort].map(parseRule);
        const dns = parsed.find((r) => r.protocol === 'dns')!;
        expect(optionText(dns.options.find((o) => o.keyword === 'content'))).toBe(`.${domain}`);
        const sids = parsed.map((r) => r.options.find((o) => o.keyword === 'sid')!.raw);
        expect(new Set(sids.slice(0, suricata.length)).size).toBe(suricata.length);
      }),
      { numRuns: 60 },
    );
  });
});
