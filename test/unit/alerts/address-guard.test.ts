import fc from 'fast-check';
import { refusedAddress, refusedWebhookUrl, SPECIAL_PURPOSE } from '../../../shared/core/alerts/address-guard';
import { formatIpv4, formatIpv6, parseCidr } from '../../../shared/core/observable/ip';

const STRICT = { allowLoopback: false };
const LOCAL = { allowLoopback: true };
const v4 = (a: number, b: number, c: number, d: number) => `${a}.${b}.${c}.${d}`;
const hex4 = (a: number, b: number, c: number, d: number) => `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
const byte = fc.integer({ min: 0, max: 255 });

/** Addresses of ranges the guard must refuse, as [first octets fixed] generators. */
const refusedV4 = fc.oneof(
  fc.tuple(fc.constant(10), byte, byte, byte),
  fc.tuple(fc.constant(127), byte, byte, byte),
  fc.tuple(fc.constant(169), fc.constant(254), byte, byte),
  fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), byte, byte),
  fc.tuple(fc.constant(192), fc.constant(168), byte, byte),
  fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), byte, byte),
  fc.tuple(fc.constant(0), byte, byte, byte),
  fc.tuple(fc.integer({ min: 224, max: 255 }), byte, byte, byte),
);

/** The first and last address of a range, and the addresses just below and above it. */
function edges(text: string): { inside: string[]; outside: string[] } {
  const cidr = parseCidr(text)!;
  const bits = cidr.version === 4 ? 32 : 128;
  const size = 1n << BigInt(bits - cidr.prefix);
  const first = cidr.network;
  const last = first + size - 1n;
  const format = cidr.version === 4 ? formatIpv4 : formatIpv6;
  const top = (1n << BigInt(bits)) - 1n;
  return {
    inside: [first, last, first + size / 2n].map(format),
    outside: [first - 1n, last + 1n].filter((n) => n >= 0n && n <= top).map(format),
  };
}

/** Public neighbours of the ranges: each must be allowed (a range drawn one bit too wide refuses one of them). */
const PUBLIC_NEIGHBOURS = [
  '1.0.0.0',
  '9.255.255.255',
  '11.0.0.0',
  '100.63.255.255',
  '100.128.0.0',
  '126.255.255.255',
  '128.0.0.0',
  '169.253.255.255',
  '169.255.0.0',
  '172.15.255.255',
  '172.32.0.0',
  '191.255.255.255',
  '192.0.1.0',
  '192.0.3.0',
  '192.31.195.255',
  '192.31.197.0',
  '192.52.192.255',
  '192.52.194.0',
  '192.88.98.255',
  '192.88.100.0',
  '192.167.255.255',
  '192.169.0.0',
  '192.175.47.255',
  '192.175.49.0',
  '198.17.255.255',
  '198.20.0.0',
  '198.51.99.255',
  '198.51.101.0',
  '203.0.112.255',
  '203.0.114.0',
  '223.255.255.255',
  '2000::',
  '2001:200::',
  '2001:db7:ffff:ffff:ffff:ffff:ffff:ffff',
  '2001:db9::',
  '2003::',
  '2620:4f:7fff:ffff:ffff:ffff:ffff:ffff',
  '2620:4f:8001::',
  '3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  '3fff:1000::',
  '::ffff:8.8.8.8',
];

describe('SSRF address guard: the IANA special-purpose registries', () => {
  it.each(SPECIAL_PURPOSE.map((range) => [range.cidr, range.name]))(
    '%s (%s): its first, middle and last address are refused, naming it; its neighbours are not attributed to it',
    (cidr, name) => {
      const { inside, outside } = edges(cidr);
      const loopback = name.startsWith('loopback');

      for (const address of inside) {
        const reason = refusedAddress(address, STRICT);
        expect({ address, reason }).toEqual({
          address,
          reason: loopback ? `${address} is a loopback address` : expect.stringContaining(`${address} is not a public address (`),
        });
        if (!loopback) expect({ address, local: refusedAddress(address, LOCAL) }).toEqual({ address, local: reason });
      }
      for (const address of outside)
        expect({ address, reason: refusedAddress(address, STRICT) ?? '' }).not.toEqual({
          address,
          reason: expect.stringContaining(`(${cidr}, `),
        });
    },
  );

  // Written from the registries independently of the guard's table, so that a row dropped from it fails here.
  it.each([
    ['0.1.2.3', '0.0.0.0/8'],
    ['10.1.2.3', '10.0.0.0/8'],
    ['100.64.0.1', '100.64.0.0/10'],
    ['169.254.169.254', '169.254.0.0/16'],
    ['172.31.255.254', '172.16.0.0/12'],
    ['192.0.0.9', '192.0.0.0/24'],
    ['192.0.2.1', '192.0.2.0/24'],
    ['192.31.196.1', '192.31.196.0/24'],
    ['192.52.193.1', '192.52.193.0/24'],
    ['192.88.99.1', '192.88.99.0/24'],
    ['192.168.1.1', '192.168.0.0/16'],
    ['192.175.48.1', '192.175.48.0/24'],
    ['198.19.255.255', '198.18.0.0/15'],
    ['198.51.100.7', '198.51.100.0/24'],
    ['203.0.113.7', '203.0.113.0/24'],
    ['239.255.255.250', '224.0.0.0/4'],
    ['240.0.0.1', '240.0.0.0/4'],
    ['255.255.255.255', '255.255.255.255/32'],
    ['::', '::/128'],
    ['64:ff9b::808:808', '64:ff9b::/96'],
    ['64:ff9b:1::a9fe:a9fe', '64:ff9b:1::/48'],
    ['100::1', '100::/64'],
    ['2001:2::1', '2001::/23'],
    ['2001::1', '2001::/32'],
    ['2001:db8::1', '2001:db8::/32'],
    ['2002:808:808::1', '2002::/16'],
    ['2620:4f:8000::1', '2620:4f:8000::/48'],
    ['3fff:fff::1', '3fff::/20'],
    ['5f00::1', '5f00::/16'],
    ['fd00:ec2::254', 'fc00::/7'],
    ['fe80::1', 'fe80::/10'],
    ['fec0::1', 'fec0::/10'],
    ['ff02::1', 'ff00::/8'],
  ])('%s is refused as part of %s', (address, cidr) => {
    expect(refusedAddress(address, LOCAL)).toMatch(`${address} is not a public address (${cidr}, `);
  });

  it.each(PUBLIC_NEIGHBOURS)('%s, just outside a refused range, is allowed', (address) => {
    expect(refusedAddress(address, STRICT)).toBeUndefined();
  });

  it('names the narrowest range: Teredo rather than the IETF block around it, local-use NAT64 for 64:ff9b:1::', () => {
    expect(refusedAddress('2001:0:4136:e378:8000:63bf:3fff:fdd2', STRICT)).toBe(
      '2001:0:4136:e378:8000:63bf:3fff:fdd2 is not a public address (2001::/32, Teredo, RFC 4380)',
    );
    expect(refusedAddress('64:ff9b:1::a9fe:a9fe', STRICT)).toBe(
      '64:ff9b:1::a9fe:a9fe is not a public address (64:ff9b:1::/48, local-use NAT64, RFC 8215)',
    );
  });

  it('refuses NAT64, local-use NAT64, 6to4 and Teredo whatever address they carry, public ones included', () => {
    fc.assert(
      fc.property(byte, byte, byte, byte, fc.integer({ min: 0, max: 0xffff }), (a, b, c, d, host) => {
        for (const spelling of [
          `64:ff9b::${v4(a, b, c, d)}`,
          `64:ff9b:1:${host.toString(16)}::${hex4(a, b, c, d)}`,
          `2002:${hex4(a, b, c, d)}::${host.toString(16)}`,
          `2001:0:${hex4(a, b, c, d)}::${host.toString(16)}`,
        ]) {
          expect({ spelling, refused: refusedAddress(spelling, LOCAL) !== undefined }).toEqual({ spelling, refused: true });
        }
      }),
    );
  });

  it('refuses private, loopback, link-local, CGNAT and multicast IPv4 in every IPv6 spelling that carries it', () => {
    fc.assert(
      fc.property(refusedV4, ([a, b, c, d]) => {
        for (const spelling of [
          v4(a, b, c, d),
          `::ffff:${v4(a, b, c, d)}`,
          `::ffff:${hex4(a, b, c, d)}`,
          `[::ffff:${hex4(a, b, c, d)}]`,
          `::${hex4(a, b, c, d)}`,
          `64:ff9b::${hex4(a, b, c, d)}`,
          `2002:${hex4(a, b, c, d)}::1`,
        ]) {
          expect({ spelling, refused: refusedAddress(spelling, STRICT) !== undefined }).toEqual({ spelling, refused: true });
        }
      }),
    );
  });

  it('refuses any address inside any row of the table, loopback setting or not (loopback rows aside)', () => {
    const rows = SPECIAL_PURPOSE.filter((range) => !range.name.startsWith('loopback')).map((range) => parseCidr(range.cidr)!);
    fc.assert(
      fc.property(fc.constantFrom(...rows), fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (cidr, random) => {
        const bits = cidr.version === 4 ? 32 : 128;
        const host = random & ((1n << BigInt(bits - cidr.prefix)) - 1n);
        const address = (cidr.version === 4 ? formatIpv4 : formatIpv6)(cidr.network | host);

        expect({ address, refused: refusedAddress(address, LOCAL) !== undefined }).toEqual({ address, refused: true });
      }),
      { numRuns: 2000 },
    );
  });

  it('allows any address of public blocks, IPv4, IPv4-mapped and IPv6 global unicast', () => {
    // First octets with no special-purpose range anywhere inside their /8.
    const publicOctet = fc.integer({ min: 1, max: 223 }).filter((a) => ![10, 100, 127, 169, 172, 192, 198, 203].includes(a));
    const publicV6 = fc
      .tuple(fc.integer({ min: 0x2000, max: 0x3ffe }), fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 7, maxLength: 7 }))
      .filter(([first]) => ![0x2001, 0x2002, 0x2620].includes(first));
    fc.assert(
      fc.property(publicOctet, byte, byte, byte, publicV6, (a, b, c, d, [first, rest]) => {
        const v6 = [first, ...rest].map((group) => group.toString(16)).join(':');
        for (const address of [v4(a, b, c, d), `::ffff:${v4(a, b, c, d)}`, v6])
          expect({ address, reason: refusedAddress(address, STRICT) }).toEqual({ address, reason: undefined });
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses IPv6 outside 2000::/3 (IPv4-compatible, unallocated) and the cloud metadata services', () => {
    for (const address of ['::8.8.8.8', '4000::1', '1::1', 'e000::1', '169.254.169.254', '::ffff:169.254.169.254', 'fd00:ec2::254'])
      expect({ address, refused: refusedAddress(address, LOCAL) !== undefined }).toEqual({ address, refused: true });
  });

  it('allows loopback only when the deployment says so', () => {
    expect(refusedAddress('127.0.0.1', LOCAL)).toBeUndefined();
    expect(refusedAddress('::1', LOCAL)).toBeUndefined();
    expect(refusedAddress('::ffff:127.0.0.1', LOCAL)).toBeUndefined();
    expect(refusedAddress('127.0.0.1', STRICT)).toBe('127.0.0.1 is a loopback address');
    expect(refusedAddress('::1', STRICT)).toBe('::1 is a loopback address');
    expect(refusedAddress('fe80::1%eth0', STRICT)).toBe('fe80::1%eth0 is not a public address (fe80::/10, link-local unicast, RFC 4291)');
  });

  it('accepts https URLs only, without credentials, to hosts that are not refused', () => {
    const options = { allowLoopback: false, allowHttp: false };
    expect(refusedWebhookUrl('https://hooks.example.jp/kyoyu', options)).toBeUndefined();
    expect(refusedWebhookUrl('http://hooks.example.jp/kyoyu', options)).toBe('must be an https:// URL');
    expect(refusedWebhookUrl('https://user:pw@hooks.example.jp/', options)).toBe('must not carry credentials');
    expect(refusedWebhookUrl('https://169.254.169.254/latest/meta-data/', options)).toBeDefined();
    expect(refusedWebhookUrl('https://[::ffff:10.0.0.1]/', options)).toBeDefined();
    expect(refusedWebhookUrl('https://[64:ff9b:1::a9fe:a9fe]/', options)).toBeDefined();
    expect(refusedWebhookUrl('https://localhost/', options)).toBeDefined();
    expect(refusedWebhookUrl('http://127.0.0.1:8080/', { allowLoopback: true, allowHttp: true })).toBeUndefined();
  });
});
