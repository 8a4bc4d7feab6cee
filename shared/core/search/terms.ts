import { getDomain } from 'tldts';
import { refang } from '../normalize/canonical';
import { parsePattern, type PatternComparison } from '../normalize/pattern';
import { parseCidr, type Cidr } from '../observable/ip';
import { canonicalAddress, canonicalDomain, canonicalEmail, canonicalUrl } from '../export/values';
import { isObservableType } from '../stix/properties';
import type { StixObject } from '../taxii/model';

/**
 * What "have we seen this?" (issue #15) looks values up by: one canonical spelling per kind of value, shared by
 * what is indexed at commit and what a member asks, so that `hxxps://Evil[.]Example/a`, `https://evil.example/a`
 * and a pattern `[url:value = 'https://EVIL.example/a']` meet at one key.
 */
export type TermKind = 'ipv4' | 'ipv6' | 'domain' | 'url' | 'email' | 'hash' | 'cve' | 'attack' | 'value';

export interface IndexTerm {
  kind: TermKind;
  /** Canonical: an address bare, a network with its prefix (host bits cleared), a domain in A-labels, hex lower case. */
  value: string;
}

/** Free values longer than this are not indexed (command lines, certificates): nobody pastes them into a search. */
export const MAX_FREE_VALUE_CHARS = 512;

const HASH_HEX = /^[0-9a-f]+$/;
/** MD5, SHA-1, SHA-256, SHA-512 (and SHA3-256/512, which share lengths): the type follows from the length. */
const HASH_ALGORITHM_BY_LENGTH: Readonly<Record<number, string>> = { 32: 'MD5', 40: 'SHA-1', 64: 'SHA-256', 128: 'SHA-512' };
const CVE_ID = /^CVE-\d{4}-\d{4,}$/i;
/** MITRE ATT&CK ids: techniques (T1059, T1059.001), tactics (TA0001), software (S0154), groups (G0016), mitigations (M1036), campaigns (C0010), data sources (DS0009). */
const ATTACK_ID = /^(?:T\d{4}(?:\.\d{3})?|TA\d{4}|S\d{4}|G\d{4}|M\d{4}|C\d{4}|DS\d{4})$/i;

export function hashAlgorithmOfLength(hex: string): string | undefined {
  return HASH_HEX.test(hex) ? HASH_ALGORITHM_BY_LENGTH[hex.length] : undefined;
}

function freeValue(text: string): IndexTerm | undefined {
  const value = text.normalize('NFKC').trim().toLowerCase();
  return value === '' || value.length > MAX_FREE_VALUE_CHARS ? undefined : { kind: 'value', value };
}

function addressTerm(text: string): IndexTerm | undefined {
  const address = canonicalAddress(text);
  return address ? { kind: address.type === 'ipv4-addr' ? 'ipv4' : 'ipv6', value: address.value } : undefined;
}

function hashTerm(text: string): IndexTerm | undefined {
  const hex = text.trim().toLowerCase();
  return hashAlgorithmOfLength(hex) ? { kind: 'hash', value: hex } : undefined;
}

/** The term of one value of a known kind, as a STIX object states it; undefined when it is not a valid value. */
function typedTerm(kind: 'ip' | 'domain' | 'url' | 'email' | 'hash' | 'value', text: string): IndexTerm | undefined {
  switch (kind) {
    case 'ip':
      return addressTerm(text);
    case 'domain': {
      const domain = canonicalDomain(text);
      return domain ? { kind: 'domain', value: domain } : undefined;
    }
    case 'url': {
      const url = canonicalUrl(text);
      return url ? { kind: 'url', value: url.value } : undefined;
    }
    case 'email': {
      const email = canonicalEmail(text);
      return email ? { kind: 'email', value: email } : undefined;
    }
    case 'hash':
      return hashTerm(text);
    case 'value':
      return freeValue(text);
  }
}

/** Object paths of STIX patterns (§9) whose value is of a known kind; every other `=`/`IN` value is a free value. */
function kindOfPath(comparison: PatternComparison): 'ip' | 'domain' | 'url' | 'email' | 'hash' | 'value' {
  const { objectType, path } = comparison;
  if (path.startsWith('hashes.') || /\.hashes\./.test(path)) return 'hash';
  const leaf = path.split('.').pop() ?? '';
  if (leaf !== 'value') return 'value';
  if (objectType === 'ipv4-addr' || objectType === 'ipv6-addr' || /(src|dst)_ref\.value$/.test(path)) return 'ip';
  if (objectType === 'domain-name') return 'domain';
  if (objectType === 'url') return 'url';
  if (objectType === 'email-addr' || /(from|sender|to|cc|bcc)_refs?(\[[^\]]*\])?\.value$/.test(path)) return 'email';
  return 'value';
}

