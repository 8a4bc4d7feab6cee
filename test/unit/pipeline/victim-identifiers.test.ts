import { REDACTED, victimMatcher, type VictimIdentifiers } from '../../../shared/core/pipeline/victim-identifiers';

const registry = (memberId: string, values: Partial<Omit<VictimIdentifiers, 'memberId'>>): VictimIdentifiers => ({
  memberId,
  names: [],
  domains: [],
  emailDomains: [],
  ipRanges: [],
  brands: [],
  internalHostSuffixes: [],
  referencePrefixes: [],
  ...values,
});

const KANTO = registry('kanto', {
  names: ['関東電力', 'Kanto Power', 'KPC'],
  domains: ['kanto-power.co.jp', '関東電力.jp'],
  emailDomains: ['kpc-mail.jp'],
  ipRanges: ['133.242.10.0/24', '2001:db8:10::/48'],
  brands: ['KantoGrid'],
  internalHostSuffixes: ['corp.kanto.local', '.kp-internal'],
  referencePrefixes: ['INC-', 'KP-SEC-'],
});
// 北海道電力.jp registered in its Punycode form only.
const HOKKAIDO = registry('hokkaido', {
  names: ['北海道電力', 'Hokkaido Power'],
  domains: ['xn--tfr1ko21e515ap7g.jp'],
  ipRanges: ['198.51.100.0/24'],
});

const matcher = victimMatcher([KANTO, HOKKAIDO]);
const R = REDACTED;

describe('victim identifiers: domains and hosts', () => {
  it('redacts a registered domain however it is spelt, taking the whole host token', () => {
    const texts = [
      'C2 beacons to srv.kanto-power.co.jp daily',
      'C2 beacons to ｓｒｖ．ｋａｎｔｏ－ｐｏｗｅｒ．ｃｏ．ｊｐ daily',
      'C2 beacons to kanto-power[.]co[.]jp daily',
      'C2 beacons to KANTO-POWER%2ECO%2EJP daily',
      'C2 beacons to vpn.kanto\u200b-power.co.jp daily',
      'C2 beacons to kanto-power.co.jp.evil.com daily',
      'C2 beacons to kanto-power\\.co\\.jp daily',
      'C2 beacons to kanto-power。co。jp daily',
    ];

    const scans = texts.map((t) => matcher.scan(t));

    expect(scans).toEqual(texts.map(() => ({ text: `C2 beacons to ${R} daily`, members: ['kanto'] })));
  });

  it('keeps the URL around a victim host and the full stop after it', () => {
    expect(matcher.redact('see hxxps://portal.kanto-power[.]co[.]jp/login?x=1.')).toBe(`see hxxps://${R}/login?x=1.`);
    expect(matcher.redact('at kanto-power.co.jp.')).toBe(`at ${R}.`);
  });

  it('redacts the local part of an e-mail address at a victim domain, defanged or not', () => {
    expect(matcher.redact('from soc.team@kpc-mail.jp, cc ceo[at]kanto-power[.]co[.]jp')).toBe(`from ${R}, cc ${R}`);
  });

  it('matches an IDN domain in Unicode and in Punycode, whichever the registry holds', () => {
    const scans = ['北海道電力.jp', 'www.xn--tfr1ko21e515ap7g.jp', '関東電力.jp', 'www.xn--tfrt89btx7aqeb.jp'].map((t) => matcher.scan(t));

    expect(scans).toEqual([
      { text: R, members: ['hokkaido'] },
      { text: R, members: ['hokkaido'] },
      { text: R, members: ['kanto'] },
      { text: R, members: ['kanto'] },
    ]);
  });

  it('matches internal host names by their registered suffixes', () => {
    expect(matcher.scan('db01.corp.kanto.local and build.kp-internal:8080')).toEqual({ text: `${R} and ${R}:8080`, members: ['kanto'] });
  });

  it('does not match another domain that merely contains the registered one', () => {
    // Domains only: "kanto-power" alone also reads as the name Kanto Power.
    const hosts = victimMatcher([registry('kanto', { domains: KANTO.domains, internalHostSuffixes: KANTO.internalHostSuffixes })]);
    const texts = [
      'notkanto-power.co.jp',
      'kanto-power.co.jpx',
      'kanto-power.co.jp-evil.com',
      'xcorp.kanto.local',
      'kp-internal-tools.example',
      'kanto-power.com',
    ];

    expect(texts.map((t) => hosts.scan(t))).toEqual(texts.map((text) => ({ text, members: [] })));
    expect(hosts.redact('report_kanto-power.co.jp.pdf')).toBe(R);
  });
});

