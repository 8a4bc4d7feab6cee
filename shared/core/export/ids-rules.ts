import { tlpLabel, type ExportItem, type ExportStats, type ItemSource } from './items';
import { SidAllocator } from './sid';
import { canonicalUrl } from './values';

/**
 * Suricata 7 and Snort 3 rules, one rule per line, from canonical items (items.ts).
 *
 * 1. `msg` carries "Kyoyu", the TLP and the object id (and the value's type), never the provider or the value:
 *    the object id leads an analyst to the object through the member's own access, and a value in `msg` would
 *    need a second escaping for no gain. `sid` and `rev` are in sid.ts and items.ts.
 * 2. Escaping (Suricata "Rules Format", content keyword; Snort 3 manual, content): inside a quoted string `;`, `"`
 *    and `\` must be escaped and `|` opens hex. Every byte outside printable ASCII and those four is written in
 *    `|hex|` form, so a content string never holds a raw special character and a line never breaks.
 * 3. Keywords per type, Suricata 7:
 *    - address or network: `alert ip $HOME_NET any <> <value> any`, both directions.
 *    - domain: `dns.query` and `tls.sni`, each with `dotprefix; content:".<domain>"; nocase; endswith;`, which
 *      matches the domain and its subdomains but not `notevil.example` for `evil.example` (Suricata "Transformations",
 *      dotprefix).
 *    - URL: `http.host` and `http.uri`, each an exact match (`bsize` equal to the content's length). `http.uri` is
 *      the normalized URI, percent-decoded by the HTTP parser, so a path holding `%` escapes is matched in
 *      `http.uri.raw` instead, as the URL parser encoded it (what browsers send).
 *    Snort 3 has no DNS query or SNI buffer: a domain is matched in DNS queries on UDP/53 as its wire labels
 *    (`|04|evil|07|example|00|`, RFC 1035 §3.1), which again matches subdomains and not `notevil.example`; a URL
 *    is `http_header:field host` plus `http_uri` (`http_raw_uri` for a path with `%` escapes) starting with the
 *    path (`depth`).
 *    E-mail addresses and file hashes have no rule here (a file hash needs Suricata's filesha256 list files):
 *    they are counted as unsupported.
 */

export type IdsDialect = 'suricata' | 'snort3';

export interface IdsRuleOptions {
  stats?: ExportStats;
}

const UTF8 = new TextEncoder();
const byteLength = (text: string) => UTF8.encode(text).length;

/** Bytes as a rule's quoted content: printable ASCII as is, everything else and `;"\|` as `|hex|` runs. */
export function ruleContent(text: string): string {
  let out = '';
  let hex: string[] = [];
  const flush = () => {
    if (hex.length > 0) out += `|${hex.join(' ')}|`;
    hex = [];
  };
  for (const byte of UTF8.encode(text)) {
    if (byte >= 0x20 && byte <= 0x7e && byte !== 0x22 && byte !== 0x3b && byte !== 0x5c && byte !== 0x7c) {
      flush();
      out += String.fromCharCode(byte);
    } else hex.push(byte.toString(16).toUpperCase().padStart(2, '0'));
  }
  flush();
  return out;
}

/** Free text for `msg`: printable ASCII only, `;"\` escaped with a backslash (the escapes `msg` documents). */
export function ruleMessage(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').replace(/[;"\\]/g, (c) => `\\${c}`);
}

/** A domain's DNS wire form (RFC 1035 §3.1): each label after its length byte, then the root's zero byte. */
function dnsWireContent(domain: string): string {
  return `${domain
    .split('.')
    .map((label) => `|${label.length.toString(16).toUpperCase().padStart(2, '0')}|${ruleContent(label)}`)
    .join('')}|00|`;
}

interface RuleBody {
  /** Distinguishes the rules of one value (sid key). */
  key: string;
  header: string;
  options: string[];
}

function suricataBodies(item: ExportItem): RuleBody[] | undefined {
  switch (item.type) {
    case 'ipv4-addr':
    case 'ipv6-addr':
      return [{ key: `ip:${item.value}`, header: `alert ip $HOME_NET any <> ${item.value} any`, options: [] }];
    case 'domain-name': {
      const content = `dotprefix; content:"${ruleContent(`.${item.value}`)}"; nocase; endswith;`;
      return [
        { key: `dns:${item.value}`, header: 'alert dns $HOME_NET any -> any any', options: [`dns.query; ${content}`] },
        { key: `sni:${item.value}`, header: 'alert tls $HOME_NET any -> any any', options: [`tls.sni; ${content}`] },
      ];
    }
    case 'url': {
      const url = canonicalUrl(item.value);
      if (!url) return undefined;
      const host = url.host.includes(':') ? `[${url.host}]` : url.host;
      return [
        {
          key: `url:${item.value}`,
          header: 'alert http $HOME_NET any -> any any',
          options: [
            'flow:established,to_server;',
            `http.host; content:"${ruleContent(host)}"; bsize:${byteLength(host)};`,
            `${url.pathAndQuery.includes('%') ? 'http.uri.raw' : 'http.uri'}; content:"${ruleContent(url.pathAndQuery)}"; bsize:${byteLength(url.pathAndQuery)};`,
          ],
        },
      ];
    }
    default:
      return undefined;
  }
}

function snortBodies(item: ExportItem): RuleBody[] | undefined {
  switch (item.type) {
    case 'ipv4-addr':
    case 'ipv6-addr':
      return [{ key: `ip:${item.value}`, header: `alert ip $HOME_NET any <> ${item.value} any`, options: [] }];
    case 'domain-name':
      return [
        {
          key: `dns:${item.value}`,
          header: 'alert udp $HOME_NET any -> any 53',
          options: [`content:"${dnsWireContent(item.value)}", nocase;`],
        },
      ];
    case 'url': {
      const url = canonicalUrl(item.value);
      if (!url) return undefined;
      const host = url.host.includes(':') ? `[${url.host}]` : url.host;
      return [
        {
          key: `url:${item.value}`,
          header: 'alert http $HOME_NET any -> any any',
          options: [
            'flow:established,to_server;',
            `http_header:field host; content:"${ruleContent(host)}", nocase;`,
            `${url.pathAndQuery.includes('%') ? 'http_raw_uri' : 'http_uri'}; content:"${ruleContent(url.pathAndQuery)}", depth ${byteLength(url.pathAndQuery)};`,
          ],
        },
      ];
    }
    default:
      return undefined;
  }
}

export async function* idsRules(items: ItemSource, dialect: IdsDialect, options: IdsRuleOptions = {}): AsyncGenerator<string> {
  const sids = new SidAllocator();
  const bodies = dialect === 'suricata' ? suricataBodies : snortBodies;
  for await (const item of items) {
    const rules = bodies(item);
    if (!rules) {
      if (options.stats) options.stats.unsupportedByFormat++;
      continue;
    }
    const msg = `msg:"${ruleMessage(`Kyoyu ${tlpLabel(item.tlp)} ${item.type} ${item.objectId}`)}";`;
    for (const rule of rules) {
      const sid = sids.allocate(item.objectId, `${dialect}:${rule.key}`);
      yield `${rule.header} (${[msg, ...rule.options, `sid:${sid};`, `rev:${item.revision};`].join(' ')})\n`;
    }
  }
}

export const suricataRules = (items: ItemSource, options?: IdsRuleOptions) => idsRules(items, 'suricata', options);
export const snort3Rules = (items: ItemSource, options?: IdsRuleOptions) => idsRules(items, 'snort3', options);