function patternTerms(pattern: string): IndexTerm[] {
  let comparisons: PatternComparison[];
  try {
    comparisons = parsePattern(pattern);
  } catch {
    return [];
  }
  // Every value a pattern asks to be equal to, whatever else it combines it with: a search asks whether anything
  // mentions the value, not whether the pattern would fire on it alone (exports are the strict ones).
  return comparisons
    .filter((c) => !c.negated && (c.operator === '=' || c.operator === 'IN'))
    .flatMap((c) => c.values.map((value) => typedTerm(kindOfPath(c), value)))
    .filter((t): t is IndexTerm => t !== undefined);
}

const SCO_VALUE_KINDS: Readonly<Record<string, 'ip' | 'domain' | 'url' | 'email'>> = {
  'ipv4-addr': 'ip',
  'ipv6-addr': 'ip',
  'domain-name': 'domain',
  url: 'url',
  'email-addr': 'email',
};
/** Properties of other SCOs that name the thing (STIX 2.1 §6): file and mutex names, registry keys, paths, logins. */
const SCO_FREE_PROPERTIES = ['name', 'key', 'path', 'account_login', 'user_id', 'serial_number', 'number', 'command_line', 'value'];

function scoTerms(object: StixObject): IndexTerm[] {
  const kind = Object.hasOwn(SCO_VALUE_KINDS, object.type) ? SCO_VALUE_KINDS[object.type] : undefined;
  if (kind) return typeof object.value === 'string' ? [typedTerm(kind, object.value)].filter((t): t is IndexTerm => t !== undefined) : [];
  const terms: IndexTerm[] = [];
  const hashes = object.hashes && typeof object.hashes === 'object' ? Object.values(object.hashes as Record<string, unknown>) : [];
  for (const hash of hashes) if (typeof hash === 'string') terms.push(...[hashTerm(hash)].filter((t): t is IndexTerm => t !== undefined));
  for (const property of SCO_FREE_PROPERTIES) {
    const value = object[property];
    const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
    const term = text === undefined ? undefined : freeValue(text);
    if (term) terms.push(term);
  }
  return terms;
}

/** CVE and ATT&CK ids an object cites (STIX 2.1 §2.5 external references; a vulnerability's name is its CVE id). */
function citedTerms(object: StixObject): IndexTerm[] {
  const terms: IndexTerm[] = [];
  if (object.type === 'vulnerability' && typeof object.name === 'string' && CVE_ID.test(object.name.trim())) {
    terms.push({ kind: 'cve', value: object.name.trim().toUpperCase() });
  }
  const references = Array.isArray(object.external_references) ? (object.external_references as unknown[]) : [];
  for (const reference of references) {
    if (!reference || typeof reference !== 'object') continue;
    const { source_name: source, external_id: id } = reference as Record<string, unknown>;
    if (typeof id !== 'string') continue;
    const trimmed = id.trim();
    if (source === 'cve' && CVE_ID.test(trimmed)) terms.push({ kind: 'cve', value: trimmed.toUpperCase() });
    if (typeof source === 'string' && source.startsWith('mitre-') && ATTACK_ID.test(trimmed))
      terms.push({ kind: 'attack', value: trimmed.toUpperCase() });
  }
  return terms;
}