describe('victim identifiers: names and brands', () => {
  it('matches names with their words split, joined or hidden', () => {
    const texts = [
      'Kanto Power',
      'Kanto-Power',
      'Kanto_Power',
      'KantoPower',
      'Kanto  Power',
      'Kanto\nPower',
      'ＫＡＮＴＯ　ＰＯＷＥＲ',
      'Kan\u200bto Po\u00adwer',
      'Kanto%20Power',
    ];

    expect(texts.map((t) => matcher.scan(`hit at ${t}, again`))).toEqual(
      texts.map(() => ({ text: `hit at ${R}, again`, members: ['kanto'] })),
    );
  });

  it('needs a word boundary at an ASCII edge, or a camel-case one', () => {
    expect(matcher.scan('KPCA and KPCsx and 2KPC and kpcx')).toEqual({ text: 'KPCA and KPCsx and 2KPC and kpcx', members: [] });
    expect(matcher.redact('KPC, (KPC) KPC-4711 KPCの')).toBe(`${R}, (${R}) ${R}-4711 ${R}の`);
    expect(matcher.redact('KantoPowerReport.pdf MyKantoGrid.xlsx')).toBe(`${R}Report.pdf My${R}.xlsx`);
  });

  it('finds Japanese names in Japanese prose, needing no boundary', () => {
    expect(matcher.scan('関東電力の制御LANに侵入。北海道・電力にも。')).toEqual({
      text: `${R}の制御LANに侵入。${R}にも。`,
      members: ['kanto', 'hokkaido'],
    });
    expect(matcher.redact('被害は%E9%96%A2%E6%9D%B1%E9%9B%BB%E5%8A%9Bの変電所')).toBe(`被害は${R}の変電所`);
  });
});

describe('victim identifiers: look-alike spellings', () => {
  it('reads letters of other scripts that look Latin, mathematical and enclosed letters, and Latin diacritics', () => {
    const texts = [
      'К\u0430nto Power', // Cyrillic К, а
      'Κantο Ρower', // Greek Κ, ο, Ρ
      '\u13e6\u13aanto Power', // Cherokee Ꮶ, Ꭺ
      '𝐊𝐚𝐧𝐭𝐨 𝐏𝐨𝐰𝐞𝐫',
      '🄺anto Ⓟower',
      'Kantō Power',
      'Kanto\u0304 Powe\u0301r',
      'ᴋᴀɴᴛᴏ ᴘᴏᴡᴇʀ',
      'ΚΡС', // Greek Κ Ρ, Cyrillic С
    ];

    expect(texts.map((t) => matcher.scan(`hit at ${t}, again`))).toEqual(
      texts.map(() => ({ text: `hit at ${R}, again`, members: ['kanto'] })),
    );
    expect(matcher.redact('srv.кanto-power.co.jp and \u0445n--')).toBe(`${R} and \u0445n--`);
  });

  it('leaves prose in other scripts that names nobody alone', () => {
    const text = 'Атака на подстанцию в Москве, ΑΘΗΝΑ και Ελλάδα, 현대 건설, パワーグリッドの更新, Кафе Соmе';

    expect(matcher.scan(text)).toEqual({ text, members: [] });
  });

  it('reads katakana shaped like kanji as the kanji, and decomposed or typed Hangul as syllables', () => {
    const korean = victimMatcher([registry('hd', { names: ['현대전력'] })]);

    expect(matcher.redact('関東電カの変電所')).toBe(`${R}の変電所`);
    expect(korean.redact('현대전력'.normalize('NFD'))).toBe(R);
    expect(korean.redact('공격: ㅎㅕㄴㄷㅐㅈㅓㄴㄹㅕㄱ 확인')).toBe(`공격: ${R} 확인`);
    expect(korean.scan('현대 건설').members).toEqual([]);
  });

  it('reads a dot with spaces before it as the dot of a name, and English plurals of a name as the name', () => {
    expect(matcher.redact('C2 at kanto-power . co . jp, kanto-power .co .jp and 133 . 242 . 10 . 5')).toBe(`C2 at ${R}, ${R} and ${R}`);
    expect(matcher.redact("the KPCs, two Kanto Powers' and KantoGrids")).toBe(`the ${R}, two ${R}' and ${R}`);
    expect(matcher.scan('Budget 1 . 5 per cent. Then KPCsx went.')).toEqual({
      text: 'Budget 1 . 5 per cent. Then KPCsx went.',
      members: [],
    });
  });
});

