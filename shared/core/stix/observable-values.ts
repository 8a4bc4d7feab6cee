import { parseIpv6 } from '../observable/ip';

/**
 * The values of cyber-observables (STIX 2.1 §6) and the id-contributing properties that are not plain strings:
 * what each MUST look like, as a check that returns the reason a value is not one, or undefined. A value that is not
 * what its type says would be published and searched as something it is not (`999.1.1.1` as an address), and would
 * give the same observable several deterministic ids.
 *
 * Each check is the spec's rule, with the OASIS schema's where the schema is exact; where they part, the comment
 * says which is followed and why. Values arrive canonicalised (normalize/canonical.ts): refanged, domains lower-case
 * without the final dot, IPv6 in RFC 5952 form, MAC addresses lower-case.
 */
export type ObservableForm = 'ipv4' | 'ipv6' | 'domain-name' | 'email-addr' | 'url' | 'mac-addr' | 'cpe' | 'registry-key' | 'x509-serial';

const MAX_SHOWN = 80;
/** The value as the refusal shows it: quoted, escaped, cut. */
export const shown = (value: string): string => JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value);

/** STIX 2.1 §6.5: an IPv4 address or CIDR block; like the OASIS schema, no leading zeros (01 reads as octal to some). */
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}(?:/(?:3[0-2]|[12]?[0-9]))?$`);

/** STIX 2.1 §6.6: an IPv6 address or CIDR block (RFC 4291 §2.2, §2.3); a zone index is not part of an address. */
function ipv6(value: string): boolean {
  const [address = '', prefix, extra] = value.split('/');
  if (extra !== undefined || (prefix !== undefined && !/^(?:12[0-8]|1[01][0-9]|[1-9]?[0-9])$/.test(prefix))) return false;
  return /^[0-9a-fA-F:.]+$/.test(address) && parseIpv6(address) !== undefined;
}

/**
 * STIX 2.1 §6.3: a domain name per RFC 1034, labels per RFC 5890 (A-labels or U-labels). Labels are 1–63 letters,
 * digits and hyphens, not at either end; non-ASCII letters are U-labels; the underscore is allowed (RFC 2181 §11:
 * `_dmarc`, `_sip._tcp` are names in use). The last label is not all digits (RFC 3696 §2), so an address is not a
 * domain name. At most 253 characters.
 */
function domainProblem(value: string): string | undefined {
  if (value.length === 0 || value.length > 253) return 'must be 1–253 characters';
  for (const label of value.split('.')) {
    if (label.length === 0) return 'has an empty label';
    if (label.length > 63) return 'has a label longer than 63 characters';
    if (!/^[\p{L}\p{M}\p{N}_-]+$/u.test(label)) return `has a label with a character other than letters, digits, - and _: ${shown(label)}`;
    if (label.startsWith('-') || label.endsWith('-')) return `has a label that starts or ends with a hyphen: ${shown(label)}`;
  }
  if (/^[0-9]+$/.test(value.slice(value.lastIndexOf('.') + 1))) return 'ends in an all-numeric label (an address is an ipv4-addr)';
  return undefined;
}

/** RFC 5322 §3.2.3 atext, with the non-ASCII characters RFC 6531 adds. */
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u{80}-\u{10FFFF}-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u{80}-\u{10FFFF}-]+)*$/u;
const QUOTED = /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e\u{80}-\u{10FFFF}]|\\[\x20-\x7e])*"$/u;

/** STIX 2.1 §6.4: the addr-spec of RFC 5322 §3.4.1 — local-part@domain, no display name. */
function emailProblem(value: string): string | undefined {
  const at = value.lastIndexOf('@');
  if (at < 0) return 'has no @';
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (/[<>]/.test(value) && !QUOTED.test(local)) return 'must not include a display name or angle brackets (STIX 2.1 §6.4)';
  if (local.length === 0 || local.length > 64) return 'must have a local part of 1–64 characters (RFC 5321 §4.5.3.1)';
  if (!DOT_ATOM.test(local) && !QUOTED.test(local)) return `has a local part that is not an RFC 5322 dot-atom or quoted string`;
  const literal = /^\[(.*)\]$/.exec(domain);
  if (literal) {
    const inside = literal[1]!;
    const ok = /^ipv6:/i.test(inside) ? ipv6(inside.slice(5)) && !inside.includes('/') : IPV4.test(inside) && !inside.includes('/');
    return ok ? undefined : 'has an address literal that is not an address';
  }
  const problem = domainProblem(domain.toLowerCase());
  return problem ? `has a domain that ${problem}` : undefined;
}

/**
 * STIX 2.1 §6.16 (url value) and §6.1 (artifact url): a URL per RFC 3986 — a scheme, then only characters a URI may
 * hold, every % followed by two hex digits. Characters beyond ASCII are kept as RFC 3987 IRIs allow (Japanese paths
 * and names are common in what members share), so the check is RFC 3986 §2 and §3.1 over ASCII. A URL whose scheme
 * names a host (`scheme://`) has one, unless it is file:.
 */
