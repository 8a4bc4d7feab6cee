import {
  anonymizeObject,
  anonymizeSubmission,
  type AnonymizeContext,
  type AnonymizeVerdict,
} from '../../../shared/core/pipeline/anonymize';
import { victimMatcher, type VictimIdentifiers } from '../../../shared/core/pipeline/victim-identifiers';
import type { StixObject } from '../../../shared/core/taxii/model';

const KANTO: VictimIdentifiers = {
  memberId: 'kanto-power',
  names: ['関東電力', 'Kanto Power', 'KPC'],
  domains: ['kanto-power.co.jp'],
  emailDomains: ['kpc-mail.jp'],
  ipRanges: ['203.0.113.0/24'],
  brands: ['KantoGrid'],
  internalHostSuffixes: ['corp.kpc.local'],
  referencePrefixes: ['KP-SEC-'],
};
const HOKURIKU: VictimIdentifiers = {
  memberId: 'hokuriku-water',
  names: ['Hokuriku Water'],
  domains: ['hokuriku-water.jp'],
  emailDomains: [],
  ipRanges: [],
  brands: [],
  internalHostSuffixes: [],
  referencePrefixes: [],
};
const PROVIDER_IDENTITY = 'identity--0d1c7a5e-0000-4000-8000-00000000a001';
const TENANT_IDENTITY = 'identity--0d1c7a5e-0000-4000-8000-00000000b002';
/** What members read of an SDO or SRO in an anonymous collection: the tenant as its author. */
const authored = <T extends object>(object: T) => ({ ...object, created_by_ref: TENANT_IDENTITY });
const TLP_GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';

const context = (overrides: Partial<AnonymizeContext> = {}): AnonymizeContext => ({
  victims: victimMatcher([KANTO, HOKURIKU]),
  attribution: 'anonymous',
  tenantIdentityId: TENANT_IDENTITY,
  customProperties: [],
  ...overrides,
});

const published = (verdict: AnonymizeVerdict) => {
  if (verdict.kind !== 'publish') throw new Error(`withheld: ${verdict.reason}`);
  return verdict.object;
};
const ids = (objects: StixObject[], verdicts: AnonymizeVerdict[]) =>
  objects.filter((_, i) => verdicts[i]!.kind === 'publish').map((o) => o.id);

const domain = {
  type: 'domain-name',
  spec_version: '2.1',
  id: 'domain-name--6f3c3bd4-0d0c-5c44-8f0f-4d0d0a3c7a11',
  value: 'vpn.kanto-power.co.jp',
};
const address = { type: 'ipv4-addr', spec_version: '2.1', id: 'ipv4-addr--1c2d3e4f-0000-5000-8000-000000000001', value: '203.0.113.9' };
const malware = {
  type: 'malware',
  spec_version: '2.1',
  id: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b58abc',
  created: '2026-05-01T00:00:00.000Z',
  modified: '2026-05-01T00:00:00.000Z',
  name: 'Industroyer2',
  is_family: true,
};
const relationship = (id: string, source: string, target: string) => ({
  type: 'relationship',
  spec_version: '2.1',
  id,
  created: '2026-05-01T00:00:00.000Z',
  modified: '2026-05-01T00:00:00.000Z',
  relationship_type: 'communicates-with',
  source_ref: source,
  target_ref: target,
});

