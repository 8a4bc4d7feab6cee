import { parsePattern, type PatternComparison } from '../normalize/pattern';
import type { ObservableKind, WarningListMatcher } from '../pipeline/warning-lists';
import { tlpOfObject } from '../policy/tlp';
import { versionOf } from '../stix/version';
import type { StixObject, Tlp } from '../taxii/model';
import {
  canonicalAddress,
  canonicalDomain,
  canonicalEmail,
  canonicalHash,
  canonicalUrl,
  hashAlgorithmOf,
  type ExportValueType,
  type HashAlgorithm,
} from './values';

/**
 * From the latest visible versions of STIX objects (the caller filters visibility) to the values a member's
 * device blocks or alerts on, one `ExportItem` per value, in the order the objects come and the values appear.
 *
 * 1. Default exclusions (issue #15): revoked objects (STIX 2.1 §3.2 `revoked`), indicators whose `valid_until`
 *    is past (§4.9), and what the caller's `excluded(id)` names: objects flagged as false positives
 *    (shared/core/search/feedback.ts), counted as `flagged`. The flag is the caller's predicate: it depends on
 *    who reads (only opinions the reader may see count), not on the object.
 * 2. Indicators: only STIX patterns (`pattern_type` stix, §9) that are plain equalities on one value path, in one
 *    or several observations joined by OR, with `=` or `IN`. A value that only matches together with another
 *    (AND, FOLLOWEDBY, qualifiers, other operators, NOT) would block more than the provider described, so such a
 *    pattern is skipped whole and counted, never exported in part.
 * 3. SCOs (ipv4-addr, ipv6-addr, domain-name, url, email-addr, file hashes, §6) export their value.
 * 4. Every value is canonical (values.ts) or skipped and counted.
 * 5. Warning lists are applied again: lists change after an object was shared, and a block list that blocks a
 *    public resolver takes a member's network down. A network is left out when it shares any address with a
 *    listed one (128.0.0.0/2 holds 169.254.0.0/16; 8.8.0.0/16 holds 8.8.8.8).
 * 6. Nothing of the provider is carried: an item holds the object id, the value, the TLP (from
 *    `object_marking_refs` and granular markings, else the caller's default) and dates, never `created_by_ref`.
 *
 * Memory holds one object at a time: this is a generator over the source, and so is every format.
 */

export interface ExportItem {
  /** The indicator or SCO the value comes from. */
  objectId: string;
  type: ExportValueType;
  /** Canonical (values.ts): a network keeps its `/prefix`. */
  value: string;
  /** For `file-hash` only. */
  hashAlgorithm?: HashAlgorithm;
  tlp: Tlp;
  /** STIX `modified`, else `created`, else empty. */
  modified: string;
  validFrom?: string;
  validUntil?: string;
  /** The indicator's `name`, free text (CSV and JSON only; no rule format carries it). */
  name?: string;
  /** Rule revision: positive, never lower for a later version of the same object. */
  revision: number;
}

/** Why objects and values were left out; the caller reports these next to the export. */
export interface ExportStats {
  objects: number;
  items: number;
  revoked: number;
  expired: number;
  /** Objects flagged as false positives (rule 1). */
  flagged: number;
  /** Objects that carry nothing exportable: not an indicator or a supported SCO. */
  notExportable: number;
  /** Indicators whose pattern is not a plain equality (rule 2), or not a STIX pattern. */
  unsupportedPattern: number;
  /** Values that failed their type's canonical form (rule 4). */
  invalidValue: number;
  warningListed: number;
  /** Values no format or this format cannot express: an SSDEEP hash, a SHA-512 in YARA, an e-mail address in Suricata. */
  unsupportedByFormat: number;
}

export function newExportStats(): ExportStats {
  return {
    objects: 0,
    items: 0,
    revoked: 0,
    expired: 0,
    flagged: 0,
    notExportable: 0,
    unsupportedPattern: 0,
    invalidValue: 0,
    warningListed: 0,
    unsupportedByFormat: 0,
  };
}

