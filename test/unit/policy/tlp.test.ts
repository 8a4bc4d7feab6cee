import {
  compareTlp,
  isClearedFor,
  mostRestrictiveTlp,
  tlpOfMarkingRef,
  tlpOfObject,
  TLP1_MARKING_DEFINITION_IDS,
  TLP2_MARKING_DEFINITION_IDS,
} from '../../../shared/core/policy/tlp';
import { TLP_LEVELS } from '../../../shared/core/taxii/model';

// The published ids, spelled out here rather than taken from the module, so a typo there fails here.
const TLP2 = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  amberStrict: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};
const TLP1 = {
  white: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  green: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  amber: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  red: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
};
const STATEMENT_MARKING = 'marking-definition--d0b9f7f3-6b4a-4b6e-9b2c-2f0e5c1d7a11';

const indicator = (extra: Record<string, unknown>) => ({
  type: 'indicator',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  spec_version: '2.1',
  ...extra,
});

describe('TLP marking definitions', () => {
  it.each([
    [TLP2.clear, 'clear'],
    [TLP2.green, 'green'],
    [TLP2.amber, 'amber'],
    [TLP2.amberStrict, 'amber+strict'],
    [TLP2.red, 'red'],
    [TLP1.white, 'clear'],
    [TLP1.green, 'green'],
    [TLP1.amber, 'amber'],
    [TLP1.red, 'red'],
  ])('%s is TLP:%s', (ref, tlp) => {
    expect(tlpOfMarkingRef(ref)).toBe(tlp);
  });

  it('knows no TLP for other markings', () => {
    expect(tlpOfMarkingRef(STATEMENT_MARKING)).toBeUndefined();
    expect(tlpOfMarkingRef('TLP:RED')).toBeUndefined();
  });

  it('publishes the TLP 2.0 ids to write and the TLP 1.0 ids it reads', () => {
    expect(TLP2_MARKING_DEFINITION_IDS).toEqual({
      clear: TLP2.clear,
      green: TLP2.green,
      amber: TLP2.amber,
      'amber+strict': TLP2.amberStrict,
      red: TLP2.red,
    });
    expect(TLP1_MARKING_DEFINITION_IDS).toEqual(TLP1);
  });
});

describe('tlpOfObject', () => {
  it('is undefined for an object without TLP markings', () => {
    expect(tlpOfObject(indicator({}))).toBeUndefined();
    expect(tlpOfObject(indicator({ object_marking_refs: [STATEMENT_MARKING] }))).toBeUndefined();
  });

  it('takes the most restrictive of several, across TLP versions', () => {
    expect(tlpOfObject(indicator({ object_marking_refs: [TLP2.green, STATEMENT_MARKING, TLP1.amber] }))).toBe('amber');
    expect(tlpOfObject(indicator({ object_marking_refs: [TLP2.amberStrict, TLP1.amber] }))).toBe('amber+strict');
    expect(tlpOfObject(indicator({ object_marking_refs: [TLP1.white] }))).toBe('clear');
  });

  it('counts granular markings: a RED description makes the served object RED', () => {
    const object = indicator({
      object_marking_refs: [TLP2.green],
      granular_markings: [
        { marking_ref: TLP2.red, selectors: ['description'] },
        { lang: 'ja', selectors: ['name'] },
      ],
    });

    expect(tlpOfObject(object)).toBe('red');
  });

  it('ignores malformed marking properties rather than throwing', () => {
    expect(
      tlpOfObject(indicator({ object_marking_refs: 'not-a-list', granular_markings: [null, 42, { marking_ref: 7 }] })),
    ).toBeUndefined();
    expect(tlpOfObject(indicator({ object_marking_refs: [null, TLP2.green] }))).toBe('green');
  });
});

describe('TLP order', () => {
  it('runs clear < green < amber < amber+strict < red', () => {
    const shuffled = ['red', 'clear', 'amber+strict', 'green', 'amber'] as const;

    expect([...shuffled].sort(compareTlp)).toEqual([...TLP_LEVELS]);
    expect(mostRestrictiveTlp(['green', 'amber', 'clear'])).toBe('amber');
    expect(mostRestrictiveTlp([])).toBeUndefined();
  });

  it('clears a reader for its level and everything below it, nothing above', () => {
    expect(isClearedFor('amber', 'amber')).toBe(true);
    expect(isClearedFor('amber', 'green')).toBe(true);
    expect(isClearedFor('amber', 'amber+strict')).toBe(false);
    expect(isClearedFor('clear', 'green')).toBe(false);
    expect(isClearedFor('red', 'red')).toBe(true);
  });
});
