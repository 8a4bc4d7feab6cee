import { anonymizeObject, type AnonymizeContext } from '../../../shared/core/pipeline/anonymize';
import { victimMatcher } from '../../../shared/core/pipeline/victim-identifiers';

const KANTO = { memberId: 'member-kanto', names: ['関東電力', 'Kanto Power', 'KPC'], domains: ['kanto-power.co.jp'], emailDomains: ['kpc-mail.jp'], ipRanges: ['203.0.113.0/24'], brands: ['KantoGrid'], internalHostSuffixes: [], referencePrefixes: [] };
const PROVIDER_IDENTITY = 'identity--0d1c7a5e-0000-4000-8000-00000000a001';
const TENANT_IDENTITY = 'identity--0d1c7a5e-0000-4000-8000-00000000b002';

const context = (overrides: Partial<AnonymizeContext> = {}): AnonymizeContext => ({
  victims: victimMatcher([KANTO]),
  attribution: 'anonymous',
  tenantIdentityId: TENANT_IDENTITY,
  providerIdentityIds: new Set([PROVIDER_IDENTITY]),
  withheldIds: new Set(),
  ...overrides,
});

const published = (decision: ReturnType<typeof anonymizeObject>) => {
  if (decision.kind !== 'publish') throw new Error(`withheld: ${decision.reason}`);
  return decision.object;
};

describe('anonymize', () => {
  it('replaces the provider identity and leaks no trace of the victim, in English and Japanese', () => {
    const out = published(
      anonymizeObject(
        {
          type: 'indicator',
          id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
          created_by_ref: PROVIDER_IDENTITY,
          name: 'C2 used against Kanto Power',
          description: '関東電力の制御LAN (203.0.113.45) に侵入。KantoGrid の保守端末から mail.kanto-power.co.jp へ。C2 は 45.77.65.211',
          labels: ['kpc-incident', 'KPC'],
          pattern: "[ipv4-addr:value = '45.77.65.211']",
          pattern_type: 'stix',
          x_internal: { ticket: 'KPC-4711 reported by soc@kpc-mail.jp' },
        },
        context(),
      ),
    );

    expect(out.created_by_ref).toBe(TENANT_IDENTITY);
    expect(out.pattern).toBe("[ipv4-addr:value = '45.77.65.211']");
    expect(JSON.stringify(out)).not.toMatch(/kanto|関東電力|KantoGrid|203\.0\.113\.45|kpc-mail|"KPC"/i);
    expect(out.description).toContain('45.77.65.211');
    expect(out.labels).toEqual(['[REDACTED]-incident', '[REDACTED]']);
  });

  it('withholds a pattern that names the victim rather than publishing it half-redacted', () => {
    const decision = anonymizeObject(
      { type: 'indicator', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', pattern: "[email-message:to_refs[*].value = 'ceo@kanto-power.co.jp' AND email-message:from_ref.value = 'x@evil.example']", pattern_type: 'stix' },
      context(),
    );
    expect(decision).toEqual({ kind: 'withhold', reason: 'anonymize: the pattern names a victim and would be meaningless without it' });
  });

  it('withholds the provider identity, victim observables, and relationships that point at withheld objects', () => {
    const ctx = context({ withheldIds: new Set(['identity--0d1c7a5e-0000-4000-8000-00000000a001']) });
    expect(anonymizeObject({ type: 'identity', id: PROVIDER_IDENTITY, name: 'Kanto Power', identity_class: 'organization' }, ctx).kind).toBe('withhold');
    expect(anonymizeObject({ type: 'domain-name', id: 'domain-name--1', value: 'vpn.kanto-power.co.jp' }, ctx).kind).toBe('withhold');
    expect(anonymizeObject({ type: 'ipv4-addr', id: 'ipv4-addr--1', value: '203.0.113.9' }, ctx).kind).toBe('withhold');
    expect(anonymizeObject({ type: 'relationship', id: 'relationship--1', relationship_type: 'targets', source_ref: 'malware--1', target_ref: PROVIDER_IDENTITY }, ctx).kind).toBe('withhold');
  });

  it('keeps attack technical information untouched', () => {
    const malware = {
      type: 'malware', id: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b58abc', name: 'Industroyer2', is_family: true,
      description: 'Drops ioctl.exe (SHA-256 3e3ab9674142dec46ce389e9e759b6484e847f5c1e1fc682fc638fc837c13571), exploits CVE-2024-3400, talks to update-grid.example-c2.net',
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'execution' }],
    };
    expect(published(anonymizeObject(malware, context()))).toEqual(malware);
  });

  it('keeps the provider as author when the collection is attributed, still without victim data', () => {
    const out = published(anonymizeObject({ type: 'report', id: 'report--1', created_by_ref: PROVIDER_IDENTITY, name: 'Intrusion at KPC', object_refs: ['malware--1'], published: '2026-05-01T00:00:00Z' }, context({ attribution: 'attributed' })));
    expect(out.created_by_ref).toBe(PROVIDER_IDENTITY);
    expect(out.name).toBe('Intrusion at [REDACTED]');
  });

  it('drops external references to the victim own pages and redacts the rest', () => {
    const out = published(
      anonymizeObject(
        {
          type: 'vulnerability', id: 'vulnerability--1', name: 'CVE-2024-3400',
          external_references: [
            { source_name: 'cve', external_id: 'CVE-2024-3400' },
            { source_name: 'internal', url: 'https://intra.kanto-power.co.jp/incidents/42' },
            { source_name: 'blog', description: 'seen at Kanto Power', url: 'https://vendor.example/blog' },
          ],
        },
        context(),
      ),
    );
    expect(out.external_references).toEqual([
      { source_name: 'cve', external_id: 'CVE-2024-3400' },
      { source_name: 'blog', description: 'seen at [REDACTED]', url: 'https://vendor.example/blog' },
    ]);
  });
});
