import { idContributingProperties } from '../stix/properties';
import { uuidV5 } from '../stix/uuid';
import { canonicalJson } from '../text/canonical-json';
import { formatIpv6, parseIpv6 } from '../observable/ip';

/** STIX 2.1 §2.9: the namespace of deterministic SCO ids. */
export const SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/*
 * ` dot ` and ` at ` are matched only from the first blank of a run: `(?<!\s)`. Without it, a long run of blanks
 * not followed by the word was rescanned from each of its positions (quadratic). The matches are the same: a later
 * start inside the run fails just as the first one did, and no match ends just before a blank (`\s+` after the
 * word takes the whole run), so the first blank of a run is always where the unguarded expression would start.
 */
const DEFANGED_DOT = /\[(\.|dot)\]|\((\.|dot)\)|\{(\.|dot)\}|(?<!\s)\s+dot\s+/gi;
const DEFANGED_AT = /\[(@|at)\]|\((@|at)\)|(?<!\s)\s+at\s+/gi;

/** Undoes the defanging analysts apply so that nobody clicks a live indicator: hxxp, [.], (dot), [@]… */
export function refang(value: string): string {
  return value
    .trim()
    .replace(/^hxxp(s?):\/\//i, 'http$1://')
    .replace(/^fxp:\/\//i, 'ftp://')
    .replace(DEFANGED_DOT, '.')
    .replace(DEFANGED_AT, '@')
    .replace(/\[:\]/g, ':')
    .replace(/\[\/\]/g, '/');
}

/** RFC 5952: lower case, leading zeros dropped, the longest run of zero groups compressed. */
export function canonicalIpv6(text: string): string | undefined {
  const [address = '', prefix] = text.split('/');
  const value = parseIpv6(address);
  if (value === undefined) return undefined;
  const text6 = formatIpv6(value);
  return prefix === undefined ? text6 : `${text6}/${prefix}`;
}

/** The canonical form of an observable value of a given SCO type (BRIEF: canonical forms). */
export function canonicalValue(type: string, value: string): string {
  const v = refang(value);
  switch (type) {
    case 'domain-name':
      return v.toLowerCase().replace(/\.$/, '');
    case 'email-addr': {
      const at = v.lastIndexOf('@');
      return at < 0 ? v : `${v.slice(0, at)}@${v.slice(at + 1).toLowerCase()}`;
    }
    case 'ipv6-addr':
      return canonicalIpv6(v) ?? v;
    // STIX 2.1 §6.10: colon-delimited and lower case; the hyphenated form (00-1A-2B-…) is the same address.
    case 'mac-addr':
      return /^[0-9a-f]{2}(?:-[0-9a-f]{2}){5}$/i.test(v) ? v.toLowerCase().replace(/-/g, ':') : v.toLowerCase();
    case 'url':
      return v.replace(
        /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]+)/i,
        (_m, scheme: string, host: string) => `${scheme.toLowerCase()}${host.toLowerCase()}`,
      );
    default:
      return v;
  }
}

/** The deterministic id of an SCO (STIX 2.1 §2.9), or undefined for types without id-contributing properties. */
export function scoId(type: string, properties: Record<string, unknown>): string | undefined {
  const contributing = idContributingProperties(type);
  if (!contributing) return undefined;
  const picked: Record<string, unknown> = {};
  for (const key of contributing) if (properties[key] !== undefined) picked[key] = properties[key];
  if (Object.keys(picked).length === 0) return undefined;
  return `${type}--${uuidV5(canonicalJson(picked), SCO_NAMESPACE)}`;
}
