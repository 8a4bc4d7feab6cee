import type { AccessScope, StixObject } from '../taxii/model';
import { idContributingProperties, isObservableType, stixPropertiesOf } from '../stix/properties';
import { REDACTED, type VictimMatcher } from './victim-identifiers';
import { isPublishableType, keepStixProperties, type CustomPropertyAllowance } from './allowed-properties';
import { pruneReferences, referencesOf } from './references';
import { isStixIdentifier } from '../stix/identifier';
import { versionOf } from '../stix/version';
import { guarded } from './guarded';
import type { PipelineMessage } from './message';
import type { RegistryEffect, StageOutcome } from './outcome';
import type { Settlement } from '../taxii/status';
import type { OriginalsStore, WithheldRegistry } from '../ports';

/**
 * The anonymize stage's rules (BRIEF): recipients never learn who provided an item unless the provider chose
 * attribution, and nothing that identifies a victim is published. Attack technical information (C2 destinations,
 * hashes, file names, CVEs, TTPs) flows unchanged. Tried as an attacker would, each rule holds for:
 *
 * 1. Every spelling: the victim matcher reads the normalised shadow of each string (full-width, defanged,
 *    percent-encoded, zero-width, IDN, integer addresses…) and redacts the original span.
 * 2. Every place: only the STIX 2.1 properties of each type pass, plus custom properties and extensions the
 *    collection allows by name; every string value, dictionary key and allowed property name is scanned.
 * 3. Every reference: the whole submission is judged first, then every object pointing at a withheld one — through
 *    any `*_ref`/`*_refs` at any depth — loses that reference, or is withheld where the reference is required or
 *    the object is an observable, until nothing changes.
 * 4. Meaning: an observable whose value or id-contributing properties name a victim, and a pattern that does, are
 *    withheld rather than published half-redacted (a redacted value would mean another observable; an id computed
 *    from the victim's value lets anyone recover it by trying candidates).
 * 5. The provider: in an anonymous collection every identity the provider sends is withheld — cited or not — except
 *    classes of entities (a sector), and `created_by_ref` becomes the tenant's identity.
 */

export type AnonymizeVerdict =
  | { kind: 'publish'; object: StixObject; redactedFor: readonly string[] }
  | { kind: 'withhold'; reason: string; members: readonly string[] };

export interface AnonymizeContext {
  victims: VictimMatcher;
  attribution: 'anonymous' | 'attributed';
  /** The tenant's identity, published instead of the provider's. */
  tenantIdentityId: string;
  /** Custom properties and extensions the collection lets through (still redacted). */
  customProperties: CustomPropertyAllowance;
}

/** Identifiers, not text: never redacted (references are judged as references). */
const VERBATIM = new Set(['type', 'id', 'spec_version']);
const isReference = (key: string) => key.endsWith('_ref') || key.endsWith('_refs');

/** SCO types whose `value` is what the observable is. */
const VALUE_TYPES = new Set(['domain-name', 'ipv4-addr', 'ipv6-addr', 'email-addr', 'url', 'mac-addr']);

interface Scanned {
  value: unknown;
  members: Set<string>;
}

/** Property names are read as words: x_kanto_power_notes names Kanto Power. */
function namesVictim(key: string, victims: VictimMatcher, members: Set<string>): boolean {
  const named = victims.identifying(key.replace(/_/g, ' '));
  for (const m of named) members.add(m);
  return named.length > 0;
}

/** Every string, dictionary key and number read as text; a key that names a victim drops its entry. */
function redactDeep(value: unknown, victims: VictimMatcher, members: Set<string>): unknown {
  if (typeof value === 'string') {
    const scan = victims.scan(value);
    for (const m of scan.members) members.add(m);
    return scan.text;
  }
  if (typeof value === 'number') {
    // An address written as an integer (2247232005) is still the address.
    const found = victims.identifying(String(value));
    for (const m of found) members.add(m);
    return found.length > 0 ? REDACTED : value;
  }
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, victims, members));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (namesVictim(key, victims, members)) continue;
      out[key] = isReference(key) ? v : redactDeep(v, victims, members);
    }
    return out;
  }
  return value;
}

function scanned(value: unknown, victims: VictimMatcher): Scanned {
  const members = new Set<string>();
  return { value: redactDeep(value, victims, members), members };
}

const withhold = (reason: string, members: Iterable<string>): AnonymizeVerdict => ({
  kind: 'withhold',
  reason: `anonymize: ${reason}`,
  members: [...members],
});

const hasAuthor = (type: string): boolean =>
  type !== 'marking-definition' &&
  !isObservableType(type) &&
  (stixPropertiesOf(type)?.created_by_ref !== undefined || type.startsWith('x-'));

