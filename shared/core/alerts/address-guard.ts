import { cidrContains, parseCidr, parseIp, type Cidr, type IpNumber } from '../observable/ip';

/**
 * The SSRF guard of outgoing webhooks: a member names a URL, and the platform must not be made to call into its own
 * network. The delivery resolves the host itself and checks EVERY address it got (a name with one public and one
 * private address must not be a way in), then connects to a checked address, never re-resolving (DNS rebinding).
 *
 * Rules, in order:
 * 1. Loopback (127.0.0.0/8, ::1) is allowed only when the deployment says so (`npm start`'s demos and tests, with
 *    receivers on this machine); the AWS deployment never sets it.
 * 2. IPv4-mapped IPv6 (::ffff:0:0/96) is the IPv4 address inside it (a dual-stack socket connects to that address):
 *    judged as that address, so `::ffff:169.254.169.254` is the metadata service.
 * 3. Every range of SPECIAL_PURPOSE is refused, whatever its "globally reachable" column says: the table is the IANA
 *    IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and its updates) plus multicast and the deprecated
 *    site-local space. Forms that carry or reach another address are refused outright rather than decoded: NAT64
 *    (64:ff9b::/96 and the local-use 64:ff9b:1::/48, which reach 169.254.169.254 where a network runs NAT64), 6to4
 *    (2002::/16), Teredo (2001::/32) — a receiver has a plain address to give instead.
 * 4. IPv6 outside 2000::/3 is refused: the IANA IPv6 Address Space registry allocates only that block to global
 *    unicast, so nothing else (IPv4-compatible ::/96, unallocated space) is a public receiver.
 */

interface Range {
  cidr: string;
  name: string;
}

/**
 * https://www.iana.org/assignments/iana-ipv4-special-registry and
 * https://www.iana.org/assignments/iana-ipv6-special-registry (RFC 6890 and the RFCs named per row), with IPv4
 * multicast (RFC 5771), IPv6 multicast (RFC 4291 §2.7) and IPv6 site-local (RFC 3879, deprecated) added. The
 * registry's ::ffff:0:0/96 (IPv4-mapped) is rule 2, not a row: it is judged by the address inside.
 */
export const SPECIAL_PURPOSE: readonly Range[] = [
  { cidr: '0.0.0.0/8', name: '"this network", RFC 791' },
  { cidr: '10.0.0.0/8', name: 'private-use, RFC 1918' },
  { cidr: '100.64.0.0/10', name: 'shared address space, RFC 6598' },
  { cidr: '127.0.0.0/8', name: 'loopback, RFC 1122' },
  { cidr: '169.254.0.0/16', name: 'link-local, RFC 3927' },
  { cidr: '172.16.0.0/12', name: 'private-use, RFC 1918' },
  { cidr: '192.0.0.0/24', name: 'IETF protocol assignments, RFC 6890' },
  { cidr: '192.0.2.0/24', name: 'documentation (TEST-NET-1), RFC 5737' },
  { cidr: '192.31.196.0/24', name: 'AS112-v4, RFC 7535' },
  { cidr: '192.52.193.0/24', name: 'AMT, RFC 7450' },
  { cidr: '192.88.99.0/24', name: 'deprecated 6to4 relay anycast, RFC 7526' },
  { cidr: '192.168.0.0/16', name: 'private-use, RFC 1918' },
  { cidr: '192.175.48.0/24', name: 'direct delegation AS112 service, RFC 7534' },
  { cidr: '198.18.0.0/15', name: 'benchmarking, RFC 2544' },
  { cidr: '198.51.100.0/24', name: 'documentation (TEST-NET-2), RFC 5737' },
  { cidr: '203.0.113.0/24', name: 'documentation (TEST-NET-3), RFC 5737' },
  { cidr: '224.0.0.0/4', name: 'multicast, RFC 5771' },
  { cidr: '240.0.0.0/4', name: 'reserved, RFC 1112' },
  { cidr: '255.255.255.255/32', name: 'limited broadcast, RFC 919' },
  { cidr: '::1/128', name: 'loopback, RFC 4291' },
  { cidr: '::/128', name: 'unspecified, RFC 4291' },
  { cidr: '64:ff9b::/96', name: 'NAT64, RFC 6052' },
  { cidr: '64:ff9b:1::/48', name: 'local-use NAT64, RFC 8215' },
  { cidr: '100::/64', name: 'discard-only, RFC 6666' },
  { cidr: '2001::/23', name: 'IETF protocol assignments, RFC 2928' },
  { cidr: '2001::/32', name: 'Teredo, RFC 4380' },
  { cidr: '2001:db8::/32', name: 'documentation, RFC 3849' },
  { cidr: '2002::/16', name: '6to4, RFC 3056' },
  { cidr: '2620:4f:8000::/48', name: 'direct delegation AS112 service, RFC 7534' },
  { cidr: '3fff::/20', name: 'documentation, RFC 9637' },
  { cidr: '5f00::/16', name: 'segment routing (SRv6) SIDs, RFC 9602' },
  { cidr: 'fc00::/7', name: 'unique-local, RFC 4193' },
  { cidr: 'fe80::/10', name: 'link-local unicast, RFC 4291' },
  { cidr: 'fec0::/10', name: 'deprecated site-local, RFC 3879' },
  { cidr: 'ff00::/8', name: 'multicast, RFC 4291' },
];

