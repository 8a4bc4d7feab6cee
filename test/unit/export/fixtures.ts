import { DEFAULT_WARNING_LISTS } from '../../../shared/core/pipeline/default-warning-lists';
import { compileWarningLists } from '../../../shared/core/pipeline/warning-lists';
import { TLP2_MARKING_DEFINITION_IDS } from '../../../shared/core/policy/tlp';
import { exportItems, newExportStats, type ExportItem, type ExportOptions } from '../../../shared/core/export/items';
import type { StixObject } from '../../../shared/core/taxii/model';

/** Factories and a runner shared by the export tests. NOW is after every fixture's `modified`. */
export const NOW = Date.parse('2026-06-01T00:00:00.000Z');
export const PROVIDER_ID = 'identity--0b6d1bd5-0d5c-4d4e-9a0e-7d6bd7a1c0de';
export const GREEN = TLP2_MARKING_DEFINITION_IDS.green;
export const AMBER = TLP2_MARKING_DEFINITION_IDS.amber;

let counter = 0;
export function uuid(n = ++counter): string {
  return `6a1b2c3d-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export function indicator(pattern: string, extra: Partial<StixObject> = {}): StixObject {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${uuid()}`,
    created: '2026-01-10T09:00:00.000Z',
    modified: '2026-01-10T09:00:00.000Z',
    created_by_ref: PROVIDER_ID,
    name: 'Kyoyu test indicator',
    pattern,
    pattern_type: 'stix',
    valid_from: '2026-01-10T09:00:00.000Z',
    object_marking_refs: [GREEN],
    ...extra,
  };
}

export function sco(type: string, fields: Record<string, unknown>): StixObject {
  return { type, spec_version: '2.1', id: `${type}--${uuid()}`, object_marking_refs: [GREEN], ...fields };
}

export const warningLists = compileWarningLists(DEFAULT_WARNING_LISTS);

export function options(extra: Partial<ExportOptions> = {}): ExportOptions {
  return { now: NOW, warningLists, defaultTlp: 'amber', ...extra };
}

export async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of source) out.push(x);
  return out;
}

export async function itemsOf(objects: StixObject[], extra: Partial<ExportOptions> = {}): Promise<ExportItem[]> {
  return collect(exportItems(objects, options(extra)));
}

/** The whole text a format writes for these objects. */
export async function text(objects: StixObject[], format: (items: AsyncIterable<ExportItem>) => AsyncIterable<string>): Promise<string> {
  return (await collect(format(exportItems(objects, options())))).join('');
}

export { newExportStats };
