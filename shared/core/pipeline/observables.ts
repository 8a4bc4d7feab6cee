import type { StixObject } from '../taxii/model';
import type { Observable } from './filter';
import type { ObservableKind } from './warning-lists';
import { parsePattern, type PatternComparison } from '../normalize/pattern';
import { isStixIdentifier } from '../stix/identifier';

/** Which observable kind an SCO type or a pattern object path is (STIX 2.1 §6, §9.4). */
function kindOf(objectType: string, path: string): ObservableKind | undefined {
  if (objectType === 'ipv4-addr' || objectType === 'ipv6-addr') return path === 'value' ? 'ip' : undefined;
  if (objectType === 'domain-name') return path === 'value' ? 'domain' : undefined;
  if (objectType === 'url') return path === 'value' ? 'url' : undefined;
  if (objectType === 'email-addr') return path === 'value' ? 'email' : undefined;
  if (objectType === 'file' || objectType === 'artifact') {
    if (/^hashes\./.test(path)) return 'hash';
    if (path === 'name') return 'filename';
  }
  if (objectType === 'email-message' && /(^|\.)value$/.test(path)) return 'email';
  if (objectType === 'network-traffic' && /_ref\.value$/.test(path)) return 'ip';
  return undefined;
}

/** Equality-like comparisons of a STIX pattern, one per value (an IN list gives several). */
export function patternComparisons(pattern: string): Array<{ objectType: string; path: string; value: string }> {
  let comparisons: PatternComparison[];
  try {
    comparisons = parsePattern(pattern);
  } catch {
    return []; // normalize refuses invalid patterns before any stage looks at them
  }
  return comparisons
    .filter((c) => !c.negated && ['=', 'IN', 'LIKE', 'MATCHES'].includes(c.operator))
    .flatMap((c) => c.values.map((value) => ({ objectType: c.objectType, path: c.path.replace(/'/g, ''), value })));
}

/** The values an object would make a member block or alert on: an SCO's value, or an indicator's comparisons. */
export function observablesOf(object: StixObject): Observable[] {
  if (typeof object.pattern === 'string' && (object.pattern_type ?? 'stix') === 'stix') {
    return patternComparisons(object.pattern).flatMap((c) => {
      const kind = kindOf(c.objectType, c.path);
      return kind ? [{ kind, value: c.value }] : [];
    });
  }
  const out: Observable[] = [];
  const valueKind = kindOf(object.type, 'value');
  if (valueKind && typeof object.value === 'string') out.push({ kind: valueKind, value: object.value });
  if (object.hashes && typeof object.hashes === 'object') {
    for (const value of Object.values(object.hashes as Record<string, unknown>))
      if (typeof value === 'string') out.push({ kind: 'hash', value: value.toLowerCase() });
  }
  if ((object.type === 'file' || object.type === 'artifact') && typeof object.name === 'string')
    out.push({ kind: 'filename', value: object.name });
  return out;
}

/**
 * What makes two objects "the same" for dedupe: an indicator's comparisons, order-free and case-folded where
 * case carries no meaning; an SCO's deterministic id (STIX 2.1 §2.9 makes equal observables share it).
 */
export function samenessOf(object: StixObject): string | undefined {
  if (object.type === 'indicator' && typeof object.pattern === 'string') {
    const comparisons = patternComparisons(object.pattern);
    if (comparisons.length === 0) return `pattern:${object.pattern_type ?? 'stix'}:${object.pattern.replace(/\s+/g, ' ').trim()}`;
    const caseless = (c: { objectType: string; path: string; value: string }) =>
      ['domain-name', 'email-addr', 'ipv6-addr'].includes(c.objectType) || c.path.startsWith('hashes.') ? c.value.toLowerCase() : c.value;
    // Only single-observation patterns of plain equalities are merged; anything richer keeps its own wording.
    if (/FOLLOWEDBY|WITHIN|REPEATS|START|\bAND\b|\]\s*(AND|OR)\s*\[/.test(object.pattern)) {
      return `pattern:stix:${object.pattern.replace(/\s+/g, ' ').trim()}`;
    }
    const parts = comparisons.map((c) => `${c.objectType}:${c.path}=${caseless(c)}`).sort();
    return `indicator:${parts.join('|')}`;
  }
  if (
    isStixIdentifier(object.id) &&
    ['ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'email-addr', 'file', 'mac-addr'].includes(object.type)
  ) {
    return `sco:${object.id}`;
  }
  return undefined;
}
