import type { StixObject } from '../taxii/model';

/**
 * References between the objects of a submission (STIX 2.1 §2.6, §3.1): every property whose name ends in `_ref`
 * (one identifier) or `_refs` (a list of identifiers), at any depth — top level, `extensions`, `granular_markings`,
 * nested structures of observables. Withholding one object must reach everything that points at it, wherever the
 * pointer sits (anonymize).
 */

const isRefKey = (key: string) => key.endsWith('_ref');
const isRefsKey = (key: string) => key.endsWith('_refs');

/** Every identifier an object refers to, at any depth. */
export function referencesOf(object: StixObject): string[] {
  const out: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    if (!value || typeof value !== 'object') return;
    for (const [key, v] of Object.entries(value)) {
      if (isRefKey(key) && typeof v === 'string') out.push(v);
      else if (isRefsKey(key) && Array.isArray(v)) out.push(...v.filter((r): r is string => typeof r === 'string'));
      else visit(v);
    }
  };
  visit(object);
  return out;
}

/** Top-level references without which an object says nothing (STIX 2.1 §5.1, §5.2, §4.5, §4.8, §4.11, §4.13, §4.14). */
const REQUIRED_REFS = new Set(['source_ref', 'target_ref', 'sighting_of_ref']);
const REQUIRED_REF_LISTS = new Set(['object_refs']);

const DROPPED = Symbol('dropped');

export type Pruned = { kind: 'kept'; object: StixObject; removed: string[] } | { kind: 'withhold'; property: string; ref: string };

/**
 * The object without its references to `gone` ids: an optional reference is removed (a list keeps its other
 * entries; a granular marking whose marking is gone goes with it), a required one means the object cannot be
 * published. An observable's references are part of what it is (a network-traffic's destination, an e-mail's
 * sender), so any of them gone withholds the observable.
 */
export function pruneReferences(object: StixObject, gone: (id: string) => boolean, isObservable: boolean): Pruned {
  const removed: string[] = [];
  let blocker: { property: string; ref: string } | undefined;
  const prune = (value: unknown, topLevel: boolean): unknown => {
    if (Array.isArray(value)) {
      const kept: unknown[] = [];
      for (const v of value) {
        const entry = prune(v, false);
        // A structure that lost its only reference (a granular marking without marking_ref) is dropped whole.
        if (entry !== DROPPED) kept.push(entry);
      }
      return kept;
    }
    if (!value || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (isRefKey(key) && typeof v === 'string' && gone(v)) {
        removed.push(v);
        if (isObservable || (topLevel && REQUIRED_REFS.has(key))) blocker ??= { property: key, ref: v };
        if (!topLevel && key === 'marking_ref') return DROPPED;
        continue;
      }
      if (isRefsKey(key) && Array.isArray(v) && v.some((r) => typeof r === 'string' && gone(r))) {
        const kept = v.filter((r) => !(typeof r === 'string' && gone(r)));
        removed.push(...(v.filter((r) => typeof r === 'string' && gone(r)) as string[]));
        if (isObservable || (kept.length === 0 && topLevel && REQUIRED_REF_LISTS.has(key)))
          blocker ??= { property: key, ref: v.find((r) => typeof r === 'string' && gone(r)) as string };
        if (kept.length > 0) out[key] = kept;
        continue;
      }
      const entry = prune(v, false);
      if (entry !== DROPPED) out[key] = entry;
    }
    return out;
  };
  const pruned = prune(object, true) as StixObject;
  if (blocker) return { kind: 'withhold', ...blocker };
  if (Array.isArray(pruned.granular_markings) && pruned.granular_markings.length === 0) delete pruned.granular_markings;
  return { kind: 'kept', object: removed.length > 0 ? pruned : object, removed };
}
