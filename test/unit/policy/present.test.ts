import fc from 'fast-check';
import { present, tlpMarkingDefinition, withEffectiveTlp } from '../../../shared/core/policy/present';
import { TLP1_MARKING_DEFINITION_IDS, TLP2_MARKING_DEFINITION_IDS, compareTlp, tlpOfObject } from '../../../shared/core/policy/tlp';
import { TLP_LEVELS, type AccessScope, type StixObject, type Tlp } from '../../../shared/core/taxii/model';

const READER = { tenantId: 'ics-isac', memberId: 'kanto-power' };
const STATEMENT = 'marking-definition--6a1b2c3d-0000-4000-8000-00000000cafe';
const indicator = (fields: Record<string, unknown> = {}): StixObject => ({
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--6a1b2c3d-0000-4000-8000-000000000001',
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  pattern: "[ipv4-addr:value = '45.33.30.1']",
  pattern_type: 'stix',
  valid_from: '2026-01-01T00:00:00.000Z',
  ...fields,
});
const access = (tlp: Tlp): AccessScope => ({ tlp, recipients: [], secret: false, providerMemberId: 'provider' });
const tlp2 = (object: StixObject) =>
  ((object.object_marking_refs as string[] | undefined) ?? []).filter((ref) => Object.values(TLP2_MARKING_DEFINITION_IDS).includes(ref));

describe('present: every object leaves with its effective TLP', () => {
  it('marks an unmarked object with the TLP 2.0 definition of the level it is enforced at', () => {
    const out = present(READER, { object: indicator(), access: access('amber') });
    expect(out.object_marking_refs).toEqual([TLP2_MARKING_DEFINITION_IDS.amber]);
    expect(tlpOfObject(out)).toBe('amber');
  });

  it('replaces a less restrictive TLP reference, keeps other markings, and never lowers what the provider marked', () => {
    const lower = indicator({ object_marking_refs: [TLP2_MARKING_DEFINITION_IDS.green, STATEMENT] });
    expect(present(READER, { object: lower, access: access('amber') }).object_marking_refs).toEqual([
      STATEMENT,
      TLP2_MARKING_DEFINITION_IDS.amber,
    ]);
    const higher = indicator({ object_marking_refs: [TLP2_MARKING_DEFINITION_IDS.red] });
    expect(present(READER, { object: higher, access: access('red') })).toBe(higher);
  });

  it('adds the TLP 2.0 reference beside a TLP 1.0 one of the same level', () => {
    const old = indicator({ object_marking_refs: [TLP1_MARKING_DEFINITION_IDS.amber] });
    expect(present(READER, { object: old, access: access('amber') }).object_marking_refs).toEqual([
      TLP1_MARKING_DEFINITION_IDS.amber,
      TLP2_MARKING_DEFINITION_IDS.amber,
    ]);
  });

  it('changes nothing but the markings, and serves the TLP definitions themselves as published', () => {
    const object = indicator({ description: 'x', granular_markings: [{ marking_ref: STATEMENT, selectors: ['description'] }] });
    const { object_marking_refs: _added, ...rest } = present(READER, { object, access: access('green') });
    expect(rest).toEqual(object);
    const definition = tlpMarkingDefinition('red');
    expect(present(READER, { object: definition, access: access('clear') })).toBe(definition);
  });

  it('for any markings and any level: exactly one TLP 2.0 reference, the level enforced, and the other markings kept', () => {
    const refs = fc.constantFrom(...Object.values(TLP2_MARKING_DEFINITION_IDS), ...Object.values(TLP1_MARKING_DEFINITION_IDS), STATEMENT);
    fc.assert(
      fc.property(fc.uniqueArray(refs, { maxLength: 4 }), fc.constantFrom(...TLP_LEVELS), (markings, level) => {
        const object = indicator(markings.length > 0 ? { object_marking_refs: markings } : {});
        const own = tlpOfObject(object);
        const enforced = own && compareTlp(own, level) > 0 ? own : level;
        const out = withEffectiveTlp(object, enforced);
        expect(tlp2(out)).toEqual([TLP2_MARKING_DEFINITION_IDS[enforced]]);
        expect(tlpOfObject(out)).toBe(enforced);
        if (markings.includes(STATEMENT)) expect(out.object_marking_refs).toContain(STATEMENT);
      }),
    );
  });
});

describe('tlpMarkingDefinition', () => {
  it('is the OASIS TLP 2.0 definition: fixed id, name and extension', () => {
    expect(tlpMarkingDefinition('amber+strict')).toEqual({
      type: 'marking-definition',
      spec_version: '2.1',
      id: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
      created: '2022-10-01T00:00:00.000Z',
      name: 'TLP:AMBER+STRICT',
      extensions: {
        'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': { extension_type: 'property-extension', tlp_2_0: 'amber+strict' },
      },
    });
  });
});