describe('anonymize: one object', () => {
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

  it('withholds a pattern that names the victim, in any spelling, rather than publishing it half-redacted', () => {
    for (const literal of [
      'ceo@kanto-power.co.jp',
      'ｍａｉｌ．ｋａｎｔｏ－ｐｏｗｅｒ．ｃｏ．ｊｐ',
      'kanto-power[.]co[.]jp',
      '203.0.113.010',
      '3405803786',
    ]) {
      const verdict = anonymizeObject(
        {
          type: 'indicator',
          id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
          pattern: `[domain-name:value = '${literal}' AND x:y = 'x@evil.example']`,
          pattern_type: 'stix',
        },
        context(),
      );
      expect(verdict).toEqual({
        kind: 'withhold',
        reason: 'anonymize: the pattern names a victim and would be meaningless without it',
        members: ['kanto-power'],
      });
    }
  });

  it('withholds victim observables, and one whose id is computed from a victim name', () => {
    expect(anonymizeObject(domain, context()).kind).toBe('withhold');
    expect(anonymizeObject(address, context()).kind).toBe('withhold');
    expect(
      anonymizeObject({ type: 'file', id: 'file--1', name: 'Kanto Power payroll.xlsx', hashes: { 'SHA-256': 'ab'.repeat(32) } }, context()),
    ).toMatchObject({ kind: 'withhold', reason: expect.stringContaining('file name') });
  });

  it('in an anonymous collection withholds every identity the provider sends, cited or not, except classes', () => {
    expect(
      anonymizeObject({ type: 'identity', id: PROVIDER_IDENTITY, name: 'Some Org', identity_class: 'organization' }, context()).kind,
    ).toBe('withhold');
    expect(anonymizeObject({ type: 'identity', id: 'identity--2', name: 'SOC team', identity_class: 'individual' }, context()).kind).toBe(
      'withhold',
    );
    expect(
      anonymizeObject(
        { type: 'identity', id: 'identity--3', name: 'Energy sector', identity_class: 'class', sectors: ['energy'] },
        context(),
      ).kind,
    ).toBe('publish');
    expect(
      anonymizeObject(
        { type: 'identity', id: 'identity--4', name: 'Some Org', identity_class: 'organization' },
        context({ attribution: 'attributed' }),
      ).kind,
    ).toBe('publish');
    expect(
      anonymizeObject(
        { type: 'identity', id: 'identity--5', name: 'Kanto Power', identity_class: 'organization' },
        context({ attribution: 'attributed' }),
      ).kind,
    ).toBe('withhold');
  });

  it('keeps attack technical information untouched', () => {
    const technical = {
      ...malware,
      description:
        'Drops ioctl.exe (SHA-256 3e3ab9674142dec46ce389e9e759b6484e847f5c1e1fc682fc638fc837c13571), exploits CVE-2024-3400, talks to update-grid.example-c2.net',
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'execution' }],
    };
    expect(published(anonymizeObject(technical, context()))).toEqual(authored(technical));
  });

  it('keeps the provider as author when the collection is attributed, still without victim data', () => {
    const out = published(
      anonymizeObject(
        {
          type: 'report',
          id: 'report--1',
          created_by_ref: PROVIDER_IDENTITY,
          name: 'Intrusion at KPC',
          object_refs: ['malware--1'],
          published: '2026-05-01T00:00:00Z',
        },
        context({ attribution: 'attributed' }),
      ),
    );
    expect(out.created_by_ref).toBe(PROVIDER_IDENTITY);
    expect(out.name).toBe('Intrusion at [REDACTED]');
  });

  it('drops external references to the victim own pages and redacts the rest', () => {
    const out = published(
      anonymizeObject(
        {
          type: 'vulnerability',
          id: 'vulnerability--1',
          name: 'CVE-2024-3400',
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

describe('anonymize: who members read as the author', () => {
  it('names the tenant as the author of every SDO and SRO of an anonymous collection, named or not, and of nothing else', () => {
    const unnamed = { ...malware, id: 'malware--7' };
    delete (unnamed as Record<string, unknown>).created_by_ref;
    expect(published(anonymizeObject(unnamed, context())).created_by_ref).toBe(TENANT_IDENTITY);
    expect(published(anonymizeObject({ ...malware, created_by_ref: PROVIDER_IDENTITY }, context())).created_by_ref).toBe(TENANT_IDENTITY);
    const rel = relationship('relationship--7', malware.id, 'attack-pattern--1');
    expect(published(anonymizeObject(rel, context())).created_by_ref).toBe(TENANT_IDENTITY);
    // Observables have no author (STIX 2.1 §6); a marking definition keeps the one it has, or none.
    expect(published(anonymizeObject({ type: 'ipv4-addr', id: 'ipv4-addr--7', value: '45.33.30.7' }, context()))).not.toHaveProperty(
      'created_by_ref',
    );
    const statement = {
      type: 'marking-definition',
      id: 'marking-definition--7',
      definition_type: 'statement',
      definition: { statement: 'x' },
    };
    expect(published(anonymizeObject(statement, context()))).not.toHaveProperty('created_by_ref');
  });

  it('leaves authorship as the provider gave it in an attributed collection', () => {
    const unnamed = { ...malware, id: 'malware--8' };
    delete (unnamed as Record<string, unknown>).created_by_ref;
    expect(published(anonymizeObject(unnamed, context({ attribution: 'attributed' })))).not.toHaveProperty('created_by_ref');
  });
});

describe('anonymize: only STIX 2.1 properties, unless the collection allows more', () => {
  const withCustom = {
    ...malware,
    x_internal_ticket: 'INC-2024-0412',
    x_mitre_platforms: ['Windows', 'KantoGrid HMI'],
    unknown_property: 'x',
    extensions: { 'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e': { extension_type: 'property-extension', rank: 5 } },
  };

  it('drops custom and unknown properties and custom extensions by default', () => {
    expect(published(anonymizeObject(withCustom, context()))).toEqual(authored(malware));
  });

  it('publishes what the policy allows by name or prefix, redacted', () => {
    const out = published(
      anonymizeObject(
        withCustom,
        context({ customProperties: ['x_mitre_*', 'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e'] }),
      ),
    );
    expect(out).toEqual(authored({ ...malware, x_mitre_platforms: ['Windows', '[REDACTED] HMI'], extensions: withCustom.extensions }));
  });

  it('drops an allowed property whose name names a victim, and keys of nested structures likewise', () => {
    const out = published(
      anonymizeObject(
        { ...malware, x_kanto_power_notes: 'x', x_notes: { 'srv.kanto-power.co.jp': 'owned', other: 'ok' } },
        context({ customProperties: ['x_k*', 'x_notes'] }),
      ),
    );
    expect(out).toEqual(authored({ ...malware, x_notes: { other: 'ok' } }));
  });

  it('keeps predefined extensions, holding them to their own property sets', () => {
    const archive = {
      type: 'file',
      id: 'file--2',
      hashes: { MD5: 'a'.repeat(32) },
      extensions: { 'archive-ext': { contains_refs: ['file--3'], comment: 'dropper kit', x_secret: 'INC-1' } },
    };
    expect(published(anonymizeObject(archive, context()))).toEqual({
      ...archive,
      extensions: { 'archive-ext': { contains_refs: ['file--3'], comment: 'dropper kit' } },
    });
    // A file's id is computed from its extensions too: one that names a victim there is withheld, not redacted.
    const named = { ...archive, extensions: { 'archive-ext': { contains_refs: ['file--3'], comment: 'from KPC' } } };
    expect(anonymizeObject(named, context())).toMatchObject({
      kind: 'withhold',
      reason: 'anonymize: file extensions identifies a victim, and its id is computed from it',
    });
  });

  it('withholds custom object types unless the policy allows them', () => {
    const tactic = { type: 'x-mitre-tactic', id: 'x-mitre-tactic--1', name: 'Execution', x_mitre_shortname: 'execution' };
    expect(anonymizeObject(tactic, context())).toMatchObject({
      kind: 'withhold',
      reason: expect.stringContaining('custom object type x-mitre-tactic'),
    });
    expect(published(anonymizeObject(tactic, context({ customProperties: ['x-mitre-*', 'x_mitre_*'] })))).toEqual(authored(tactic));
  });
});

describe('anonymize: a whole submission, references followed at any depth', () => {
  it('withholds a relationship to a withheld observable whatever the order', () => {
    const rel = relationship('relationship--1', malware.id, domain.id);
    for (const objects of [
      [rel, malware, domain],
      [domain, rel, malware],
    ] as StixObject[][]) {
      const verdicts = anonymizeSubmission(objects, context(), new Set());
      expect(ids(objects, verdicts)).toEqual([malware.id]);
      expect(verdicts[objects.indexOf(rel)]).toEqual({
        kind: 'withhold',
        reason: `anonymize: target_ref points at ${domain.id}, which is not published`,
        members: ['kanto-power'],
      });
    }
  });

  it('withholds an observable that references a withheld one (network-traffic to the victim address)', () => {
    const traffic = { type: 'network-traffic', id: 'network-traffic--1', src_ref: 'ipv4-addr--9', dst_ref: address.id, protocols: ['tcp'] };
    const objects = [traffic, address] as StixObject[];
    expect(ids(objects, anonymizeSubmission(objects, context(), new Set()))).toEqual([]);
  });

  it('removes optional references and keeps the object: report entries, granular markings, nested refs', () => {
    const statement = {
      type: 'marking-definition',
      id: 'marking-definition--1',
      definition_type: 'statement',
      definition: { statement: 'Copyright Kanto Power' },
      created: '2026-01-01T00:00:00Z',
    };
    const report = {
      type: 'report',
      id: 'report--1',
      name: 'r',
      published: '2026-05-01T00:00:00Z',
      object_refs: [malware.id, domain.id],
      granular_markings: [
        { marking_ref: statement.id, selectors: ['name'] },
        { marking_ref: TLP_GREEN, selectors: ['description'] },
      ],
    };
    const archive = {
      type: 'file',
      id: 'file--2',
      hashes: { MD5: 'a'.repeat(32) },
      extensions: { 'archive-ext': { contains_refs: ['file--3'] } },
    };
    const objects = [report, malware, domain, statement, archive] as StixObject[];
    const verdicts = anonymizeSubmission(objects, context(), new Set(['file--3']));
    // The statement names the victim in its text only: it is published redacted, so the report keeps it.
    expect(published(verdicts[0]!)).toEqual(authored({ ...report, object_refs: [malware.id] }));
    // An observable's references are part of what it is: the archive goes with the file it contains.
    expect(verdicts[4]!.kind).toBe('withhold');
  });

  it('withholds a report whose every entry is withheld, and follows chains to the end', () => {
    const rel1 = relationship('relationship--1', malware.id, domain.id);
    const rel2 = relationship('relationship--2', 'relationship--1', malware.id);
    const report = { type: 'report', id: 'report--1', name: 'r', published: '2026-05-01T00:00:00Z', object_refs: [rel2.id] };
    const objects = [report, rel2, rel1, malware, domain] as StixObject[];
    expect(ids(objects, anonymizeSubmission(objects, context(), new Set()))).toEqual([malware.id]);
  });

  it('drops references to what an earlier stage refused or held', () => {
    const report = {
      type: 'report',
      id: 'report--1',
      name: 'r',
      published: '2026-05-01T00:00:00Z',
      object_refs: [malware.id, 'email-addr--held'],
    };
    const objects = [report, malware] as StixObject[];
    expect(published(anonymizeSubmission(objects, context(), new Set(['email-addr--held']))[0]!)).toEqual(
      authored({ ...report, object_refs: [malware.id] }),
    );
  });

  it('drops references to the provider identity, which is withheld in an anonymous collection', () => {
    const identity = { type: 'identity', id: PROVIDER_IDENTITY, name: 'Provider', identity_class: 'organization' };
    const sighting = {
      type: 'sighting',
      id: 'sighting--1',
      sighting_of_ref: malware.id,
      where_sighted_refs: [PROVIDER_IDENTITY],
      created_by_ref: PROVIDER_IDENTITY,
    };
    const attributedTo = relationship('relationship--9', malware.id, PROVIDER_IDENTITY);
    const objects = [sighting, identity, malware, attributedTo] as StixObject[];
    const verdicts = anonymizeSubmission(objects, context(), new Set());
    expect(ids(objects, verdicts)).toEqual([sighting.id, malware.id]);
    expect(JSON.stringify(verdicts.filter((v) => v.kind === 'publish'))).not.toContain(PROVIDER_IDENTITY);
  });

  it('settles an object the rules did not foresee, and only that one', () => {
    const hostile = { ...malware, id: 'malware--2' };
    Object.defineProperty(hostile, 'description', {
      enumerable: true,
      get: () => {
        throw new RangeError('boom');
      },
    });
    const objects = [hostile, malware] as StixObject[];
    const verdicts = anonymizeSubmission(objects, context(), new Set());
    expect(verdicts[0]).toEqual({ kind: 'withhold', reason: expect.stringContaining('could not be processed (RangeError)'), members: [] });
    expect(verdicts[1]!.kind).toBe('publish');
  });

  it('reports which member registry withheld or redacted each item', () => {
    const objects = [domain, { ...malware, description: 'seen at Hokuriku Water' }] as StixObject[];
    const verdicts = anonymizeSubmission(objects, context(), new Set());
    expect(verdicts[0]).toMatchObject({ kind: 'withhold', members: ['kanto-power'] });
    expect(verdicts[1]).toMatchObject({ kind: 'publish', redactedFor: ['hokuriku-water'] });
  });
});
