import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalIpv6, canonicalValue, refang, scoId } from '../../../shared/core/normalize/canonical';
import { normalize, normalizeObject } from '../../../shared/core/normalize/normalize';
import type { PipelineMessage } from '../../../shared/core/pipeline/message';
import type { StixObject } from '../../../shared/core/taxii/model';
import { ATTACK_CORPUS, CAPEC_CORPUS, describeWithCorpus, STIX_EXAMPLES } from '../../support/fixtures';

const corpus = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { spec_version?: string; objects: StixObject[] };

describeWithCorpus(ATTACK_CORPUS, 'STIX 2.0 → 2.1 on the ATT&CK corpus', () => {
  it('upgrades every object of the ATT&CK corpus (24,771 STIX 2.0 objects) to valid STIX 2.1', () => {
    const bundle = corpus(ATTACK_CORPUS.file);
    const refused = bundle.objects.map((o) => [o.id, normalizeObject(o, bundle.spec_version)] as const).filter(([, r]) => !r.ok);

    expect(bundle.objects.length).toBe(24771);
    expect(refused).toEqual([]);
  });
});

describe('STIX 2.0 → 2.1', () => {
  it('turns 2.0 labels into the 2.1 vocabularies and adds what 2.1 requires', () => {
    const result = normalizeObject({
      type: 'malware',
      id: 'malware--b5d7c9c3-4f43-4d8a-9a6e-4a6d7d1e3f10',
      created: '2017-05-31T21:32:58Z',
      modified: '2017-05-31T21:32:58Z',
      name: 'BlackEnergy',
      labels: ['malware'],
    });
    expect(result).toEqual({
      ok: true,
      upgraded: true,
      object: expect.objectContaining({
        spec_version: '2.1',
        malware_types: ['malware'],
        is_family: true,
        created: '2017-05-31T21:32:58.000Z',
      }),
    });
  });

  it('accepts every STIX 2.1 object of the CAPEC corpus and the OASIS examples unchanged in meaning', () => {
    const examples = readdirSync(STIX_EXAMPLES)
      .map((f) => join(STIX_EXAMPLES, f))
      .filter((p) => statSync(p).isFile() && p.endsWith('.json'))
      .flatMap((p) => (JSON.parse(readFileSync(p, 'utf8')) as { objects?: StixObject[] }).objects ?? []);
    const objects = [...corpus(CAPEC_CORPUS).objects, ...examples];
    const refused = objects.map((o) => [o.id, normalizeObject(o)] as const).filter(([, r]) => !r.ok);
    expect(objects.length).toBeGreaterThan(2683);
    expect(refused).toEqual([]);
  });
});

describe('validation', () => {
  it.each([
    [
      {
        type: 'indicator',
        spec_version: '2.1',
        id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
        created: '2026-01-01T00:00:00Z',
        modified: '2026-01-01T00:00:00Z',
        pattern: "[ipv4-addr:value '1.2.3.4']",
        pattern_type: 'stix',
        valid_from: '2026-01-01T00:00:00Z',
      },
      'pattern: expected a comparison operator after ipv4-addr:value at 17',
    ],
    [
      {
        type: 'indicator',
        spec_version: '2.1',
        id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
        created: '2026-01-01T00:00:00Z',
        modified: '2025-01-01T00:00:00Z',
        pattern: "[ipv4-addr:value = '1.2.3.4']",
        pattern_type: 'stix',
      },
      'modified: must not be earlier than created; valid_from: is required',
    ],
    [
      {
        type: 'relationship',
        spec_version: '2.1',
        id: 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
        created: '2026-01-01T00:00:00Z',
        modified: '2026-01-01T00:00:00Z',
        relationship_type: 'uses',
        source_ref: 'malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
        target_ref: 'identity--1e3f9d12-5c0e-4d8f-9a7a-2b2c8f1d7e55',
      },
      'id: names type malware but the object is a relationship',
    ],
    [{ type: 'file', spec_version: '2.1', id: 'file--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' }, 'hashes: one of hashes, name is required'],
  ])('refuses an invalid object with a precise reason (%#)', (object, reason) => {
    expect(normalizeObject(object as StixObject)).toEqual({ ok: false, reason });
  });

  it('refuses a pattern nested 10,000 deep with the nesting limit, instead of overflowing the stack', () => {
    const pattern = `${'('.repeat(10_000)}[ipv4-addr:value = '198.51.100.1']${')'.repeat(10_000)}`;
    const object = {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
      pattern,
      pattern_type: 'stix',
      valid_from: '2026-01-01T00:00:00Z',
    };

    const result = normalizeObject(object as StixObject);

    expect(result).toEqual({ ok: false, reason: 'pattern: parentheses and brackets nested deeper than 64 levels (the limit) at 64' });
  });
});

