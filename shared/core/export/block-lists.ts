import type { ExportItem, ExportStats, ItemSource } from './items';
import { canonicalUrl, type HashAlgorithm } from './values';

/**
 * Full-snapshot block lists, one value per line, `\n` after each, nothing else on a line (no comments: what a
 * device does with a comment line differs between vendors and versions, and a value never needs one).
 * The input is already canonical and warning-list-checked (items.ts); these only pick and spell.
 * Duplicates are left in: removing them would hold every value written so far, and devices ignore them.
 */

export type BlockListKind = 'ip' | 'domain' | 'url' | 'email' | 'md5' | 'sha1' | 'sha256' | 'sha512';

const HASH_KIND: Readonly<Record<HashAlgorithm, BlockListKind>> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-512': 'sha512' };

function kindOf(item: ExportItem): BlockListKind {
  switch (item.type) {
    case 'ipv4-addr':
    case 'ipv6-addr':
      return 'ip';
    case 'domain-name':
      return 'domain';
    case 'url':
      return 'url';
    case 'email-addr':
      return 'email';
    case 'file-hash':
      return HASH_KIND[item.hashAlgorithm!];
  }
}

/** Plain lists per type: IPs and networks, domains, URLs (as written, scheme included), e-mail addresses, one hash algorithm. */
export async function* blockList(items: ItemSource, kind: BlockListKind): AsyncGenerator<string> {
  for await (const item of items) if (kindOf(item) === kind) yield `${item.value}\n`;
}

/** A URL as firewalls list it: no scheme, host[:port]/path?query. */
function schemelessUrl(value: string): string | undefined {
  const url = canonicalUrl(value);
  return url && `${url.host.includes(':') ? `[${url.host}]` : url.host}${url.port}${url.pathAndQuery}`;
}

export type EdlKind = 'ip' | 'domain' | 'url';

export interface FirewallListOptions {
  /** Also list `*.domain` for each domain, so that its subdomains are blocked too. Default false: the value as shared. */
  subdomains?: boolean;
  stats?: ExportStats;
}

/**
 * Palo Alto Networks external dynamic lists (PAN-OS "Formatting Guidelines for an External Dynamic List"):
 * - IP list: one IPv4 or IPv6 address or subnet per line.
 * - Domain list: one domain per line; `*.example.com` stands for the subdomains of example.com.
 * - URL list: one URL per line, without `http://` or `https://`; `*` and `^` are wildcard tokens there, so a URL
 *   that contains either literally cannot be listed as itself and is left out (counted as unsupported).
 */
export async function* paloAltoEdl(items: ItemSource, kind: EdlKind, options: FirewallListOptions = {}): AsyncGenerator<string> {
  yield* firewallList(items, kind, options);
}

export type FortinetFeedKind = 'ip' | 'domain' | 'url' | 'hash';

/**
 * Fortinet FortiGate external threat feeds (FortiOS "External resources"): IP address, domain name, web filter
 * (URL) and malware hash feeds, one entry per line. Domains take the `*.` wildcard; URLs are listed without
 * scheme as for Palo Alto, and a literal `*` cannot be told from the wildcard; the malware hash feed takes MD5,
 * SHA-1 and SHA-256 (not SHA-512).
 */
export async function* fortinetThreatFeed(
  items: ItemSource,
  kind: FortinetFeedKind,
  options: FirewallListOptions = {},
): AsyncGenerator<string> {
  if (kind !== 'hash') {
    yield* firewallList(items, kind, options);
    return;
  }
  for await (const item of items) {
    if (item.type !== 'file-hash') continue;
    if (item.hashAlgorithm === 'SHA-512') {
      if (options.stats) options.stats.unsupportedByFormat++;
      continue;
    }
    yield `${item.value}\n`;
  }
}

async function* firewallList(items: ItemSource, kind: EdlKind, options: FirewallListOptions): AsyncGenerator<string> {
  for await (const item of items) {
    if (kindOf(item) !== kind) continue;
    if (kind === 'ip') yield `${item.value}\n`;
    else if (kind === 'domain') {
      yield `${item.value}\n`;
      if (options.subdomains) yield `*.${item.value}\n`;
    } else {
      const line = schemelessUrl(item.value);
      if (line === undefined || /[*^]/.test(line)) {
        if (options.stats) options.stats.unsupportedByFormat++;
        continue;
      }
      yield `${line}\n`;
    }
  }
}
