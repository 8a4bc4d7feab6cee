import { z } from 'zod';
import { TLP_LEVELS, type Tlp } from '../taxii/model';

/**
 * Traffic Light Protocol levels of STIX objects, read from the marking definitions they reference.
 *
 * Ids are the published ones, never invented:
 * - TLP 2.0: the marking definitions of the OASIS TLP 2.0 extension
 *   (extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d; oasis-open/cti-stix-common-objects,
 *   extension-definition-specifications/tlp-2.0/marking-definition.json).
 * - TLP 1.0: the four marking definitions STIX 2.1 predefines (§7.2.1.4); WHITE is TLP 2.0's CLEAR.
 */

export const TlpSchema = z.enum(TLP_LEVELS);

/** TLP 2.0 marking-definition ids, the ones Kyoyu writes. */
export const TLP2_MARKING_DEFINITION_IDS: Readonly<Record<Tlp, string>> = Object.freeze({
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
});

/** STIX 2.1 §7.2.1.4 TLP 1.0 marking-definition ids, read and mapped to TLP 2.0 (TLP 1.0 has no AMBER+STRICT). */
export const TLP1_MARKING_DEFINITION_IDS: Readonly<Record<'white' | 'green' | 'amber' | 'red', string>> = Object.freeze({
  white: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  green: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  amber: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  red: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
});

const TLP_BY_MARKING_ID: ReadonlyMap<string, Tlp> = new Map<string, Tlp>([
  ...Object.entries(TLP2_MARKING_DEFINITION_IDS).map(([tlp, id]) => [id, tlp as Tlp] as const),
  [TLP1_MARKING_DEFINITION_IDS.white, 'clear'],
  [TLP1_MARKING_DEFINITION_IDS.green, 'green'],
  [TLP1_MARKING_DEFINITION_IDS.amber, 'amber'],
  [TLP1_MARKING_DEFINITION_IDS.red, 'red'],
]);

/** The TLP a marking-definition id stands for; undefined for any other marking (statements, custom TLP ids). */
export function tlpOfMarkingRef(markingRef: string): Tlp | undefined {
  return TLP_BY_MARKING_ID.get(markingRef);
}

/** Order of restrictiveness: negative when `a` is less restrictive than `b`. */
export function compareTlp(a: Tlp, b: Tlp): number {
  return TLP_LEVELS.indexOf(a) - TLP_LEVELS.indexOf(b);
}

/** The most restrictive of some levels; undefined for none. */
export function mostRestrictiveTlp(levels: Iterable<Tlp>): Tlp | undefined {
  let most: Tlp | undefined;
  for (const level of levels) if (most === undefined || compareTlp(level, most) > 0) most = level;
  return most;
}

/** A reader cleared for `clearance` may read content marked `tlp`. */
export function isClearedFor(clearance: Tlp, tlp: Tlp): boolean {
  return compareTlp(tlp, clearance) <= 0;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/**
 * The TLP of a STIX object: the most restrictive TLP among its `object_marking_refs` (STIX 2.1 §7.2.2.1) and the
 * `marking_ref`s of its `granular_markings` (§7.2.3). Granular markings count because Kyoyu serves whole objects:
 * a description marked RED makes the object RED to whoever receives it. Undefined when no TLP marking is present
 * (the caller decides the default, e.g. the collection's).
 */
export function tlpOfObject(object: Readonly<Record<string, unknown>>): Tlp | undefined {
  const granular = Array.isArray(object.granular_markings) ? object.granular_markings : [];
  const refs = [
    ...strings(object.object_marking_refs),
    ...granular.flatMap((g: unknown) =>
      typeof g === 'object' && g !== null && typeof (g as { marking_ref?: unknown }).marking_ref === 'string'
        ? [(g as { marking_ref: string }).marking_ref]
        : [],
    ),
  ];
  return mostRestrictiveTlp(refs.flatMap((ref) => tlpOfMarkingRef(ref) ?? []));
}
