import fc from 'fast-check';
import { refusedAddress, refusedWebhookUrl } from '../../../shared/core/alerts/address-guard';

const STRICT = { allowLoopback: false };
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

describe('SSRF address guard', () => {
  it('refuses private, loopback, link-local, CGNAT and multicast IPv4 in every IPv6 spelling that carries it', () => {
    fc.assert(
      fc.property(refusedV4, ([a, b, c, d]) => {
        for (const spelling of [
          v4(a, b, c, d),
          `::ffff:${v4(a, b, c, d)}`,
          `::ffff:${hex4(a, b, c, d)}`,
          `[::ffff:${hex4(a, b, c, d)}]`,
          `64:ff9b::${hex4(a, b, c, d)}`,
          `2002:${hex4(a, b, c, d)}::1`,
        ]) {
          expect({ spelling, refused: refusedAddress(spelling, STRICT) !== undefined }).toEqual({ spelling, refused: true });
        }
      }),
    );
  });

  it('refuses the cloud metadata services, IPv4 and IPv6', () => {
    for (const address of ['169.254.169.254', '::ffff:169.254.169.254', '::ffff:a9fe:a9fe', 'fd00:ec2::254', '[fd00:ec2::254]']) {
      expect(refusedAddress(address, { allowLoopback: true })).toBeDefined();
    }
  });

  it('refuses IPv6 loopback, unspecified, unique-local, link-local and multicast', () => {
    for (const address of ['::1', '::', 'fc00::1', 'fdff::1', 'fe80::1%eth0', 'ff02::1', '2001:db8::1'])
      expect(refusedAddress(address, STRICT)).toBeDefined();
  });

  it('allows public addresses, and loopback only when the deployment says so', () => {
    for (const address of ['8.8.8.8', '203.0.114.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      expect(refusedAddress(address, STRICT)).toBeUndefined();
    expect(refusedAddress('127.0.0.1', { allowLoopback: true })).toBeUndefined();
    expect(refusedAddress('::1', { allowLoopback: true })).toBeUndefined();
    expect(refusedAddress('127.0.0.1', STRICT)).toBe('127.0.0.1 is a loopback address');
  });

  it('accepts https URLs only, without credentials, to hosts that are not refused', () => {
    const options = { allowLoopback: false, allowHttp: false };
    expect(refusedWebhookUrl('https://hooks.example.jp/kyoyu', options)).toBeUndefined();
    expect(refusedWebhookUrl('http://hooks.example.jp/kyoyu', options)).toBe('must be an https:// URL');
    expect(refusedWebhookUrl('https://user:pw@hooks.example.jp/', options)).toBe('must not carry credentials');
    expect(refusedWebhookUrl('https://169.254.169.254/latest/meta-data/', options)).toBeDefined();
    expect(refusedWebhookUrl('https://[::ffff:10.0.0.1]/', options)).toBeDefined();
    expect(refusedWebhookUrl('https://localhost/', options)).toBeDefined();
    expect(refusedWebhookUrl('http://127.0.0.1:8080/', { allowLoopback: true, allowHttp: true })).toBeUndefined();
  });
});
