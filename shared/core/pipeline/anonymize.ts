import type { StixObject } from '../taxii/model';
import { REDACTED, type VictimMatcher } from './victim-identifiers';
import type { PipelineMessage } from './message';
import type { StageOutcome } from './outcome';
import type { Settlement } from '../taxii/status';

/**
 * The anonymize stage's rules for one object (BRIEF): recipients never learn who provided an item unless the
 * provider chose attribution, and nothing that identifies a victim is published. Attack technical information
 * (C2 destinations, hashes, file names, CVEs, TTPs) flows unchanged.
 */

export type AnonymizeDecision = { kind: 'publish'; object: StixObject } | { kind: 'withhold'; reason: string };

export interface AnonymizeContext {
  victims: VictimMatcher;
  attribution: 'anonymous' | 'attributed';
  /** The tenant's identity, published instead of the provider's. */
  tenantIdentityId: string;
  /** Identities that stand for the provider in this submission (its created_by_ref values). */
  providerIdentityIds: ReadonlySet<string>;
  /** Objects of the same submission already withheld: references to them would point at a victim. */
  withheldIds: ReadonlySet<string>;
}

/** Properties that are identifiers, timestamps or vocabulary, never prose: left as they are. */
const STRUCTURAL = new Set([
  'type', 'id', 'spec_version', 'created', 'modified', 'valid_from', 'valid_until', 'first_seen', 'last_seen', 'published',
  'pattern_type', 'pattern_version', 'object_marking_refs', 'granular_markings', 'lang', 'confidence', 'revoked',
  'count', 'summary', 'is_family', 'hashes', 'kill_chain_phases', 'indicator_types', 'malware_types', 'tool_types',
  'report_types', 'relationship_type', 'identity_class', 'sectors', 'created_by_ref', 'source_ref', 'target_ref',
  'sighting_of_ref', 'where_sighted_refs', 'observed_data_refs', 'object_refs', 'sample_refs', 'defanged', 'extensions',
]);

/** SCO properties whose value is what the observable is; a victim's here means the observable is the victim. */
const SCO_VALUE_TYPES = new Set(['domain-name', 'ipv4-addr', 'ipv6-addr', 'email-addr', 'url', 'mac-addr', 'user-account', 'windows-registry-key']);

/** String literals of a STIX pattern (STIX 2.1 §9.5: quoted with ', \\ and \' escaped). */
export function patternLiterals(pattern: string): string[] {
  return [...pattern.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
}

function redactDeep(value: unknown, victims: VictimMatcher): unknown {
  if (typeof value === 'string') return victims.redact(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, victims));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, victims)]));
  return value;
}

const refsOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : []);

export function anonymizeObject(original: StixObject, context: AnonymizeContext): AnonymizeDecision {
  const { victims } = context;
  const object: Record<string, unknown> = { ...original };
  const anonymous = context.attribution === 'anonymous';

  if (object.type === 'identity' && (context.providerIdentityIds.has(object.id as string) || victims.identifies(String(object.name ?? '')))) {
    if (anonymous || victims.identifies(String(object.name ?? ''))) {
      return { kind: 'withhold', reason: 'anonymize: the identity of the provider or a victim is not published' };
    }
  }
  if (SCO_VALUE_TYPES.has(object.type as string) && typeof object.value === 'string' && victims.identifies(object.value)) {
    return { kind: 'withhold', reason: `anonymize: ${object.type} ${REDACTED} identifies a victim` };
  }
  if (typeof object.pattern === 'string' && patternLiterals(object.pattern).some((literal) => victims.identifies(literal))) {
    // A pattern without the victim's part would mean something else: never publish it half-redacted.
    return { kind: 'withhold', reason: 'anonymize: the pattern names a victim and would be meaningless without it' };
  }
  for (const key of ['source_ref', 'target_ref', 'sighting_of_ref']) {
    if (typeof object[key] === 'string' && context.withheldIds.has(object[key] as string)) {
      return { kind: 'withhold', reason: `anonymize: ${key} points at an object that was withheld` };
    }
  }
  for (const key of ['object_refs', 'observed_data_refs', 'sample_refs']) {
    if (Array.isArray(object[key])) {
      const kept = refsOf(object[key]).filter((ref) => !context.withheldIds.has(ref) && !(anonymous && context.providerIdentityIds.has(ref)));
      if (kept.length === 0) return { kind: 'withhold', reason: `anonymize: every entry of ${key} was withheld` };
      object[key] = kept;
    }
  }

  if (anonymous) {
    if (typeof object.created_by_ref === 'string') object.created_by_ref = context.tenantIdentityId;
    // Where something was sighted names the reporting organisation.
    delete object.where_sighted_refs;
  }
  if (Array.isArray(object.external_references)) {
    object.external_references = (object.external_references as Array<Record<string, unknown>>)
      // A reference to the victim's own pages cannot be made anonymous by cutting words out of it.
      .filter((ref) => typeof ref.url !== 'string' || !victims.identifies(ref.url))
      .map((ref) => redactDeep(ref, victims) as Record<string, unknown>);
  }
  for (const [key, value] of Object.entries(object)) {
    if (STRUCTURAL.has(key) || key === 'pattern' || key === 'external_references') continue;
    if (SCO_VALUE_TYPES.has(object.type as string) && key === 'value') continue;
    object[key] = redactDeep(value, victims);
  }
  return { kind: 'publish', object: object as StixObject };
}