export interface ExportOptions {
  /** Milliseconds since the epoch; `valid_until` at or before it is expired. */
  now: number;
  warningLists: WarningListMatcher;
  /** TLP of objects that carry no TLP marking (the collection's). */
  defaultTlp: Tlp;
  /** False-positive-flagged (or otherwise withdrawn) object ids. */
  excluded?: (objectId: string) => boolean;
  /** Default exclusions the caller switched off (issue #15: `?include=revoked,expired,flagged`). */
  include?: ExportInclusions;
  /**
   * The object's revision (its version count, when the caller has it). Default: seconds from 2000-01-01 to
   * `modified`, which grows with every version (STIX 2.1 §3.2: a new version has a later `modified`) and fits the
   * 32-bit `rev` of Suricata and Snort until 2136. Two versions within one second share it.
   */
  revisionOf?: (object: StixObject) => number;
  stats?: ExportStats;
}

/** Which default exclusions (rule 1) are lifted: a member auditing its lists may want to see what was withdrawn. */
export interface ExportInclusions {
  revoked?: boolean;
  expired?: boolean;
  flagged?: boolean;
}

/** Why rule 1 leaves an object out, or undefined when it stays. Shared by the value formats and the STIX bundle. */
export function defaultExclusion(
  object: StixObject,
  options: Pick<ExportOptions, 'now' | 'excluded' | 'include'>,
): 'revoked' | 'expired' | 'flagged' | undefined {
  if (object.revoked === true && !options.include?.revoked) return 'revoked';
  const validUntil = optionalString(object.valid_until);
  if (validUntil !== undefined && Date.parse(validUntil) <= options.now && !options.include?.expired) return 'expired';
  if (!options.include?.flagged && options.excluded?.(object.id)) return 'flagged';
  return undefined;
}

export type StixSource = Iterable<StixObject> | AsyncIterable<StixObject>;
export type ItemSource = Iterable<ExportItem> | AsyncIterable<ExportItem>;

const REVISION_EPOCH_MS = Date.UTC(2000, 0, 1);

function defaultRevision(object: StixObject): number {
  const ms = Date.parse(versionOf(object, ''));
  if (Number.isNaN(ms)) return 1;
  return Math.min(0xffffffff, Math.max(1, Math.floor((ms - REVISION_EPOCH_MS) / 1000)));
}

type ValuePathType = 'ip' | 'domain-name' | 'url' | 'email-addr';
type RawValue = { type: ValuePathType; value: string } | { type: 'file-hash'; algorithm: string; value: string };

const PATH_TYPES: Record<string, ValuePathType> = {
  'ipv4-addr': 'ip',
  'ipv6-addr': 'ip',
  'domain-name': 'domain-name',
  url: 'url',
  'email-addr': 'email-addr',
};

/** After string literals and object paths are removed, any of these words makes the pattern more than an OR of equalities. */
const COMBINING_WORDS = /\b(AND|FOLLOWEDBY|WITHIN|REPEATS|START|STOP|NOT)\b/i;
const STRING_LITERAL = /[thb]?'(?:[^'\\]|\\.)*'/g;
const OBJECT_PATH = /[a-z0-9][a-z0-9-]*:[A-Za-z0-9_]+(?:\.(?:[A-Za-z0-9_]+|'(?:[^'\\]|\\.)*')|\[(?:\*|\d+)\])*/g;

/** The values of an OR of plain equalities (rule 2); undefined for any other pattern. */
function patternValues(pattern: string): RawValue[] | undefined {
  let comparisons: PatternComparison[];
  try {
    comparisons = parsePattern(pattern);
  } catch {
    return undefined;
  }
  // Literals first, read left to right as the tokenizer reads them: removing paths first let a literal's `a:b.'`
  // read as a path with a quoted key that swallowed a real AND up to the next quote.
  if (COMBINING_WORDS.test(pattern.replace(STRING_LITERAL, ' ').replace(OBJECT_PATH, ' '))) return undefined;
  const values: RawValue[] = [];
  for (const c of comparisons) {
    if (c.negated || (c.operator !== '=' && c.operator !== 'IN')) return undefined;
    const pathType = Object.hasOwn(PATH_TYPES, c.objectType) ? PATH_TYPES[c.objectType] : undefined;
    if (pathType && c.path === 'value') values.push(...c.values.map((value) => ({ type: pathType, value })));
    else if ((c.objectType === 'file' || c.objectType === 'artifact') && c.path.startsWith('hashes.')) {
      values.push(...c.values.map((value) => ({ type: 'file-hash' as const, algorithm: c.path, value })));
    } else return undefined;
  }
  return values.length > 0 ? values : undefined;
}