/** One object on its own: everything but references to other objects of the submission. */
export function anonymizeObject(original: StixObject, context: AnonymizeContext): AnonymizeVerdict {
  const { victims } = context;
  const anonymous = context.attribution === 'anonymous';
  const type = original.type;
  if (!isPublishableType(type, context.customProperties)) {
    return withhold(`custom object type ${type} is not published in this collection (its policy may allow it by name)`, []);
  }

  if (type === 'identity') {
    const named = victims.identifying(String(original.name ?? ''));
    if (named.length > 0) return withhold('the identity of a victim is not published', named);
    if (anonymous && original.identity_class !== 'class' && original.id !== context.tenantIdentityId) {
      return withhold('the identity of the provider or a victim is not published', []);
    }
  }
  const object = keepStixProperties(original, context.customProperties);

  if (VALUE_TYPES.has(type) && typeof object.value === 'string') {
    const named = victims.identifying(object.value);
    if (named.length > 0) return withhold(`${type} ${REDACTED} identifies a victim`, named);
  }
  if (typeof object.pattern === 'string') {
    const { members } = scanned(object.pattern, victims);
    // A pattern without the victim's part would mean something else: never publish it half-redacted.
    if (members.size > 0) return withhold('the pattern names a victim and would be meaningless without it', members);
  }
  if (isObservableType(type)) {
    for (const key of idContributingProperties(type) ?? []) {
      const { members } = scanned(object[key], victims);
      if (members.size > 0) return withhold(`${type} ${key} identifies a victim, and its id is computed from it`, members);
    }
  }

  const members = new Set<string>();
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (VERBATIM.has(key) || isReference(key)) out[key] = value;
    else if (namesVictim(key, victims, members)) continue;
    else if (key === 'external_references' && Array.isArray(value)) {
      // A reference to the victim's own pages cannot be made anonymous by cutting words out of it.
      const kept = value.filter((ref) => {
        const url = (ref as Record<string, unknown> | null)?.url;
        const named = typeof url === 'string' ? victims.identifying(url) : [];
        for (const m of named) members.add(m);
        return named.length === 0;
      });
      out[key] = redactDeep(kept, victims, members);
    } else out[key] = redactDeep(value, victims, members);
  }
  if (anonymous) {
    // Members read the tenant as the author of everything an anonymous collection publishes, whether or not the
    // provider named one (docs/taxii.md, Anonymity); observables have no author (STIX 2.1 §6), and a marking
    // definition keeps its own (the TLP 2.0 ones have none and fixed ids).
    if (typeof out.created_by_ref === 'string' || hasAuthor(type)) out.created_by_ref = context.tenantIdentityId;
    // Where something was sighted names the reporting organisation.
    delete out.where_sighted_refs;
  }
  return { kind: 'publish', object: out as StixObject, redactedFor: [...members] };
}

/**
 * A whole submission: each object judged on its own, then withholding spread along references until nothing
 * changes. `alreadyGone` are ids no recipient will get (withheld or held by earlier stages, or earlier submissions).
 */
export function anonymizeSubmission(
  objects: readonly StixObject[],
  context: AnonymizeContext,
  alreadyGone: ReadonlySet<string>,
): AnonymizeVerdict[] {
  const verdicts = objects.map((object) =>
    guarded(
      () => anonymizeObject(object, context),
      (reason) => withhold(reason, []),
    ),
  );
  const gone = new Map<string, readonly string[]>([...alreadyGone].map((id) => [id, []]));
  const referrers = new Map<string, number[]>();
  verdicts.forEach((verdict, i) => {
    if (verdict.kind === 'withhold') {
      gone.set(objects[i]!.id, verdict.members);
      return;
    }
    for (const ref of new Set(referencesOf(verdict.object))) {
      if (!referrers.has(ref)) referrers.set(ref, []);
      referrers.get(ref)!.push(i);
    }
  });
  const queue = [...gone.keys()];
  while (queue.length > 0) {
    const id = queue.pop()!;
    for (const i of referrers.get(id) ?? []) {
      const verdict = verdicts[i]!;
      if (verdict.kind !== 'publish') continue;
      const pruned = pruneReferences(verdict.object, (ref) => gone.has(ref), isObservableType(verdict.object.type));
      if (pruned.kind === 'kept') {
        verdicts[i] = { ...verdict, object: pruned.object };
        continue;
      }
      const members = gone.get(pruned.ref) ?? [];
      verdicts[i] = withhold(`${pruned.property} points at ${pruned.ref}, which is not published`, members);
      gone.set(objects[i]!.id, members);
      queue.push(objects[i]!.id);
    }
  }
  return verdicts;
}