/** The original as submitted, kept encrypted for its provider and the tenant's moderators (BRIEF). */
export interface KeptOriginalRecord {
  tenantId: string;
  collectionId: string;
  objectId: string;
  version: string;
  providerMemberId: string;
  original: StixObject;
  publishedId?: string;
}

export interface OriginalsStore {
  keep(items: KeptOriginalRecord[]): Promise<void>;
}

export interface AnonymizeStageDeps {
  victimsOf: (tenantId: string) => Promise<VictimMatcher>;
  policyOf: (tenantId: string, collectionId: string) => Promise<{ attribution: 'anonymous' | 'attributed' }>;
  tenantIdentityOf: (tenantId: string) => Promise<string>;
  originals: OriginalsStore;
  settle: (message: PipelineMessage, settlements: Settlement[]) => Promise<void>;
}

const versionOf = (o: StixObject, fallback: string): string =>
  typeof o.modified === 'string' ? o.modified : typeof o.created === 'string' ? o.created : fallback;

/**
 * The anonymize stage: identities first (so references to a withheld identity are caught), then everything else;
 * every original is kept, encrypted, linked to what was published.
 */
export async function anonymize(message: PipelineMessage, deps: AnonymizeStageDeps): Promise<StageOutcome> {
  const [victims, policy, tenantIdentityId] = await Promise.all([
    deps.victimsOf(message.tenantId),
    deps.policyOf(message.tenantId, message.collectionId),
    deps.tenantIdentityOf(message.tenantId),
  ]);
  const providerIdentityIds = new Set(message.items.map((i) => i.object.created_by_ref).filter((r): r is string => typeof r === 'string'));
  const withheldIds = new Set<string>();
  const ordered = [...message.items].sort((a, b) => Number(b.object.type === 'identity') - Number(a.object.type === 'identity'));
  const published = new Map<number, PipelineMessage['items'][number]>();
  const settlements: Settlement[] = [];
  const droppedBy: Record<string, number> = {};
  const originals: KeptOriginalRecord[] = [];
  for (const item of ordered) {
    const decision = anonymizeObject(item.object, { victims, attribution: policy.attribution, tenantIdentityId, providerIdentityIds, withheldIds });
    originals.push({
      tenantId: message.tenantId,
      collectionId: message.collectionId,
      objectId: item.object.id,
      version: versionOf(item.object, message.submittedAt),
      providerMemberId: item.access.providerMemberId,
      original: item.object,
      ...(decision.kind === 'publish' ? { publishedId: decision.object.id } : {}),
    });
    if (decision.kind === 'publish') {
      published.set(item.entry, { ...item, object: decision.object });
    } else {
      withheldIds.add(item.object.id);
      droppedBy['withheld by anonymize'] = (droppedBy['withheld by anonymize'] ?? 0) + 1;
      settlements.push({ index: item.entry, state: 'failure', message: decision.reason });
    }
  }
  // Kept before anything is published, so no published version ever lacks its original.
  await deps.originals.keep(originals);
  if (settlements.length > 0) await deps.settle(message, settlements);
  const items = message.items.filter((i) => published.has(i.entry)).map((i) => published.get(i.entry)!);
  return { kind: 'forward', message: { ...message, items }, droppedBy };
}