function scoValues(object: StixObject): RawValue[] | undefined {
  const pathType = Object.hasOwn(PATH_TYPES, object.type) ? PATH_TYPES[object.type] : undefined;
  if (pathType) return typeof object.value === 'string' ? [{ type: pathType, value: object.value }] : [];
  if (object.type === 'file' || object.type === 'artifact') {
    const hashes = object.hashes && typeof object.hashes === 'object' ? Object.entries(object.hashes as Record<string, unknown>) : [];
    return hashes.flatMap(([algorithm, value]) => (typeof value === 'string' ? [{ type: 'file-hash' as const, algorithm, value }] : []));
  }
  return undefined;
}

interface Canonical {
  type: ExportValueType;
  value: string;
  hashAlgorithm?: HashAlgorithm;
  /** What the warning lists are asked about; a network is matched by overlap. */
  checks: Array<[ObservableKind | 'network', string]>;
}

function canonical(raw: RawValue): Canonical | 'invalid' | 'unsupported' {
  switch (raw.type) {
    case 'ip': {
      const address = canonicalAddress(raw.value);
      if (!address) return 'invalid';
      const checks: Canonical['checks'] = address.value.includes('/') ? [['network', address.value]] : [['ip', address.value]];
      return { type: address.type, value: address.value, checks };
    }
    case 'domain-name': {
      const domain = canonicalDomain(raw.value);
      return domain ? { type: 'domain-name', value: domain, checks: [['domain', domain]] } : 'invalid';
    }
    case 'url': {
      const url = canonicalUrl(raw.value);
      return url ? { type: 'url', value: url.value, checks: [['url', url.value]] } : 'invalid';
    }
    case 'email-addr': {
      const email = canonicalEmail(raw.value);
      return email ? { type: 'email-addr', value: email, checks: [['email', email]] } : 'invalid';
    }
    case 'file-hash': {
      const algorithm = hashAlgorithmOf(raw.algorithm);
      if (!algorithm) return 'unsupported';
      const hash = canonicalHash(algorithm, raw.value);
      return hash ? { type: 'file-hash', value: hash, hashAlgorithm: algorithm, checks: [['hash', hash]] } : 'invalid';
    }
  }
}

const optionalString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export async function* exportItems(source: StixSource, options: ExportOptions): AsyncGenerator<ExportItem> {
  const stats = options.stats ?? newExportStats();
  const revisionOf = options.revisionOf ?? defaultRevision;
  for await (const object of source) {
    stats.objects++;
    const exclusion = defaultExclusion(object, options);
    if (exclusion) {
      stats[exclusion]++;
      continue;
    }
    const validUntil = optionalString(object.valid_until);
    let raws: RawValue[] | undefined;
    if (object.type === 'indicator') {
      const pattern = optionalString(object.pattern);
      raws = pattern !== undefined && (object.pattern_type ?? 'stix') === 'stix' ? patternValues(pattern) : undefined;
      if (!raws) {
        stats.unsupportedPattern++;
        continue;
      }
    } else {
      raws = scoValues(object);
      if (!raws) {
        stats.notExportable++;
        continue;
      }
    }
    const tlp = tlpOfObject(object) ?? options.defaultTlp;
    const modified = optionalString(object.modified) ?? optionalString(object.created) ?? '';
    const revision = revisionOf(object);
    for (const raw of raws) {
      const value = canonical(raw);
      if (value === 'invalid' || value === 'unsupported') {
        if (value === 'invalid') stats.invalidValue++;
        else stats.unsupportedByFormat++;
        continue;
      }
      const listed = ([kind, v]: Canonical['checks'][number]) =>
        (kind === 'network' ? options.warningLists.matchNetwork(v) : options.warningLists.match(kind, v)) !== undefined;
      if (value.checks.some(listed)) {
        stats.warningListed++;
        continue;
      }
      stats.items++;
      const item: ExportItem = { objectId: object.id, type: value.type, value: value.value, tlp, modified, revision };
      if (value.hashAlgorithm) item.hashAlgorithm = value.hashAlgorithm;
      const validFrom = optionalString(object.valid_from);
      if (validFrom !== undefined) item.validFrom = validFrom;
      if (validUntil !== undefined) item.validUntil = validUntil;
      const name = optionalString(object.name);
      if (name !== undefined) item.name = name;
      yield item;
    }
  }
}

/** `TLP:AMBER+STRICT`: the label FIRST's TLP 2.0 defines, as rule messages and metadata carry it. */
export function tlpLabel(tlp: Tlp): string {
  return `TLP:${tlp.toUpperCase()}`;
}