describe('victim identifiers: encoded text', () => {
  const b64 = (s: string, encoding: BufferEncoding = 'utf8') => Buffer.from(s, encoding).toString('base64');

  it('decodes base64, base64url, hex, escaped hex and Punycode, and redacts the whole run that names a victim', () => {
    const texts = [
      b64('beacon to vpn.kanto-power.co.jp now'),
      b64('KPC'),
      b64('関東電力の変電所'),
      Buffer.from('hit 133.242.10.5').toString('base64url'),
      Buffer.from('Kanto Power').toString('hex'),
      b64(b64('Kanto Power')),
      b64('iwr http://kanto-power.co.jp', 'utf16le'),
      b64('a long MIME body naming Kanto Power after the first line break')
        .replace(/(.{16})/g, '$1\r\n')
        .trim(),
      '\\x4b\\x61\\x6e\\x74\\x6f\\x20\\x50\\x6f\\x77\\x65\\x72',
      new URL('http://kаnto-power.co.jp').hostname, // Cyrillic а, in Punycode
    ];

    expect(texts.map((t) => matcher.scan(`payload ${t} end`))).toEqual(texts.map(() => ({ text: `payload ${R} end`, members: ['kanto'] })));
  });

  it('leaves hashes, ids and words that only use the alphabet of an encoding alone', () => {
    const text = `md5 d41d8cd98f00b204e9800998ecf8427e, ${b64('nothing to see')}, Test Nothing, Zm9vYmFy, deadbeefcafe`;

    expect(matcher.scan(text)).toEqual({ text, members: [] });
  });
});

describe('victim identifiers: reference prefixes', () => {
  it('redacts the prefix and the rest of its token at a token start only', () => {
    expect(matcher.scan('see INC-2024-0412, kp-sec-17 and zINC-1')).toEqual({ text: `see ${R}, ${R} and zINC-1`, members: ['kanto'] });
  });
});

describe('victim identifiers: addresses', () => {
  it('redacts IPv4 addresses in a range in every notation', () => {
    const texts = [
      '133.242.10.5',
      '133.242.010.005',
      '133[.]242[.]10[.]5',
      '１３３．２４２．１０．５',
      '2247232005',
      '0x85F20A05',
      '0x85.0xf2.0x0a.0x05',
      '133%2E242%2E10%2E5',
    ];

    expect(texts.map((t) => matcher.scan(`from ${t}:443 too`))).toEqual(
      texts.map(() => ({ text: `from ${R}:443 too`, members: ['kanto'] })),
    );
  });

  it('redacts IPv6 addresses in a range compressed, expanded, upper-case, bracketed, zoned or IPv4-mapped', () => {
    const texts = [
      '2001:db8:10::1',
      '2001:0DB8:0010:0000:0000:0000:0000:0001',
      '2001:db8:10:ffff::',
      '::ffff:133.242.10.5',
      '::FFFF:85f2:a05',
      '0:0:0:0:0:ffff:133.242.10.5',
    ];

    expect(texts.map((t) => matcher.scan(`host ${t} seen`))).toEqual(texts.map(() => ({ text: `host ${R} seen`, members: ['kanto'] })));
    expect(matcher.redact('http://[2001:db8:10::5]:8080/ and fe80::1 and 2001:db8:10::7%eth0')).toBe(
      `http://[${R}]:8080/ and fe80::1 and ${R}%eth0`,
    );
  });

  it('redacts an IPv6 address glued by a dot to hex letters before or after it, as refanging " dot " glues it', () => {
    const texts: Array<[string, string]> = [
      ['2001:db8:10::92 dot com', `${R} dot com`],
      ['2001:db8:10::92\n dot   dot  (x', `${R}\n dot   dot  (x`],
      ['2001:db8:10::92.dead.beef.cafe.face.dead.beef.cafe.face.dead', `${R}.dead.beef.cafe.face.dead.beef.cafe.face.dead`],
      ['cafe.2001:db8:10::92', `cafe.${R}`],
      ['cafe: dot 2001:db8:10::92', `cafe: dot ${R}`],
      ['2001:db8:10::92 dot dead:beef', `${R} dot dead:beef`],
      ['::ffff:133.242.10.5.be', `${R}.be`],
      ['2001:db8:10:0:0:0:0:d7:  dot \tfxp://x', `${R}:  dot \tfxp://x`],
    ];

    expect(texts.map(([t]) => matcher.scan(t))).toEqual(texts.map(([, text]) => ({ text, members: ['kanto'] })));
  });

  it('redacts what a resolver reads as an address in a range: short and octal IPv4 forms, IPv4 inside IPv6', () => {
    const texts = [
      '133.242.2565',
      '133.15862277',
      '0x85.0xf2.0xa05',
      '020574405005',
      '2002:85f2:a05::1',
      '64:ff9b::133.242.10.5',
      '64:ff9b::85f2:a05',
      '64:ff9b:1:85f2:a:500::',
      '::133.242.10.5',
      '2001:0:85f2:a05::1',
      '2001:0:4136:e378:8000:63bf:7a0d:f5fa',
      'fe80::5efe:133.242.10.5',
      '2001:db8:99::200:5efe:85f2:a05',
    ];

    expect(texts.map((t) => matcher.scan(`via ${t}, then`))).toEqual(texts.map(() => ({ text: `via ${R}, then`, members: ['kanto'] })));
  });

  it('redacts reverse-DNS names of an address or a network in a range, IPv4 and IPv6 nibbles', () => {
    const texts = [
      '5.10.242.133.in-addr.arpa',
      '10.242.133.IN-ADDR.ARPA',
      '5[.]10[.]242[.]133[.]in-addr[.]arpa',
      '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.8.b.d.0.1.0.0.2.ip6.arpa',
      '0.1.0.0.8.b.d.0.1.0.0.2.ip6.arpa',
      '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.5.0.a.0.2.f.5.8.2.0.0.2.ip6.arpa',
    ];

    expect(texts.map((t) => matcher.scan(`PTR ${t}.`))).toEqual(texts.map(() => ({ text: `PTR ${R}.`, members: ['kanto'] })));
  });

  it('leaves addresses outside every range alone', () => {
    const texts = [
      '133.242.11.5',
      '133.242.10',
      '2247232261',
      '2001:db8:11::1',
      '::ffff:133.242.11.5',
      '45.77.65.211',
      'v1.2.3.4',
      '12:30:45',
      '133.242.2566.7',
      '5.11.242.133.in-addr.arpa',
      '242.133.in-addr.arpa',
      'x5.11.242.133.in-addr.arpa.example',
      '2002:85f2:b05::1',
      '64:ff9b::133.242.11.5',
      'version 2.1, TLS 1.3, 10.0.1',
    ];

    expect(texts.map((t) => matcher.scan(t))).toEqual(texts.map((text) => ({ text, members: [] })));
  });
});

