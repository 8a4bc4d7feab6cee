import { cidrContains, parseCidr, parseIp, type Cidr, type IpNumber } from '../pipeline/ip';

/**
 * The SSRF guard of outgoing webhooks: a member names a URL, and the platform must not be made to call into its own
 * network. The delivery resolves the host itself and checks EVERY address it got (a name with one public and one
 * private address must not be a way in), then connects to a checked address, never re-resolving (DNS rebinding).
 *
 * Refused: everything not globally routable in the IANA special-purpose registries (RFC 6890 and its updates) —
 * private (RFC 1918, RFC 4193 unique-local, which holds the EC2 IPv6 metadata address fd00:ec2::254), loopback,
 * link-local (169.254.0.0/16 holds the IPv4 metadata service 169.254.169.254), shared CGNAT space, documentation,
 * benchmarking, multicast, reserved. IPv6 forms that carry an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, NAT64
 * 64:ff9b::/96, 6to4 2002::/16, IPv4-compatible ::/96) are judged by the IPv4 address inside where it can be read,
 * and refused where it cannot: `::ffff:169.254.169.254` is the metadata service.
 *
 * Loopback is allowed only when the deployment says so (`npm start`'s demos and tests, with receivers on this
 * machine); the AWS deployment never sets it.
 */

const cidrs = (list: readonly string[]): Cidr[] => list.map((text) => parseCidr(text)!);

const REFUSED_V4 = cidrs([
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
]);
const LOOPBACK_V4 = parseCidr('127.0.0.0/8')!;

const REFUSED_V6 = cidrs(['100::/64', '2001::/23', '2001:db8::/32', 'fc00::/7', 'fe80::/10', 'fec0::/10', 'ff00::/8']);
const LOOPBACK_V6: IpNumber = { version: 6, value: 1n };
/** IPv6 prefixes whose low 32 bits are an IPv4 address. */
const EMBEDDING_V4 = cidrs(['::ffff:0:0/96', '64:ff9b::/96', '::/96']);
const SIX_TO_FOUR = parseCidr('2002::/16')!;

export interface AddressGuardOptions {
  /** `npm start` and tests only: receivers on this machine. */
  allowLoopback: boolean;
}

/** Why the platform must not connect to `address` (an IP literal), or undefined when it may. */
export function refusedAddress(address: string, options: AddressGuardOptions): string | undefined {
  const ip = parseIp(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  if (!ip) return `${address} is not an IP address`;
  if (ip.version === 4) return refusedV4(ip, address, options);
  if (ip.value === LOOPBACK_V6.value) return options.allowLoopback ? undefined : `${address} is a loopback address`;
  if (ip.value === 0n) return `${address} is the unspecified address`;
  const embedding = EMBEDDING_V4.find((cidr) => cidrContains(cidr, ip));
  if (embedding) return refusedV4({ version: 4, value: ip.value & 0xffffffffn }, address, options);
  if (cidrContains(SIX_TO_FOUR, ip)) return refusedV4({ version: 4, value: (ip.value >> 80n) & 0xffffffffn }, address, options);
  if (REFUSED_V6.some((cidr) => cidrContains(cidr, ip))) return `${address} is not a public address`;
  return undefined;
}

function refusedV4(ip: IpNumber, shown: string, options: AddressGuardOptions): string | undefined {
  if (cidrContains(LOOPBACK_V4, ip)) return options.allowLoopback ? undefined : `${shown} is a loopback address`;
  if (REFUSED_V4.some((cidr) => cidrContains(cidr, ip))) return `${shown} is not a public address`;
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