const TABLE: ReadonlyArray<{ cidr: Cidr; name: string; text: string }> = SPECIAL_PURPOSE.map((range) => ({
  cidr: parseCidr(range.cidr)!,
  name: range.name,
  text: range.cidr,
}));
const LOOPBACK = [parseCidr('127.0.0.0/8')!, parseCidr('::1/128')!];
const IPV4_MAPPED = parseCidr('::ffff:0:0/96')!;
const GLOBAL_UNICAST_V6 = parseCidr('2000::/3')!;

export interface AddressGuardOptions {
  /** `npm start` and tests only: receivers on this machine. */
  allowLoopback: boolean;
}

/** Why the platform must not connect to `address` (an IP literal), or undefined when it may. */
export function refusedAddress(address: string, options: AddressGuardOptions): string | undefined {
  const parsed = parseIp(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  if (!parsed) return `${address} is not an IP address`;
  const ip: IpNumber = cidrContains(IPV4_MAPPED, parsed) ? { version: 4, value: parsed.value & 0xffffffffn } : parsed;
  if (LOOPBACK.some((cidr) => cidrContains(cidr, ip))) return options.allowLoopback ? undefined : `${address} is a loopback address`;
  // The narrowest range names the reason best (Teredo rather than the 2001::/23 block around it).
  const ranges = TABLE.filter((range) => cidrContains(range.cidr, ip));
  const range = ranges.reduce<(typeof ranges)[number] | undefined>((a, b) => (a && a.cidr.prefix >= b.cidr.prefix ? a : b), undefined);
  if (range) return `${address} is not a public address (${range.text}, ${range.name})`;
  if (ip.version === 6 && !cidrContains(GLOBAL_UNICAST_V6, ip))
    return `${address} is not a public address (outside 2000::/3, the IPv6 global unicast space)`;
  return undefined;
}

/**
 * Checks a webhook URL before it is stored: HTTPS only (a member's receiver proves who it is and the payload is not
 * read on the way), no credentials in it, and a host that is not an address the guard refuses. Names are resolved
 * and checked again at every delivery.
 */
export function refusedWebhookUrl(url: string, options: AddressGuardOptions & { allowHttp: boolean }): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'https:' && !(options.allowHttp && parsed.protocol === 'http:')) return 'must be an https:// URL';
  if (parsed.username || parsed.password) return 'must not carry credentials';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (parseIp(host)) return refusedAddress(host, options);
  if (/^localhost$|\.localhost$|\.internal$|\.local$/i.test(host))
    return options.allowLoopback && /localhost$/i.test(host) ? undefined : `${host} is not a public host name`;
  return undefined;
}