describe('victim identifiers: members and structured values', () => {
  it('reports exactly the members whose identifiers were in the text, in registry order', () => {
    expect(matcher.scan('198.51.100.7 then KantoGrid').members).toEqual(['kanto', 'hokkaido']);
    expect(matcher.scan('198.51.100.7').members).toEqual(['hokkaido']);
    expect(matcher.scan('nothing to see at 192.0.2.1')).toEqual({ text: 'nothing to see at 192.0.2.1', members: [] });
  });

  it('reports both members when two registries share a value', () => {
    const shared = victimMatcher([registry('a', { brands: ['GridOS'] }), registry('b', { brands: ['gridos'] })]);

    expect(shared.scan('GridOS 4.2')).toEqual({ text: `${R} 4.2`, members: ['a', 'b'] });
  });

  it('identifies structured values: domains, URLs, e-mail addresses, addresses, CIDRs, names, file names', () => {
    const values = [
      'vpn.kanto-power.co.jp',
      'https://intra.kanto-power.co.jp/incidents/42',
      'ceo@kpc-mail.jp',
      '[2001:db8:10::1]',
      '133.242.0.0/16',
      '::ffff:133.242.10.128/121',
      '2001:db8::/32',
      '198.51.100.0/23',
      'Kanto Power',
      'KantoPower_incident.pdf',
    ];

    expect(values.map((v) => matcher.identifying(v))).toEqual([
      ['kanto'],
      ['kanto'],
      ['kanto'],
      ['kanto'],
      ['kanto'],
      ['kanto'],
      ['kanto'],
      ['hokkaido'],
      ['kanto'],
      ['kanto'],
    ]);
    expect(['example.com', '133.243.0.0/16', '2001:db9::/32', 'KPCA', 'report.pdf'].map((v) => matcher.identifies(v))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('ignores registry entries shorter than three characters once normalised', () => {
    const short = victimMatcher([registry('s', { names: ['KP', 'ｋ　ｐ'], brands: ['x'], domains: ['jp'], referencePrefixes: ['I-'] })]);

    expect(short.scan('KP k p x jp I-17')).toEqual({ text: 'KP k p x jp I-17', members: [] });
  });
});
