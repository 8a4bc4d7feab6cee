import { CollectionPolicySchema } from '../../../shared/core/pipeline/collection-policy';
import { DEFAULT_WARNING_LISTS } from '../../../shared/core/pipeline/default-warning-lists';
import { filterObject, funnelReason, type Observable } from '../../../shared/core/pipeline/filter';
import { compileWarningLists } from '../../../shared/core/pipeline/warning-lists';
import type { AccessScope, StixObject } from '../../../shared/core/taxii/model';

const NOW = Date.parse('2026-11-25T00:00:00Z');
const access = (tlp: AccessScope['tlp'] = 'green'): AccessScope => ({
  tlp,
  recipients: [],
  secret: false,
  providerMemberId: 'kanto-power',
});
const policy = (overrides: Record<string, unknown> = {}) => CollectionPolicySchema.parse(overrides);
const indicatorFor = (observables: Observable[], extra: Record<string, unknown> = {}): StixObject & { observables: Observable[] } => ({
  type: 'indicator',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  observables,
  ...extra,
});
const deps = {
  warningLists: compileWarningLists(DEFAULT_WARNING_LISTS),
  observablesOf: (o: StixObject) => (o as unknown as { observables?: Observable[] }).observables ?? [],
  now: () => NOW,
};

describe('filter stage decisions', () => {
  it('keeps attack infrastructure', () => {
    expect(filterObject(indicatorFor([{ kind: 'ip', value: '45.77.65.211' }]), access(), policy(), deps)).toEqual({ kind: 'keep' });
  });

  it('drops a known-benign value and names the value and the list', () => {
    const decision = filterObject(
      indicatorFor([
        { kind: 'ip', value: '45.77.65.211' },
        { kind: 'ip', value: '10.0.0.1' },
      ]),
      access(),
      policy(),
      deps,
    );
    expect(decision).toEqual({ kind: 'drop', reason: 'value 10.0.0.1 in warning list reserved-ipv4' });
    expect(funnelReason((decision as { reason: string }).reason)).toBe('warning list reserved-ipv4');
  });

  it('drops a network that holds a known-benign address, and keeps one that holds none', () => {
    expect(filterObject(indicatorFor([{ kind: 'ip', value: '10.0.0.0/8' }]), access(), policy(), deps)).toEqual({
      kind: 'drop',
      reason: 'value 10.0.0.0/8 in warning list reserved-ipv4',
    });
    expect(filterObject(indicatorFor([{ kind: 'ip', value: '0.0.0.0/0' }]), access(), policy(), deps)).toMatchObject({ kind: 'drop' });
    expect(filterObject(indicatorFor([{ kind: 'ip', value: '45.77.65.0/24' }]), access(), policy(), deps)).toEqual({ kind: 'keep' });
  });

  it('drops expired and revoked indicators', () => {
    expect(filterObject(indicatorFor([], { valid_until: '2026-01-01T00:00:00Z' }), access(), policy(), deps)).toEqual({
      kind: 'drop',
      reason: 'expired: valid_until 2026-01-01T00:00:00Z is past',
    });
    expect(filterObject(indicatorFor([], { revoked: true }), access(), policy(), deps)).toEqual({
      kind: 'drop',
      reason: 'the object is revoked',
    });
    expect(filterObject(indicatorFor([], { valid_until: '2027-01-01T00:00:00Z' }), access(), policy(), deps)).toEqual({ kind: 'keep' });
  });

  it('passes a revoked or expired version of an object the collection already publishes: its provider withdraws it', () => {
    expect(filterObject(indicatorFor([], { revoked: true }), access(), policy(), deps, true)).toEqual({ kind: 'keep' });
    expect(filterObject(indicatorFor([], { valid_until: '2026-01-01T00:00:00Z' }), access(), policy(), deps, true)).toEqual({
      kind: 'keep',
    });
    // The rest of the rules still hold for it.
    expect(filterObject(indicatorFor([], { revoked: true }), access('red'), policy({ tlpCeiling: 'amber' }), deps, true)).toMatchObject({
      kind: 'drop',
    });
  });

  it('applies the collection policy: TLP ceiling, accepted types, minimum confidence', () => {
    expect(filterObject(indicatorFor([]), access('red'), policy({ tlpCeiling: 'amber' }), deps)).toEqual({
      kind: 'drop',
      reason: "TLP:RED is above this collection's ceiling TLP:AMBER",
    });
    expect(
      filterObject(
        { type: 'note', id: 'note--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' },
        access(),
        policy({ allowedTypes: ['indicator'] }),
        deps,
      ),
    ).toMatchObject({ kind: 'drop' });
    expect(filterObject(indicatorFor([], { confidence: 20 }), access(), policy({ minConfidence: 50 }), deps)).toEqual({
      kind: 'drop',
      reason: "confidence 20 is below this collection's minimum 50",
    });
  });

  it('holds personal data in free text for a moderator, unless the policy says not to', () => {
    const object = indicatorFor([{ kind: 'ip', value: '45.77.65.211' }], { description: '担当: 03-1234-5678' });
    expect(filterObject(object, access(), policy(), deps)).toEqual({
      kind: 'hold',
      reason: 'held for moderation: description contains a phone number',
    });
    expect(filterObject(object, access(), policy({ holdPersonalData: false }), deps)).toEqual({ kind: 'keep' });
  });
});
