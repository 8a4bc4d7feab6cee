import { uuidV5 } from '../stix/uuid';
import { parseIpv4, parseCidr } from '../observable/ip';
import type { EnvelopeItem } from '../taxii/envelope';
import { canonicalIpv6, canonicalValue, refang } from './canonical';

/**
 * Plain indicator input (BRIEF, normalize): one value per line, or CSV with a `type` column. Each value is
 * refanged, recognised (IPv4/IPv6 and their CIDRs, domain, URL, e-mail address, MD5/SHA-1/SHA-256/SHA-512),
 * put in canonical form and turned into a STIX 2.1 indicator. A line that is none of these fails alone, with
 * its line number.
 */

type Kind = 'ipv4' | 'ipv6' | 'domain' | 'url' | 'email' | 'md5' | 'sha1' | 'sha256' | 'sha512';

const HASH_BY_LENGTH: Record<number, Kind> = { 32: 'md5', 40: 'sha1', 64: 'sha256', 128: 'sha512' };
const HASH_NAMES: Record<string, string> = { md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256', sha512: 'SHA-512' };
const TYPE_ALIASES: Record<string, Kind> = {
  ip: 'ipv4',
  ipv4: 'ipv4',
  'ip-src': 'ipv4',
  'ip-dst': 'ipv4',
  ipv6: 'ipv6',
  domain: 'domain',
  hostname: 'domain',
  fqdn: 'domain',
  url: 'url',
  uri: 'url',
  email: 'email',
  'email-src': 'email',
  'email-addr': 'email',
  md5: 'md5',
  sha1: 'sha1',
  'sha-1': 'sha1',
  sha256: 'sha256',
  'sha-256': 'sha256',
  sha512: 'sha512',
  'sha-512': 'sha512',
  hash: 'md5',
};
// Indicators the platform makes from lists get ids from their content, so the same list sent twice is one set.
const LIST_NAMESPACE = '7b4a8f1e-3c2d-5e6f-8a9b-0c1d2e3f4a5b';

function detect(value: string): Kind | undefined {
  if (/^[0-9a-f]+$/i.test(value) && HASH_BY_LENGTH[value.length]) return HASH_BY_LENGTH[value.length];
  const [address = '', prefix] = value.split('/');
  if (parseIpv4(address) !== undefined && (prefix === undefined || parseCidr(value))) return 'ipv4';
  if (address.includes(':') && canonicalIpv6(address) && (prefix === undefined || parseCidr(value))) return 'ipv6';
  if (/^[a-z][a-z0-9+.-]*:\/\/[^\s/]+/i.test(value)) return 'url';
  if (/^[^@\s]+@[a-z0-9.-]+\.[a-z]{2,}$/i.test(value)) return 'email';
  if (/^(?=.{4,253}$)([a-z0-9_](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i.test(value)) return 'domain';
  return undefined;
}

const escapeLiteral = (v: string) => v.replace(/\\/g, '\\\\').replace(/'/g, "\\'");

function patternFor(kind: Kind, value: string): { pattern: string; canonical: string } {
  switch (kind) {
    case 'ipv4':
      return { canonical: value, pattern: `[ipv4-addr:value = '${value}']` };
    case 'ipv6': {
      const canonical = canonicalIpv6(value) ?? value;
      return { canonical, pattern: `[ipv6-addr:value = '${canonical}']` };
    }
    case 'domain': {
      const canonical = canonicalValue('domain-name', value);
      return { canonical, pattern: `[domain-name:value = '${escapeLiteral(canonical)}']` };
    }
    case 'url': {
      const canonical = canonicalValue('url', value);
      return { canonical, pattern: `[url:value = '${escapeLiteral(canonical)}']` };
    }
    case 'email': {
      const canonical = canonicalValue('email-addr', value);
      return { canonical, pattern: `[email-addr:value = '${escapeLiteral(canonical)}']` };
    }
    default: {
      const canonical = value.toLowerCase();
      return { canonical, pattern: `[file:hashes.'${HASH_NAMES[kind]}' = '${canonical}']` };
    }
  }
}

function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

export interface IndicatorListOptions {
  format: 'lines' | 'csv';
  now: string;
  /** Name given to every indicator, e.g. the file or feed name. */
  label?: string;
}

export function parseIndicatorList(text: string, options: IndicatorListOptions): EnvelopeItem[] {
  const lines = text.split(/\r?\n/);
  const items: EnvelopeItem[] = [];
  // Column positions, found once in the header: looking them up per row cost the header's width on every row.
  let header: { value: number; type: number; description: number } | undefined;
  lines.forEach((raw, index) => {
    const lineNumber = index + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    let value = line;
    let declared: string | undefined;
    let description: string | undefined;
    if (options.format === 'csv') {
      const cells = splitCsvLine(line);
      if (!header) {
        const names = cells.map((c) => c.toLowerCase());
        header = { value: names.indexOf('value'), type: names.indexOf('type'), description: names.indexOf('description') };
        if (header.value < 0) {
          items.push({
            ok: false,
            id: `line ${lineNumber}`,
            version: '',
            message: `line ${lineNumber}: the CSV header needs a "value" column (and optionally "type", "description")`,
          });
          header = { value: 0, type: -1, description: -1 };
        }
        return;
      }
      const at = (column: number) => (column >= 0 ? cells[column] : undefined);
      value = at(header.value) ?? '';
      declared = at(header.type)?.toLowerCase();
      description = at(header.description);
    }
    const refanged = refang(value);
    const kind = declared ? TYPE_ALIASES[declared] : detect(refanged);
    if (declared && !kind) {
      items.push({
        ok: false,
        id: `line ${lineNumber}`,
        version: '',
        message: `line ${lineNumber}: unknown type "${declared}" (use ${Object.keys(TYPE_ALIASES).join(', ')})`,
      });
      return;
    }
    const actual = detect(refanged);
    const resolved: Kind | undefined = kind === 'md5' && declared === 'hash' ? actual : kind;
    if (
      !resolved ||
      (actual !== resolved &&
        !(resolved === 'ipv4' && actual === 'ipv4') &&
        !(declared && actual && HASH_NAMES[resolved] && HASH_NAMES[actual]))
    ) {
      items.push({
        ok: false,
        id: `line ${lineNumber}`,
        version: '',
        message: `line ${lineNumber}: "${value}" is not ${resolved ? `a valid ${resolved}` : 'an IP address, CIDR, domain, URL, e-mail address or MD5/SHA-1/SHA-256/SHA-512 hash'}`,
      });
      return;
    }
    const { pattern, canonical } = patternFor(resolved, refanged);
    const id = `indicator--${uuidV5(`${resolved}\n${canonical}`, LIST_NAMESPACE)}`;
    items.push({
      ok: true,
      object: {
        type: 'indicator',
        spec_version: '2.1',
        id,
        created: options.now,
        modified: options.now,
        name: options.label ? `${options.label}: ${canonical}` : canonical,
        ...(description ? { description } : {}),
        pattern,
        pattern_type: 'stix',
        valid_from: options.now,
      },
    });
  });
  return items;
}