/** The original as submitted, kept encrypted for its provider and the tenant's moderators (BRIEF). */
export interface KeptOriginalRecord {
  tenantId: string;
  collectionId: string;
  objectId: string;
  version: string;
  providerMemberId: string;
  /** The scope the provider set: who may read the original besides the provider. */
  access: AccessScope;
  original: StixObject;
  publishedId?: string;
}

export interface AnonymizeStageDeps {
  victimsOf: (tenantId: string) => Promise<VictimMatcher>;
  policyOf: (
    tenantId: string,
    collectionId: string,
  ) => Promise<{ attribution: 'anonymous' | 'attributed'; customProperties: CustomPropertyAllowance }>;
  tenantIdentityOf: (tenantId: string) => Promise<string>;
  originals: OriginalsStore;
  withheld: WithheldRegistry;
  settle: (message: PipelineMessage, settlements: Settlement[]) => Promise<void>;
  /**
   * Lets go of the corroboration keys dedupe registered for withheld items (dedupe runs first): otherwise a later
   * identical report from a member whose report passes would be merged into an object nobody can ever read.
   */
  releaseCorroboration: (tenantId: string, collectionId: string, items: PipelineMessage['items']) => Promise<void>;
}

/**
 * The anonymize stage: the whole submission judged at once; every original kept, encrypted, linked to what was
 * published; each withheld object's reason in the provider's status.
 */
export async function anonymize(message: PipelineMessage, deps: AnonymizeStageDeps): Promise<StageOutcome> {
  const [victims, policy, tenantIdentityId] = await Promise.all([
    deps.victimsOf(message.tenantId),
    message.settings?.policy ?? deps.policyOf(message.tenantId, message.collectionId),
    deps.tenantIdentityOf(message.tenantId),
  ]);
  const context: AnonymizeContext = {
    victims,
    attribution: policy.attribution,
    tenantIdentityId,
    customProperties: policy.customProperties,
  };
  const objects = message.items.map((i) => i.object);
  const submitted = new Set(objects.map((o) => o.id));
  // Custom properties may name a "_ref" that holds no identifier (ATT&CK's x_mitre_data_source_ref: ""): only
  // identifiers can point at a withheld object.
  const elsewhere = [...new Set(objects.flatMap(referencesOf))].filter((ref) => !submitted.has(ref) && isStixIdentifier(ref));
  const earlier = elsewhere.length > 0 ? await deps.withheld.among(message.tenantId, elsewhere) : new Set<string>();
  const verdicts = anonymizeSubmission(objects, context, new Set([...message.withheldIds, ...earlier]));
  const settlements: Settlement[] = [];
  const droppedBy: Record<string, number> = {};
  const registry: RegistryEffect = {};
  const count = (members: readonly string[], what: 'withheld' | 'redacted') => {
    for (const m of members) (registry[m] ??= { withheld: 0, redacted: 0 })[what]++;
  };
  const originals: KeptOriginalRecord[] = [];
  const items: PipelineMessage['items'] = [];
  message.items.forEach((item, i) => {
    const verdict = verdicts[i]!;
    originals.push({
      tenantId: message.tenantId,
      collectionId: message.collectionId,
      objectId: item.object.id,
      version: versionOf(item.object, message.submittedAt),
      providerMemberId: item.access.providerMemberId,
      access: item.access,
      original: item.object,
      ...(verdict.kind === 'publish' ? { publishedId: verdict.object.id } : {}),
    });
    if (verdict.kind === 'publish') {
      count(verdict.redactedFor, 'redacted');
      items.push({ ...item, object: verdict.object });
    } else {
      count(verdict.members, 'withheld');
      droppedBy['withheld by anonymize'] = (droppedBy['withheld by anonymize'] ?? 0) + 1;
      settlements.push({ index: item.entry, state: 'failure', message: verdict.reason });
    }
  });
  // Kept before anything is published, so no published version ever lacks its original, nor any later reference
  // to a withheld object a chance to slip through.
  const withheldIds = message.items.filter((_, i) => verdicts[i]!.kind === 'withhold').map((i) => i.object.id);
  await Promise.all([
    deps.originals.keep(originals),
    withheldIds.length > 0 ? deps.withheld.record(message.tenantId, withheldIds) : undefined,
  ]);
  const withheldItems = message.items.filter((_, i) => verdicts[i]!.kind === 'withhold');
  if (withheldItems.length > 0) await deps.releaseCorroboration(message.tenantId, message.collectionId, withheldItems);
  if (settlements.length > 0) await deps.settle(message, settlements);
  return { kind: 'forward', message: { ...message, items }, droppedBy, registry };
}
