import { cidrContains, parseCidr, parseIp, type Cidr } from './ip';

/**
 * Finds and removes what identifies a victim — names (Japanese and English), domains and their subdomains, e-mail
 * domains, IP ranges, brand strings — as listed in the members' identifier registries (BRIEF, anonymize).
 */

export const REDACTED = '[REDACTED]';

/** What identifies one member, from its identifier registry. */
export interface VictimIdentifiers {
  names: readonly string[];
  domains: readonly string[];
  emailDomains: readonly string[];
  ipRanges: readonly string[];
  brands: readonly string[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isAscii = (s: string) => /^[\x20-\x7e]+$/.test(s);

export interface VictimMatcher {
  /** Whether a structured value (a domain, an address, an e-mail address, a URL, a name) identifies a victim. */
  identifies(value: string): boolean;
  /** The text with every victim identifier replaced by [REDACTED]. */
  redact(text: string): string;
}

const IPV4_IN_TEXT = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/g;
const IPV6_IN_TEXT = /(?<![0-9a-f:])(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{0,4}(?:::?[0-9a-f]{1,4})*(?![0-9a-f:])/gi;

export function victimMatcher(registries: readonly VictimIdentifiers[]): VictimMatcher {
  const domains = [...new Set(registries.flatMap((r) => [...r.domains, ...r.emailDomains]).map((d) => d.toLowerCase().replace(/^\*?\./, '')))];
  const words = [...new Set(registries.flatMap((r) => [...r.names, ...r.brands]).filter((w) => w.trim().length >= 2))].sort((a, b) => b.length - a.length);
  const ranges = registries.flatMap((r) => r.ipRanges).map(parseCidr).filter((c): c is Cidr => c !== undefined);

  // A domain, any subdomain of it, and any e-mail address or URL host at it.
  const domainPattern = domains.length
    ? new RegExp(`(?<![A-Za-z0-9-])(?:[A-Za-z0-9-]+\\.)*(?:${domains.map(escape).join('|')})(?![A-Za-z0-9-])`, 'gi')
    : undefined;
  // ASCII names need word boundaries ("KPC" is not in "KPCA"); Japanese names have none to need.
  const wordPattern = words.length
    ? new RegExp(words.map((w) => (isAscii(w) ? `(?<![A-Za-z0-9])${escape(w)}(?![A-Za-z0-9])` : escape(w))).join('|'), 'gi')
    : undefined;

  const inRanges = (candidate: string) => {
    const ip = parseIp(candidate.replace(/^\[|\]$/g, ''));
    return ip !== undefined && ranges.some((r) => cidrContains(r, ip));
  };

  const redact = (text: string): string => {
    let out = text;
    if (domainPattern) out = out.replace(domainPattern, REDACTED);
    if (wordPattern) out = out.replace(wordPattern, REDACTED);
    if (ranges.length) {
      out = out.replace(IPV4_IN_TEXT, (ip) => (inRanges(ip) ? REDACTED : ip));
      out = out.replace(IPV6_IN_TEXT, (ip) => (inRanges(ip) ? REDACTED : ip));
    }
    return out;
  };

  return {
    identifies: (value) => {
      if (inRanges(value)) return true;
      const cidr = parseCidr(value);
      if (cidr && ranges.some((r) => r.version === cidr.version && (cidrContains(r, { version: cidr.version, value: cidr.network }) || cidrContains(cidr, { version: r.version, value: r.network })))) return true;
      return redact(value) !== value;
    },
    redact,
  };
}
