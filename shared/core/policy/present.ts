import type { ReaderView, StixObject, StoredVersion, Tlp } from '../taxii/model';
import { compareTlp, TLP1_MARKING_DEFINITION_IDS, TLP2_MARKING_DEFINITION_IDS, tlpOfMarkingRef } from './tlp';

/**
 * What a reader receives of a committed version it may see (`canSee` decided that): the one projection every exit
 * that serves stored objects passes — TAXII objects and versions, the STIX export, full alert payloads, search hits.
 *
 * 1. The object carries its effective TLP. Inside Kyoyu a version is enforced at `access.tlp` (its own markings,
 *    else the collection's default TLP, raised by the collection's floor); a member's tool that imports it knows only
 *    what the object says, so an object whose markings say less — or nothing — would leave as if it were CLEAR.
 *    The effective level is added to `object_marking_refs` as the TLP 2.0 marking definition (STIX 2.1 §7.2.2.1;
 *    the OASIS ids in tlp.ts), replacing any less restrictive TLP reference; other markings (statements, copyright)
 *    are kept as they are, and a TLP the provider marked more restrictively is never lowered.
 * 2. Nothing else changes: the id, `modified` and the rest stay as committed, so what a member holds matches the
 *    version it asked for. The TLP marking definitions themselves are served as published (`predefinedMarkingDefinition`).
 * 3. The reader is a parameter although these rules do not depend on it yet: this is where views per reader class
 *    plug in, beside `canSee`, so that no exit serves a stored object any other way.
 */
export function present(_reader: Pick<ReaderView, 'tenantId' | 'memberId'>, version: Pick<StoredVersion, 'object' | 'access'>): StixObject {
  return withEffectiveTlp(version.object, version.access.tlp);
}

/** Rule 1 alone: `object` marked at least `tlp` with a TLP 2.0 reference; the same object when it already is. */
export function withEffectiveTlp(object: StixObject, tlp: Tlp): StixObject {
  if (isTlpMarkingDefinition(object.id)) return object;
  const refs: unknown[] = Array.isArray(object.object_marking_refs) ? object.object_marking_refs : [];
  const lower = (ref: unknown) => {
    const level = typeof ref === 'string' ? tlpOfMarkingRef(ref) : undefined;
    return level !== undefined && compareTlp(level, tlp) < 0;
  };
  const kept = refs.filter((ref) => !lower(ref));
  const carriesTlp2 = kept.some((ref) => typeof ref === 'string' && tlpOfDefinitionId(ref) !== undefined);
  if (carriesTlp2 && kept.length === refs.length) return object;
  return { ...object, object_marking_refs: carriesTlp2 ? kept : [...kept, TLP2_MARKING_DEFINITION_IDS[tlp]] };
}

const TLP_DEFINITION_IDS: ReadonlyMap<string, Tlp> = new Map(
  Object.entries(TLP2_MARKING_DEFINITION_IDS).map(([tlp, id]) => [id, tlp as Tlp] as const),
);

/** A TLP 2.0 marking definition of the OASIS extension (the ids Kyoyu writes). */
export function isTlpMarkingDefinition(id: string): boolean {
  return TLP_DEFINITION_IDS.has(id);
}

/** The TLP 2.0 level a marking-definition id of the OASIS TLP 2.0 extension stands for. */
export function tlpOfDefinitionId(id: string): Tlp | undefined {
  return TLP_DEFINITION_IDS.get(id);
}

const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/**
 * The TLP 2.0 marking definition for a level, as the OASIS TLP 2.0 extension publishes it (cti-stix-common-objects,
 * extension-definition-specifications/tlp-2.0): fixed id, `created` 2022-10-01, name `TLP:<LEVEL>`, and the property
 * extension naming the level.
 */
export function tlpMarkingDefinition(tlp: Tlp): StixObject {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP2_MARKING_DEFINITION_IDS[tlp],
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${tlp.toUpperCase()}`,
    extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: tlp } },
  };
}

/** STIX 2.1 §7.2.1.4: the four TLP 1.0 marking definitions the specification predefines, as it gives them. */
const TLP1_DEFINITIONS: ReadonlyMap<string, StixObject> = new Map(
  Object.entries(TLP1_MARKING_DEFINITION_IDS).map(([level, id]) => [
    id,
    {
      type: 'marking-definition',
      spec_version: '2.1',
      id,
      created: '2017-01-20T00:00:00.000Z',
      definition_type: 'tlp',
      name: `TLP:${level.toUpperCase()}`,
      definition: { tlp: level },
    },
  ]),
);

/** The predefined TLP marking definition (TLP 2.0 or 1.0) with this id; undefined for any other id. */
export function predefinedMarkingDefinition(id: string): StixObject | undefined {
  const tlp = tlpOfDefinitionId(id);
  return tlp ? tlpMarkingDefinition(tlp) : TLP1_DEFINITIONS.get(id);
}

/** The ids of predefined TLP marking definitions an object refers to in `object_marking_refs`, for a self-contained bundle. */
export function predefinedMarkingsReferencedBy(object: Readonly<Record<string, unknown>>): string[] {
  const refs = Array.isArray(object.object_marking_refs) ? object.object_marking_refs : [];
  return refs.filter((ref): ref is string => typeof ref === 'string' && predefinedMarkingDefinition(ref) !== undefined);
}