describe('canonical forms', () => {
  it('refangs and lower-cases where case carries no meaning', () => {
    expect(refang('hxxps://evil[.]example(dot)com/Path')).toBe('https://evil.example.com/Path');
    expect(canonicalValue('domain-name', 'EVIL[.]Example.')).toBe('evil.example');
    expect(canonicalValue('url', 'hxxp://EVIL.example/A?b=C')).toBe('http://evil.example/A?b=C');
    expect(canonicalValue('email-addr', 'Boss[@]Example.COM')).toBe('Boss@example.com');
    expect(canonicalIpv6('2001:0DB8:0000:0000:0000:ff00:0042:8329')).toBe('2001:db8::ff00:42:8329');
    expect(canonicalIpv6('2001:db8:0:1:0:0:0:1')).toBe('2001:db8:0:1::1');
  });

  it('gives the same observable the same deterministic id, whatever its spelling', () => {
    const a = normalizeObject({
      type: 'domain-name',
      spec_version: '2.1',
      id: 'domain-name--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      value: 'Evil[.]Example',
    });
    const b = normalizeObject({
      type: 'domain-name',
      spec_version: '2.1',
      id: 'domain-name--11111111-17d4-4cbf-938f-98ee46b3cd3f',
      value: 'evil.example',
    });
    if (!a.ok || !b.ok) throw new Error('expected both to normalise');
    expect(scoId('domain-name', a.object)).toBe(scoId('domain-name', b.object));
    expect(scoId('domain-name', a.object)).toMatch(/^domain-name--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('moves references within a submission to the deterministic ids', async () => {
    const message: PipelineMessage = {
      tenantId: 't',
      collectionId: 'c',
      statusId: 's',
      withheldIds: [],
      submittedAt: '2026-05-01T00:00:00.000Z',
      items: [
        {
          entry: 0,
          access: { tlp: 'green', recipients: [], secret: false, providerMemberId: 'p' },
          object: { type: 'ipv4-addr', spec_version: '2.1', id: 'ipv4-addr--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', value: '45.77.65.211' },
        },
        {
          entry: 1,
          access: { tlp: 'green', recipients: [], secret: false, providerMemberId: 'p' },
          object: {
            type: 'observed-data',
            spec_version: '2.1',
            id: 'observed-data--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
            created: '2026-05-01T00:00:00.000Z',
            modified: '2026-05-01T00:00:00.000Z',
            first_observed: '2026-05-01T00:00:00Z',
            last_observed: '2026-05-01T00:00:00Z',
            number_observed: 1,
            object_refs: ['ipv4-addr--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'],
          },
        },
      ],
    };
    const out = await normalize(message, { settle: async () => undefined });
    if (out.kind !== 'forward') throw new Error('expected forward');
    const [address, observed] = out.message.items.map((i) => i.object);
    expect(address!.id).toBe(scoId('ipv4-addr', { value: '45.77.65.211' }));
    expect(observed!.object_refs).toEqual([address!.id]);
  });
});
