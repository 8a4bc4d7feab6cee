import type { StixObject } from '../taxii/model';
import type { PipelineMessage } from '../pipeline/message';
import type { StageOutcome } from '../pipeline/outcome';
import type { Settlement } from '../taxii/status';
import { canonicalValue, scoId } from './canonical';
import { isStix20, upgradeToStix21, withMilliseconds } from './upgrade';
import { validateStix21 } from './validate';
import { guarded } from '../pipeline/guarded';
import { isStixIdentifier } from '../stix/identifier';

export type NormalizeResult = { ok: true; object: StixObject; upgraded: boolean } | { ok: false; reason: string };

const MAX_ISSUES = 20;

const HASH_KEYS = /^(md5|sha-?1|sha-?224|sha-?256|sha-?384|sha-?512|sha3-\d+)$/i;

const lowerIdentifier = (v: unknown) => (isStixIdentifier(v) ? v.toLowerCase() : v);

function canonicalise(object: StixObject): StixObject {
  const out: Record<string, unknown> = { ...object };
  // Identifiers in lower case, references with them, so that the same object is always spelled the same way.
  for (const [key, value] of Object.entries(out)) {
    if (key === 'id' || key.endsWith('_ref')) out[key] = lowerIdentifier(value);
    else if (key.endsWith('_refs') && Array.isArray(value)) out[key] = value.map(lowerIdentifier);
  }
  if (typeof out.value === 'string') out.value = canonicalValue(object.type, out.value);
  if (out.hashes && typeof out.hashes === 'object') {
    out.hashes = Object.fromEntries(
      Object.entries(out.hashes as Record<string, unknown>).map(([k, v]) => [
        k,
        typeof v === 'string' && HASH_KEYS.test(k) ? v.trim().toLowerCase() : v,
      ]),
    );
  }
  // TAXII-CLIENTS #22: created and modified always carry fractional seconds.
  for (const key of ['created', 'modified']) if (key in out) out[key] = withMilliseconds(out[key]);
  return out as StixObject;
}

/** One object: upgraded from STIX 2.0 if need be, canonicalised, validated. */
export function normalizeObject(object: StixObject, bundleSpecVersion?: string): NormalizeResult {
  const upgraded = isStix20(object, bundleSpecVersion);
  const candidate = canonicalise(upgraded ? upgradeToStix21(object) : object);
  const issues = validateStix21(candidate);
  if (issues.length > 0) {
    // The first MAX_ISSUES are enough to act on; an object built to fail everywhere must not make a huge status.
    const shown = issues.slice(0, MAX_ISSUES).map((i) => `${i.path}: ${i.message}`);
    if (issues.length > MAX_ISSUES) shown.push(`and ${issues.length - MAX_ISSUES} more`);
    return { ok: false, reason: shown.join('; ') };
  }
  return { ok: true, object: candidate, upgraded };
}

function rewriteRefs(value: unknown, ids: ReadonlyMap<string, string>, key = ''): unknown {
  if (typeof value === 'string') return /_refs?$/.test(key) || key === '' ? (ids.get(value) ?? value) : value;
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, ids, key.endsWith('_refs') ? key : ''));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        /_refs?$/.test(k) ? rewriteRefs(v, ids, k) : typeof v === 'object' ? rewriteRefs(v, ids, k) : v,
      ]),
    );
  }
  return value;
}

/**
 * The normalize stage: every object becomes valid STIX 2.1 in canonical form or is refused with the reason.
 * SCOs get their deterministic ids (STIX 2.1 §2.9), so the same observable has the same id whoever sends it;
 * references inside the same chunk follow the new ids.
 */
export async function normalize(
  message: PipelineMessage,
  deps: { settle: (m: PipelineMessage, s: Settlement[]) => Promise<void> },
): Promise<StageOutcome> {
  const settlements: Settlement[] = [];
  const droppedBy: Record<string, number> = {};
  const kept: PipelineMessage['items'] = [];
  const newIds = new Map<string, string>();
  const refused: string[] = [];
  for (const item of message.items) {
    const result = guarded(
      (): NormalizeResult => normalizeObject(item.object),
      (reason): NormalizeResult => ({ ok: false, reason }),
    );
    if (!result.ok) {
      refused.push(item.object.id.toLowerCase());
      settlements.push({ index: item.entry, state: 'failure', message: `normalize: ${result.reason}` });
      droppedBy['invalid STIX'] = (droppedBy['invalid STIX'] ?? 0) + 1;
      continue;
    }
    const deterministic = scoId(result.object.type, result.object);
    if (deterministic && deterministic !== result.object.id) newIds.set(result.object.id, deterministic);
    kept.push({ ...item, object: result.object });
  }
  const items =
    newIds.size === 0
      ? kept
      : kept.map((item) => ({
          ...item,
          object: { ...(rewriteRefs(item.object, newIds) as StixObject), id: newIds.get(item.object.id) ?? item.object.id },
        }));
  if (settlements.length > 0) await deps.settle(message, settlements);
  return { kind: 'forward', message: { ...message, items, withheldIds: [...message.withheldIds, ...refused] }, droppedBy };
}
