import { domainToASCII } from 'node:url';
import { formatIpv4, formatIpv6, parseCidr, parseIp } from '../observable/ip';

/**
 * The one spelling of each exported value. Devices compare bytes, not meanings: a block list that says
 * "2001:DB8:0:0::1" or "Evil.Example." while the traffic says "2001:db8::1" or "evil.example" blocks nothing, and a
 * value that is not what its type claims (an "IP" with a space, a "domain" with a quote) is exactly what breaks a
 * rule file. So every value is parsed and re-written here, or refused (`undefined`) and counted by the caller.
 */

export type ExportValueType = 'ipv4-addr' | 'ipv6-addr' | 'domain-name' | 'url' | 'email-addr' | 'file-hash';
/** The hash algorithms exported (STIX 2.1 §10.7 hash-algorithm-ov names); others (SSDEEP, TLSH…) are skipped. */
export type HashAlgorithm = 'MD5' | 'SHA-1' | 'SHA-256' | 'SHA-512';

const HASH_HEX_LENGTH: Readonly<Record<HashAlgorithm, number>> = { MD5: 32, 'SHA-1': 40, 'SHA-256': 64, 'SHA-512': 128 };

/** `hashes.'SHA-256'`, `hashes.SHA256`, `sha-256` → SHA-256; undefined for algorithms not exported. */
export function hashAlgorithmOf(key: string): HashAlgorithm | undefined {
  const name = key
    .replace(/^hashes\./, '')
    .replace(/'/g, '')
    .toUpperCase()
    .replace(/^SHA(\d)/, 'SHA-$1');
  return Object.hasOwn(HASH_HEX_LENGTH, name) ? (name as HashAlgorithm) : undefined;
}

export function canonicalHash(algorithm: HashAlgorithm, value: string): string | undefined {
  const hex = value.trim().toLowerCase();
  return hex.length === HASH_HEX_LENGTH[algorithm] && /^[0-9a-f]+$/.test(hex) ? hex : undefined;
}

export interface CanonicalAddress {
  type: 'ipv4-addr' | 'ipv6-addr';
  /** `45.33.1.7`, `2001:db8::1`, or a network `45.33.0.0/16` (the host bits cleared; a /32 or /128 is bare). */
  value: string;
}

/** STIX 2.1 §6.4/§6.5: an ipv4-addr or ipv6-addr value is an address or a CIDR block. */
export function canonicalAddress(text: string): CanonicalAddress | undefined {
  const trimmed = text.trim();
  if (!/^[0-9A-Fa-f.:]+(\/\d{1,3})?$/.test(trimmed)) return undefined;
  const cidr = parseCidr(trimmed);
  if (!cidr) return undefined;
  const bits = cidr.version === 4 ? 32 : 128;
  const format = cidr.version === 4 ? formatIpv4 : formatIpv6;
  const address = format(cidr.network);
  return { type: cidr.version === 4 ? 'ipv4-addr' : 'ipv6-addr', value: cidr.prefix === bits ? address : `${address}/${cidr.prefix}` };
}

const HOST_LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/**
 * A DNS name as it travels (RFC 1035 §2.3.4, RFC 5891): A-labels (punycode, via the WHATWG UTS #46 mapping),
 * lower case, no trailing dot, at most 253 characters. Underscores are kept (service names such as _dmarc).
 */
export function canonicalDomain(text: string): string | undefined {
  const trimmed = text.trim().replace(/\.$/, '');
  if (trimmed === '' || /[\s/\\:@"';|,*]/.test(trimmed)) return undefined;
  const ascii = domainToASCII(trimmed.toLowerCase());
  if (!ascii || ascii.length > 253 || parseIp(ascii)) return undefined;
  return ascii.split('.').every((label) => HOST_LABEL.test(label)) ? ascii : undefined;
}

export interface CanonicalUrl {
  /** The WHATWG serialization without the fragment, which never leaves the browser (userinfo kept). */
  value: string;
  /** Host as sent in the Host header and the TLS SNI: A-labels, lower case, no port. */
  host: string;
  /** `:8080` or empty. */
  port: string;
  /** Path and query as sent on the request line, percent-encoded by the URL parser (always ASCII). */
  pathAndQuery: string;
}

/** STIX 2.1 §6.12 url: a URL with a host, whose scheme is one a network device sees (http, https, ftp). */
export function canonicalUrl(text: string): CanonicalUrl | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  // Userinfo stays in the value (`http://bank.example@evil.xyz/` is how such phishing reads) but is in no request:
  // host and path below are what a device sees.
  if (!['http:', 'https:', 'ftp:'].includes(url.protocol) || url.hostname === '') return undefined;
  const bracketless = url.hostname.replace(/^\[|\]$/g, '');
  const host = parseIp(bracketless) ? (canonicalAddress(bracketless)?.value ?? bracketless) : canonicalDomain(url.hostname);
  if (!host) return undefined;
  url.hash = '';
  const value = url.href;
  // The parser percent-encodes spaces, quotes and non-ASCII; a control character left over means a broken value.
  if (/[^\x21-\x7e]/.test(value)) return undefined;
  return { value, host, port: url.port === '' ? '' : `:${url.port}`, pathAndQuery: `${url.pathname}${url.search}` };
}

/**
 * An e-mail address (STIX 2.1 §6.7 email-addr value, RFC 5322 addr-spec without quoted local parts or comments):
 * the domain canonical as above, the local part kept as written (RFC 5321 §2.4: it may be case-sensitive).
 */
export function canonicalEmail(text: string): string | undefined {
  const trimmed = text.trim();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return undefined;
  const local = trimmed.slice(0, at);
  const domain = canonicalDomain(trimmed.slice(at + 1));
  if (!domain || local.length > 64 || !/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/.test(local) || /^\.|\.$|\.\./.test(local)) return undefined;
  return `${local}@${domain}`;
}
