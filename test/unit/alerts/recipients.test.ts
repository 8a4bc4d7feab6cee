import fc from 'fast-check';
import { recipientsOf } from '../../../shared/core/alerts/recipients';
import type { StoredVersion, Tlp } from '../../../shared/core/taxii/model';
import { member, grant, subscription, version } from './fixtures';

describe('who receives an alert', () => {
  const members = [
    member('provider'),
    member('amber-reader'),
    member('green-reader'),
    member('red-named'),
    member('red-unnamed'),
    member('secret-opted', { secretOptIn: true }),
    member('suspended', { status: 'suspended' }),
  ];
  const grants = [
    grant('provider', 'amber'),
    grant('amber-reader', 'amber'),
    grant('green-reader', 'green'),
    grant('red-named', 'red'),
    grant('red-unnamed', 'red'),
    grant('secret-opted', 'amber'),
    grant('suspended', 'red'),
  ];
  const subscriptions = members.map((m) => subscription(m.id));
  const audience = { members, grants, groupsOf: new Map<string, string[]>(), subscriptions };
  const receivers = (v: StoredVersion, urgent = false) => [...recipientsOf(v, urgent, audience).keys()].sort();

  it('follows the TAXII read rules: clearance, RED recipients, the secret opt-in; never the provider or a suspended member', () => {
    expect(receivers(version('green'))).toEqual(['amber-reader', 'green-reader', 'red-named', 'red-unnamed', 'secret-opted']);
    expect(receivers(version('amber'))).toEqual(['amber-reader', 'red-named', 'red-unnamed', 'secret-opted']);
    expect(receivers(version('red', { recipients: ['red-named'] }))).toEqual(['red-named']);
    expect(receivers(version('amber', { secret: true }))).toEqual(['secret-opted']);
  });

  it('applies each subscription’s filters', () => {
    const only = (filters: Record<string, unknown>) => ({
      ...audience,
      subscriptions: [
        subscription('amber-reader', {
          filters: { collections: [], types: [], labels: [], minConfidence: 0, urgentOnly: false, ...filters },
        }),
      ],
    });
    const v = version('green', {}, { confidence: 60, labels: ['ransomware'] });
    expect([...recipientsOf(v, false, only({ urgentOnly: true })).keys()]).toEqual([]);
    expect([...recipientsOf(v, true, only({ urgentOnly: true })).keys()]).toEqual(['amber-reader']);
    expect([...recipientsOf(v, false, only({ minConfidence: 70 })).keys()]).toEqual([]);
    expect([...recipientsOf(v, false, only({ types: ['malware'] })).keys()]).toEqual([]);
    expect([...recipientsOf(v, false, only({ labels: ['ransomware'] })).keys()]).toEqual(['amber-reader']);
    expect([...recipientsOf(v, false, only({ collections: ['22222222-2222-4222-8222-222222222222'] })).keys()]).toEqual([]);
  });

  it('never sends a version to a member that could not read it over TAXII (any TLP, recipients, flags)', () => {
    const tlps: Tlp[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];
    fc.assert(
      fc.property(fc.constantFrom(...tlps), fc.subarray(members.map((m) => m.id)), fc.boolean(), (tlp, named, secret) => {
        const v = version(tlp, { recipients: named, secret });
        for (const id of receivers(v)) {
          const m = members.find((x) => x.id === id)!;
          const clearance = grants.find((g) => g.grantee.kind === 'member' && g.grantee.memberId === id)!.clearance;
          expect(tlps.indexOf(tlp)).toBeLessThanOrEqual(tlps.indexOf(clearance));
          if (tlp === 'red') expect(named).toContain(id);
          if (secret) expect(m.secretOptIn).toBe(true);
        }
      }),
    );
  });
});
