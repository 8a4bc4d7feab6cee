import { compareTlp } from '../policy/tlp';
import type { AccessScope, StixObject } from '../taxii/model';
import type { CollectionPolicy } from './collection-policy';
import { findPersonalData } from './personal-data';
import type { ObservableKind, WarningListMatcher } from './warning-lists';
import type { PipelineMessage } from './message';
import type { StageOutcome } from './outcome';
import type { Settlement } from '../taxii/status';
import { guarded } from './guarded';

/** A value an object would make someone block or alert on. */
export interface Observable {
  kind: ObservableKind;
  value: string;
}

export type FilterDecision = { kind: 'keep' } | { kind: 'drop'; reason: string } | { kind: 'hold'; reason: string };

export interface FilterDeps {
  warningLists: WarningListMatcher;
  observablesOf: (object: StixObject) => Observable[];
  now: () => number;
}

const tlpName = (tlp: string) => `TLP:${tlp.toUpperCase()}`;

/**
 * The filter stage's decision for one object (BRIEF: drop what must not or need not be shared). Every drop says
 * why in words that go into the provider's TAXII status: "filter: value 10.0.0.1 in warning list reserved-ipv4".
 * Revoked and expired objects are dropped when they are new to the collection (an old ATT&CK object, a stale
 * indicator); a revoked or expired version of an object the collection already publishes is how its provider
 * withdraws it (STIX 2.1 §3.6), and passes, so that members' tools, exports, search and alerts learn of it.
 */
export function filterObject(
  object: StixObject,
  access: AccessScope,
  policy: CollectionPolicy,
  deps: FilterDeps,
  published = false,
): FilterDecision {
  if (compareTlp(access.tlp, policy.tlpCeiling) > 0) {
    return { kind: 'drop', reason: `${tlpName(access.tlp)} is above this collection's ceiling ${tlpName(policy.tlpCeiling)}` };
  }
  if (policy.allowedTypes.length > 0 && !policy.allowedTypes.includes(object.type)) {
    return { kind: 'drop', reason: `type ${object.type} is not accepted in this collection (accepted: ${policy.allowedTypes.join(', ')})` };
  }
  if (object.revoked === true && !published) return { kind: 'drop', reason: 'the object is revoked' };
  if (!published && isExpired(object, deps.now())) {
    return { kind: 'drop', reason: `expired: valid_until ${object.valid_until} is past` };
  }
  if (typeof object.confidence === 'number' && object.confidence < policy.minConfidence) {
    return { kind: 'drop', reason: `confidence ${object.confidence} is below this collection's minimum ${policy.minConfidence}` };
  }
  const observables = deps.observablesOf(object);
  for (const observable of observables) {
    // A network shared as a value (`10.0.0.0/8`) is benign-listed when it holds any listed address: blocking it
    // would block that address too.
    const network = observable.kind === 'ip' && observable.value.includes('/');
    const hit = network ? deps.warningLists.matchNetwork(observable.value) : deps.warningLists.match(observable.kind, observable.value);
    if (hit) return { kind: 'drop', reason: `value ${observable.value} in warning list ${hit.list}` };
  }
  if (policy.holdPersonalData) {
    const indicatorValues = new Set(observables.map((o) => o.value.toLowerCase()));
    const [finding] = findPersonalData(object, indicatorValues);
    if (finding) return { kind: 'hold', reason: `held for moderation: ${finding.field} contains a ${finding.kind}` };
  }
  return { kind: 'keep' };
}

const isExpired = (object: StixObject, now: number) => typeof object.valid_until === 'string' && Date.parse(object.valid_until) <= now;

/** The short reason a drop is counted under in the funnel: "warning list reserved-ipv4", "expired"… */
export function funnelReason(reason: string): string {
  const list = /in warning list (\S+)/.exec(reason);
  if (list) return `warning list ${list[1]}`;
  if (reason.startsWith('held for moderation')) return 'held for moderation';
  if (reason.startsWith('expired')) return 'expired';
  if (reason.includes('ceiling')) return 'above TLP ceiling';
  if (reason.startsWith('type ')) return 'type not accepted';
  if (reason.startsWith('confidence')) return 'low confidence';
  return reason;
}

export interface FilterStageDeps extends FilterDeps {
  policyOf: (tenantId: string, collectionId: string) => Promise<CollectionPolicy>;
  /** Whether the collection already holds a version of the object (ObjectStore.hasVersions). */
  isPublished: (tenantId: string, collectionId: string, objectId: string) => Promise<boolean>;
  settle: (message: PipelineMessage, settlements: Settlement[]) => Promise<void>;
}

/**
 * The filter stage: each decision recorded in the provider's status with its reason, each drop counted by reason.
 * What it holds travels on marked `held`, is anonymised like everything else, and waits at commit for a moderator.
 */
export async function filter(message: PipelineMessage, deps: FilterStageDeps): Promise<StageOutcome> {
  const policy = message.settings?.policy ?? (await deps.policyOf(message.tenantId, message.collectionId));
  const kept: PipelineMessage['items'] = [];
  const settlements: Settlement[] = [];
  const droppedBy: Record<string, number> = {};
  // Asked only of revoked and expired objects: the rest does not depend on it.
  const withdrawing = message.items.filter((item) => item.object.revoked === true || isExpired(item.object, deps.now()));
  const published = new Set<string>();
  await Promise.all(
    withdrawing.map(async ({ object }) => {
      if (typeof object.id === 'string' && (await deps.isPublished(message.tenantId, message.collectionId, object.id)))
        published.add(object.id);
    }),
  );
  for (const item of message.items) {
    const decision = guarded(
      (): FilterDecision => filterObject(item.object, item.access, policy, deps, published.has(item.object.id)),
      (reason): FilterDecision => ({ kind: 'drop', reason }),
    );
    if (decision.kind === 'keep') {
      kept.push(item);
      continue;
    }
    if (decision.kind === 'hold') {
      kept.push({ ...item, held: decision.reason });
      continue;
    }
    const counted = funnelReason(decision.reason);
    droppedBy[counted] = (droppedBy[counted] ?? 0) + 1;
    settlements.push({ index: item.entry, state: 'failure', message: `filter: ${decision.reason}` });
  }
  if (settlements.length > 0) await deps.settle(message, settlements);
  return { kind: 'forward', message: { ...message, items: kept }, droppedBy };
}
