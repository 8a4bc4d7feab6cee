import type { StixObject } from '../taxii/model';
import { nestedProperties, predefinedExtension, stixPropertiesOf, type PropertySet } from '../stix/properties';

/**
 * What passes verbatim is the STIX 2.1 property set of each type (anonymize): custom properties, unknown
 * properties, custom extensions and custom object types are dropped unless the collection allows them by name or
 * by prefix (`x_mitre_*`). A property nobody anticipated is exactly where an internal ticket number or a victim's
 * host name travels unnoticed.
 */

/** The collection's allowance: names, or prefixes ending in `*` (CollectionPolicy.customProperties). */
export type CustomPropertyAllowance = readonly string[];

/** What Kyoyu itself adds (an uploaded file's sanitised name, shared/core/files/stix.ts); redacted like the rest. */
const PLATFORM_PROPERTIES: CustomPropertyAllowance = ['x_kyoyu_file_name'];

export const isAllowed = (allowance: CustomPropertyAllowance, name: string): boolean =>
  [...PLATFORM_PROPERTIES, ...allowance].some((entry) => (entry.endsWith('*') ? name.startsWith(entry.slice(0, -1)) : entry === name));

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function keepShape(value: Record<string, unknown>, set: PropertySet, allowance: CustomPropertyAllowance): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const shape = set[key];
    if (!shape) {
      if (isAllowed(allowance, key)) out[key] = v;
      continue;
    }
    if (shape.kind !== 'nested') out[key] = v;
    else if (shape.shape === 'extensions') {
      const extensions = isRecord(v) ? keepExtensions(v, allowance) : undefined;
      if (extensions) out[key] = extensions;
    } else {
      const nested = nestedProperties(shape.shape) ?? {};
      out[key] = Array.isArray(v)
        ? v.map((e) => (isRecord(e) ? keepShape(e, nested, allowance) : e))
        : isRecord(v)
          ? keepShape(v, nested, allowance)
          : v;
    }
  }
  return out;
}

function keepExtensions(extensions: Record<string, unknown>, allowance: CustomPropertyAllowance): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [name, extension] of Object.entries(extensions)) {
    const set = predefinedExtension(name);
    if (set) out[name] = isRecord(extension) ? keepShape(extension, set, allowance) : extension;
    else if (isAllowed(allowance, name)) out[name] = extension;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Whether a type may be published at all: STIX 2.1 types, and custom types the collection allows. */
export const isPublishableType = (type: string, allowance: CustomPropertyAllowance): boolean =>
  stixPropertiesOf(type) !== undefined || isAllowed(allowance, type);

/**
 * The object with only what the collection publishes. An allowed custom type keeps its properties (there is no
 * STIX set to hold them to); observed-data's deprecated `objects` are observables, each held to its own set.
 */
export function keepStixProperties(object: StixObject, allowance: CustomPropertyAllowance): StixObject {
  const set = stixPropertiesOf(object.type);
  if (!set) return object;
  const kept = keepShape(object, set, allowance);
  if (object.type === 'observed-data' && isRecord(kept.objects)) {
    kept.objects = Object.fromEntries(
      Object.entries(kept.objects).map(([key, sco]) => [
        key,
        isRecord(sco) && typeof sco.type === 'string' ? keepStixProperties(sco as StixObject, allowance) : sco,
      ]),
    );
  }
  return kept as StixObject;
}
