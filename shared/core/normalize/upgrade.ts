import type { StixObject } from '../taxii/model';

/**
 * STIX 2.0 → 2.1 (STIX 2.1 Appendix "changes from 2.0"): spec_version on every object; `labels` that were the
 * open vocabulary of malware, tool, indicator, report and threat-actor become the 2.1 `*_types` properties
 * (labels are kept, as 2.1 still allows them); malware gains the now-required `is_family`; indicators gain
 * `pattern_type: stix`; timestamps get millisecond precision, which 2.1 requires of created and modified.
 * TLP 1.0 marking definitions keep their fixed ids, so markings stay valid.
 */
const LABEL_VOCABULARIES: Record<string, string> = {
  malware: 'malware_types',
  tool: 'tool_types',
  indicator: 'indicator_types',
  report: 'report_types',
  'threat-actor': 'threat_actor_types',
};

/** RFC 3339 with at least millisecond precision. */
export function withMilliseconds(timestamp: unknown): unknown {
  if (typeof timestamp !== 'string') return timestamp;
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?Z$/i.exec(timestamp);
  if (!match) return timestamp;
  return `${match[1]}${(match[2] ?? '.').padEnd(4, '0')}Z`;
}

export function isStix20(object: Record<string, unknown>, bundleSpecVersion?: string): boolean {
  if (object.spec_version === '2.1') return false;
  if (object.spec_version === '2.0' || bundleSpecVersion === '2.0') return true;
  // 2.0 objects carry no spec_version at all; in 2.1 every SDO and SRO must (and SCOs outside observed-data).
  return object.spec_version === undefined && typeof object.type === 'string' && object.type !== 'bundle';
}

export function upgradeToStix21(object: StixObject): StixObject {
  const out: Record<string, unknown> = { ...object, spec_version: '2.1' };
  for (const key of ['created', 'modified']) if (key in out) out[key] = withMilliseconds(out[key]);
  const vocabulary = LABEL_VOCABULARIES[object.type];
  if (vocabulary && Array.isArray(object.labels) && out[vocabulary] === undefined) out[vocabulary] = [...object.labels];
  if (object.type === 'malware' && out.is_family === undefined) out.is_family = true;
  if (object.type === 'indicator' && out.pattern_type === undefined) out.pattern_type = 'stix';
  return out as StixObject;
}
