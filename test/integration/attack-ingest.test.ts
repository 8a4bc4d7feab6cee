import { readFileSync } from 'node:fs';
import { ATTACK_CORPUS, describeWithCorpus } from '../support/fixtures';
import { startSeededPlatform, type SeededPlatform } from '../support/platform';
import { settled, taxiiClient, type EnvelopeBody, type StatusBody } from '../support/taxii-client';
import { adminClient } from '../support/admin-client';

/** The whole MITRE ATT&CK corpus (24,771 STIX 2.0 objects) through the pipeline, as a provider would POST it. */
describeWithCorpus(ATTACK_CORPUS, 'the ATT&CK corpus through the pipeline', () => {
  let env: SeededPlatform;
  beforeAll(async () => {
    env = await startSeededPlatform('attack', { authorizerCacheSeconds: 60 });
  }, 60000);
  afterAll(async () => env?.platform.stop());

  it('ingests the ATT&CK corpus with no refusal the STIX specification does not justify', async () => {
    const corpus = JSON.parse(readFileSync(ATTACK_CORPUS.file, 'utf8')) as { objects: Array<Record<string, unknown>> };
    const provider = taxiiClient(env, 'fin-provider');
    const collectionId = env.demo.tenants[1]!.collections[0]!.id;
    const collection = `/fin-isac/collections/${collectionId}/`;
    // An ATT&CK collection publishes MITRE's custom properties and object types; without this they would be dropped.
    const policy = await adminClient(env, 'fin-admin').patch(`/admin/tenants/fin-isac/collections/${collectionId}`, {
      policy: { customProperties: ['x_mitre_*', 'x-mitre-*'] },
    });
    expect(policy.status).toBe(200);
    const statuses: StatusBody[] = [];
    // Envelopes under the API root's max_content_length (4 MiB), as a client chunks them.
    const envelopes: Array<Array<Record<string, unknown>>> = [[]];
    let bytes = 0;
    for (const object of corpus.objects) {
      const size = Buffer.byteLength(JSON.stringify(object)) + 1;
      if (bytes + size > 3_500_000) {
        envelopes.push([]);
        bytes = 0;
      }
      envelopes[envelopes.length - 1]!.push(object);
      bytes += size;
    }
    for (const objects of envelopes) {
      const posted = await provider.post<StatusBody>(`${collection}objects/`, { objects });
      expect(posted.status).toBe(202);
      statuses.push(posted.body);
    }
    const done = await Promise.all(statuses.map((s) => settled(provider, 'fin-isac', s.id, 420000)));
    const failures = done.flatMap((s) => s.failures.map((f) => f.message ?? ''));
    const waiting = done.flatMap((s) => s.pendings.map((p) => p.message ?? ''));
    const reasons = failures.map((m) =>
      m === 'filter: the object is revoked'
        ? 'filter: revoked'
        : / points at \S+, which is not published$/.test(m)
          ? 'anonymize: points at what is not published'
          : m,
    );

    expect(done.reduce((n, s) => n + s.total_count, 0)).toBe(24771);
    // No object refused as invalid STIX: only the collection's policy holds some back — revoked objects and the
    // author identity the tenant's identity replaces in an anonymous collection.
    expect(failures.filter((m) => m.startsWith('normalize:'))).toEqual([]);
    expect(new Set(reasons)).toEqual(new Set(['filter: revoked', 'anonymize: the identity of the provider or a victim is not published']));
    // Personal data waits for a moderator, and so does whatever refers to it.
    expect(
      new Set(
        waiting.map((m) =>
          m.includes('held for moderation') ? 'held' : / refers to \S+, which waits for moderation$/.test(m) ? 'refers' : m,
        ),
      ),
    ).toEqual(new Set(['held', 'refers']));
    expect(done.reduce((n, s) => n + s.success_count, 0)).toBeGreaterThan(24600);
    const technique = (await provider.get<EnvelopeBody>(`${collection}objects/?match[type]=attack-pattern&limit=1`)).body.objects[0]!;
    expect(technique).toHaveProperty('x_mitre_platforms');
  }, 480000);
});