const URI_CHARS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%\u{A0}-\u{10FFFF}]*$/u;
function urlProblem(value: string): string | undefined {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(value);
  if (!scheme) return 'has no scheme (RFC 3986 §3.1: such as https:)';
  if (!URI_CHARS.test(value)) return 'has a character a URL may not hold unencoded (RFC 3986 §2: spaces, quotes, <, >, \\, {, }, |, ^, `)';
  if (/%(?![0-9A-Fa-f]{2})/.test(value)) return 'has a % that is not followed by two hex digits (RFC 3986 §2.1)';
  const rest = scheme[2]!;
  if (rest.startsWith('//') && !/^file$/i.test(scheme[1]!) && /^\/\/(?:[^/?#@]*@)?(?::\d*)?(?:[/?#]|$)/.test(rest))
    return 'has no host after //';
  if (rest.length === 0) return 'has nothing after its scheme';
  return undefined;
}

/**
 * STIX 2.1 §6.15: software cpe is a CPE 2.3 formatted string (NISTIR 7695 §6.2): `cpe:2.3:` then part (a, o, h, * or
 * -) and ten more components, separated by colons not escaped with a backslash.
 */
function cpeProblem(value: string): string | undefined {
  const parts = value.split(/(?<!\\):/);
  if (parts.length !== 13 || parts[0] !== 'cpe' || parts[1] !== '2.3')
    return 'must be a CPE 2.3 formatted string: cpe:2.3: and 11 components separated by colons';
  if (!/^[aoh*-]$/.test(parts[2]!)) return 'must have a part of a, o, h, * or - (CPE 2.3)';
  if (parts.some((part) => part.length === 0)) return 'has an empty component (CPE 2.3: use * or -)';
  return undefined;
}

/**
 * STIX 2.1 §6.13: the key includes the hive, fully expanded — HKEY_LOCAL_MACHINE, never HKLM. Any HKEY_ hive is
 * accepted; a kernel path (\REGISTRY\MACHINE\…) or an abbreviation is not the STIX form.
 */
const HIVE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  HKLM: 'HKEY_LOCAL_MACHINE',
  HKCU: 'HKEY_CURRENT_USER',
  HKCR: 'HKEY_CLASSES_ROOT',
  HKU: 'HKEY_USERS',
  HKCC: 'HKEY_CURRENT_CONFIG',
};
function registryKeyProblem(value: string): string | undefined {
  const hive = value.split('\\')[0]!;
  const expanded = HIVE_ABBREVIATIONS[hive.toUpperCase()];
  if (expanded) return `must spell the hive out: ${expanded}, not ${hive} (STIX 2.1 §6.13)`;
  if (!/^HKEY_[A-Z_]+$/i.test(hive)) return 'must start with its hive, such as HKEY_LOCAL_MACHINE\\ (STIX 2.1 §6.13)';
  return undefined;
}

/**
 * STIX 2.1 §6.17: serial_number as issued by the CA — RFC 5280 §4.1.2.2's integer, written in hex octets with colons
 * (36:f7:d4:…, as the spec's example) or as hex or decimal digits, negative ones (which non-conforming CAs issue)
 * with a minus sign. At most 128 characters.
 */
const SERIAL = /^-?(?:[0-9a-fA-F]{1,2}(?::[0-9a-fA-F]{1,2})*|[0-9a-fA-F]+)$/;

/** Why `value` is not of `form`, or undefined when it is. */
export function observableProblem(form: ObservableForm, value: unknown): string | undefined {
  if (typeof value !== 'string')
    return `must be a string, got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`}`;
  const problem = ((): string | undefined => {
    switch (form) {
      case 'ipv4':
        return IPV4.test(value) ? undefined : 'is not an IPv4 address or CIDR block (dotted decimal, no leading zeros, optionally /0–32)';
      case 'ipv6':
        return ipv6(value) ? undefined : 'is not an IPv6 address or CIDR block (RFC 4291, optionally /0–128)';
      case 'domain-name': {
        const reason = domainProblem(value);
        return reason ? `is not a domain name: it ${reason}` : undefined;
      }
      case 'email-addr': {
        const reason = emailProblem(value);
        return reason ? `is not an e-mail address: it ${reason}` : undefined;
      }
      case 'url': {
        const reason = urlProblem(value);
        return reason ? `is not a URL: it ${reason}` : undefined;
      }
      case 'mac-addr':
        return /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/.test(value)
          ? undefined
          : 'is not a MAC-48 address (six colon-separated two-digit hex octets, STIX 2.1 §6.10)';
      case 'cpe':
        return cpeProblem(value);
      case 'registry-key':
        return registryKeyProblem(value);
      case 'x509-serial':
        return value.length <= 128 && SERIAL.test(value)
          ? undefined
          : 'is not a certificate serial number (hex octets such as 36:f7:d4, or hex or decimal digits)';
    }
  })();
  return problem === undefined ? undefined : `${shown(value)} ${problem}`;
}

/**
 * STIX 2.1 §2.7 hashes: the key names the algorithm, SHOULD from hash-algorithm-ov; the OASIS schema types the
 * values of the vocabulary's keys. A key that spells a known algorithm another way (sha256, SHA256, sha-1) is held to
 * the same value, or `sha256: "abc"` would pass as a hash. Beyond the vocabulary, SHA-224/384 and SHA3-224/384 have
 * fixed lengths too. TLSH is 70 hex digits, or 72 with the "T1" version prefix TLSH 4 writes (the schema's 70
 * alphanumerics would refuse what current TLSH prints); SSDEEP is blocksize:hash:hash in base64 characters.
 */
const HASH_FORMS: Readonly<Record<string, { name: string; pattern: RegExp; description: string }>> = (() => {
  const hex = (name: string, digits: number) => ({
    name,
    pattern: new RegExp(`^[0-9a-fA-F]{${digits}}$`),
    description: `${digits} hexadecimal digits`,
  });
  return {
    MD5: hex('MD5', 32),
    SHA1: hex('SHA-1', 40),
    SHA224: hex('SHA-224', 56),
    SHA256: hex('SHA-256', 64),
    SHA384: hex('SHA-384', 96),
    SHA512: hex('SHA-512', 128),
    SHA3224: hex('SHA3-224', 56),
    SHA3256: hex('SHA3-256', 64),
    SHA3384: hex('SHA3-384', 96),
    SHA3512: hex('SHA3-512', 128),
    SSDEEP: {
      name: 'SSDEEP',
      pattern: /^[1-9][0-9]{0,9}:[A-Za-z0-9/+]{0,64}:[A-Za-z0-9/+]{0,64}$/,
      description: 'blocksize:hash:hash',
    },
    TLSH: { name: 'TLSH', pattern: /^(?:T1)?[0-9A-Fa-f]{70}$/, description: '70 hexadecimal digits, optionally after T1' },
  };
})();

/** The algorithm a hashes key names, however it is spelled (case, hyphens, underscores), if it is a known one. */
export function hashAlgorithm(key: string): string | undefined {
  const spelled = key.toUpperCase().replace(/[-_]/g, '');
  return Object.hasOwn(HASH_FORMS, spelled) ? HASH_FORMS[spelled]!.name : undefined;
}

/** Why a hashes entry is not one (STIX 2.1 §2.7), or undefined. */
export function hashProblem(key: string, value: unknown): string | undefined {
  if (!/^[a-zA-Z0-9_-]{3,250}$/.test(key)) return 'hash names must be 3–250 characters of a–z, A–Z, 0–9, - and _ (STIX 2.1 §2.7)';
  if (typeof value !== 'string')
    return `must be a string, got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`}`;
  const spelled = key.toUpperCase().replace(/[-_]/g, '');
  const form = Object.hasOwn(HASH_FORMS, spelled) ? HASH_FORMS[spelled] : undefined;
  if (form && !form.pattern.test(value)) return `${shown(value)} is not a ${form.name} hash (${form.description})`;
  if (!form && value.length === 0) return 'must not be empty';
  return undefined;
}