/** Every term one STIX object is found by, once each. */
export function termsOfObject(object: StixObject): IndexTerm[] {
  const terms = [...citedTerms(object)];
  if (object.type === 'indicator') {
    if (typeof object.pattern === 'string' && (object.pattern_type ?? 'stix') === 'stix') terms.push(...patternTerms(object.pattern));
  } else if (isObservableType(object.type)) {
    // Observed data and sightings state no values themselves: the SCOs they reference are indexed on their own.
    terms.push(...scoTerms(object));
  }
  const seen = new Set<string>();
  return terms.filter((t) => {
    const key = termKey(t);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const termKey = (term: IndexTerm): string => `${term.kind}:${term.value}`;

/** What a member asks: the terms looked up exactly, and the ranges of address space or DNS looked into. */
export interface SearchQuery {
  /** The value as the member sent it. */
  input: string;
  /** The value after refanging and canonicalisation, as the answer shows it. */
  canonical: string;
  kind: TermKind | 'domain-tree' | 'network';
  exact: IndexTerm[];
  /** Networks that hold the address or network asked about ("which indicators cover 203.0.113.7"). */
  coveredBy?: Cidr;
  /** Addresses and networks inside the network asked about ("what do we know inside 198.51.100.0/24"). */
  inside?: Cidr;
  /** `*.example.com`: the domain and every subdomain of it. */
  domainTree?: string;
}

export class SearchValueError extends Error {}

/** The narrowest networks searched inside: wider ones would read a large part of the index for one value. */
export const WIDEST_SEARCH_PREFIX = { 4: 16, 6: 32 } as const;

/**
 * One value a member typed or pasted, refanged (`hxxp`, `[.]`, `(at)`), read as the most specific kind it can be.
 * A value that reads as a domain may also be a file name (`invoice.pdf.exe`), so such values are looked up as both.
 */
export function parseSearchValue(input: string): SearchQuery {
  const text = refang(input.normalize('NFKC')).trim();
  if (text === '') throw new SearchValueError('an empty value');
  const cidr = /^[0-9A-Fa-f.:]+(\/\d{1,3})?$/.test(text) ? parseCidr(text) : undefined;
  if (cidr) {
    const term = addressTerm(text)!;
    const bits = cidr.version === 4 ? 32 : 128;
    if (cidr.prefix === bits) return { input, canonical: term.value, kind: term.kind, exact: [term], coveredBy: cidr };
    if (cidr.prefix < WIDEST_SEARCH_PREFIX[cidr.version]) {
      throw new SearchValueError(`${term.value} is wider than /${WIDEST_SEARCH_PREFIX[cidr.version]}; search inside narrower networks`);
    }
    return { input, canonical: term.value, kind: 'network', exact: [term], coveredBy: cidr, inside: cidr };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const term = typedTerm('url', text);
    if (term) return { input, canonical: term.value, kind: 'url', exact: [term] };
  }
  const hash = hashTerm(text);
  if (hash) return { input, canonical: hash.value, kind: 'hash', exact: [hash] };
  if (CVE_ID.test(text)) return { input, canonical: text.toUpperCase(), kind: 'cve', exact: [{ kind: 'cve', value: text.toUpperCase() }] };
  if (ATTACK_ID.test(text))
    return { input, canonical: text.toUpperCase(), kind: 'attack', exact: [{ kind: 'attack', value: text.toUpperCase() }] };
  if (text.includes('@')) {
    const email = typedTerm('email', text);
    if (email) return { input, canonical: email.value, kind: 'email', exact: [email] };
  }
  if (text.startsWith('*.')) {
    const domain = canonicalDomain(text.slice(2));
    if (!domain || !domainZone(domain)) throw new SearchValueError(`${text} does not name a registrable domain to search under`);
    return { input, canonical: `*.${domain}`, kind: 'domain-tree', exact: [], domainTree: domain };
  }
  const free = freeValue(text);
  const domain = text.includes('.') ? canonicalDomain(text) : undefined;
  if (domain) return { input, canonical: domain, kind: 'domain', exact: [{ kind: 'domain', value: domain }, ...(free ? [free] : [])] };
  if (!free) throw new SearchValueError(`a value longer than ${MAX_FREE_VALUE_CHARS} characters`);
  return { input, canonical: free.value, kind: 'value', exact: [free] };
}

/**
 * The registrable domain (Public Suffix List) a domain's subtree is indexed under: `a.b.example.co.jp` under
 * `example.co.jp`. A public suffix itself (`co.jp`) has none: nobody's intelligence is "everything under .jp".
 */
export function domainZone(domain: string): string | undefined {
  return getDomain(domain, { allowPrivateDomains: true }) ?? undefined;
}

/** `a.b.example.com` → `com.example.b.a.`: labels reversed, so that a subtree is a key prefix. */
export function reversedLabels(domain: string): string {
  return `${domain.split('.').reverse().join('.')}.`;
}

/** Whether a term (of an object's latest version) answers a query: how the index's candidates are confirmed. */
export function termAnswers(term: IndexTerm, query: SearchQuery): 'exact' | 'covers' | 'inside' | undefined {
  if (query.exact.some((q) => q.kind === term.kind && q.value === term.value)) return 'exact';
  if (query.domainTree && term.kind === 'domain' && (term.value === query.domainTree || term.value.endsWith(`.${query.domainTree}`)))
    return 'inside';
  if (term.kind !== 'ipv4' && term.kind !== 'ipv6') return undefined;
  const network = parseCidr(term.value);
  if (!network) return undefined;
  const within = (outer: Cidr, inner: Cidr) =>
    outer.version === inner.version &&
    outer.prefix <= inner.prefix &&
    inner.network >> BigInt((outer.version === 4 ? 32 : 128) - outer.prefix) ===
      outer.network >> BigInt((outer.version === 4 ? 32 : 128) - outer.prefix);
  if (query.coveredBy && network.prefix < query.coveredBy.prefix && within(network, query.coveredBy)) return 'covers';
  if (query.inside && network.prefix > query.inside.prefix && within(query.inside, network)) return 'inside';
  return undefined;
}
