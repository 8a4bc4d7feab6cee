import { createApiClient } from '../../cli/http-client';
import { tlpOfObject } from '../../shared/core/policy/tlp';
import { basic, demoUser, startSeededPlatform, type SeededPlatform } from '../support/platform';
import { indicator, share, taxiiClient, TLP, type EnvelopeBody, type TaxiiClient } from '../support/taxii-client';

/**
 * What leaves the hub keeps its scope, over HTTP: every object a member's tool receives — TAXII objects, one object,
 * its versions, the STIX export, search hits — carries its effective TLP as a TLP 2.0 marking reference, the marking
 * definitions resolve, and an anonymous collection names the tenant as the author. Read by the provider and by
 * members of every clearance the collection grants (AMBER consumer, GREEN reader).
 */
let env: SeededPlatform;
let provider: TaxiiClient;
let collection: string;
let tenantIdentity: string;

type Stix = Record<string, unknown> & { id: string };
const PROVIDER_IDENTITY = 'identity--6a1b2c3d-0000-4000-8000-0000000000fe';
const STATEMENT = 'marking-definition--6a1b2c3d-0000-4000-8000-0000000000f1';

const shared = {
  // The collection's default TLP is AMBER: enforced inside, and now said outside.
  unmarked: indicator({ name: 'unmarked', object_marking_refs: undefined }),
  green: indicator({ name: 'green' }),
  v1White: indicator({ name: 'tlp1-white', object_marking_refs: [TLP.v1White] }),
  amberWithStatement: indicator({ name: 'amber+statement', object_marking_refs: [TLP.amber, STATEMENT] }),
  authorless: {
    type: 'malware',
    spec_version: '2.1',
    id: 'malware--6a1b2c3d-0000-4000-8000-0000000000a1',
    created: '2026-05-01T00:00:00.000Z',
    modified: '2026-05-01T00:00:00.000Z',
    name: 'GridWiper',
    is_family: true,
    object_marking_refs: [TLP.green],
  },
  authored: {
    type: 'malware',
    spec_version: '2.1',
    id: 'malware--6a1b2c3d-0000-4000-8000-0000000000a2',
    created: '2026-05-01T00:00:00.000Z',
    modified: '2026-05-01T00:00:00.000Z',
    name: 'GridLoader',
    is_family: true,
    created_by_ref: PROVIDER_IDENTITY,
    object_marking_refs: [TLP.green],
  },
};
const statement = {
  type: 'marking-definition',
  spec_version: '2.1',
  id: STATEMENT,
  created: '2026-05-01T00:00:00.000Z',
  definition_type: 'statement',
  definition: { statement: 'Shared under the ISAC charter' },
};
const expectedTlp: Record<keyof typeof shared, string> = {
  unmarked: 'amber',
  green: 'green',
  v1White: 'clear',
  amberWithStatement: 'amber',
  authorless: 'green',
  authored: 'green',
};
const TLP2_IDS = [TLP.clear, TLP.green, TLP.amber, TLP.amberStrict, TLP.red];
const readers = ['ics-provider', 'ics-consumer', 'ics-reader'] as const;

/** What a member's tool would conclude about an object: its TLP 2.0 reference, and the TLP its markings state. */
function assertMarked(object: Stix): void {
  const name = Object.entries(shared).find(([, o]) => o.id === object.id)?.[0] as keyof typeof shared | undefined;
  if (!name) return;
  const refs = (object.object_marking_refs as string[] | undefined) ?? [];
  const tlp2 = refs.filter((ref) => TLP2_IDS.includes(ref));
  expect({ name, tlp2 }).toEqual({ name, tlp2: [TLP2_IDS[['clear', 'green', 'amber', 'amber+strict', 'red'].indexOf(expectedTlp[name])]] });
  expect({ name, tlp: tlpOfObject(object) }).toEqual({ name, tlp: expectedTlp[name] });
}

const visibleTo: Record<(typeof readers)[number], Array<keyof typeof shared>> = {
  'ics-provider': Object.keys(shared) as Array<keyof typeof shared>,
  'ics-consumer': Object.keys(shared) as Array<keyof typeof shared>,
  'ics-reader': ['green', 'v1White', 'authorless', 'authored'],
};

beforeAll(async () => {
  env = await startSeededPlatform('markings');
  provider = taxiiClient(env, 'ics-provider');
  const collectionId = env.demo.tenants[0]!.collections[0]!.id;
  collection = `/ics-isac/collections/${collectionId}/`;
  const status = await share(provider, collection, [statement, ...Object.values(shared)]);
  expect(status.failure_count).toBe(0);
  const tenant = await env.directory.getTenant('ics-isac');
  tenantIdentity = tenant!.identityId;
}, 120_000);
afterAll(async () => env?.platform.stop());

describe('every exit carries the effective TLP', () => {
  it.each(readers)('TAXII objects, one object and its versions, as %s reads them', async (username) => {
    const client = taxiiClient(env, username);
    const listed = await client.get<EnvelopeBody>(`${collection}objects/?limit=1000`);
    expect(listed.status).toBe(200);
    const objects = listed.body.objects as Stix[];
    expect(
      objects
        .map((o) => o.id)
        .filter((id) => Object.values(shared).some((s) => s.id === id))
        .sort(),
    ).toEqual(visibleTo[username].map((n) => shared[n].id).sort());
    objects.forEach(assertMarked);
    for (const name of visibleTo[username]) {
      const one = await client.get<EnvelopeBody>(`${collection}objects/${shared[name].id}/`);
      expect(one.status).toBe(200);
      (one.body.objects as Stix[]).forEach(assertMarked);
      const all = await client.get<EnvelopeBody>(`${collection}objects/${shared[name].id}/?match[version]=all`);
      (all.body.objects as Stix[]).forEach(assertMarked);
    }
  });

  it.each(readers)('the STIX export, self-contained, as %s reads it', async (username) => {
    const response = await fetch(`${env.platform.url}/ics-isac/exports/stix/`, {
      headers: { Authorization: basic(demoUser(env.demo, username)), Accept: '*/*' },
    });
    expect(response.status).toBe(200);
    const bundle = (await response.json()) as { objects: Stix[] };
    bundle.objects.forEach(assertMarked);
    const ids = new Set(bundle.objects.map((o) => o.id));
    for (const object of bundle.objects)
      for (const ref of (object.object_marking_refs as string[] | undefined) ?? [])
        expect({ ref, present: ids.has(ref) }).toEqual({ ref, present: true });
  });

  it.each(readers)('search hits, as %s reads them', async (username) => {
    const client = createApiClient({ endpoint: env.platform.url, authorization: basic(demoUser(env.demo, username)), retry: false });
    for (const name of visibleTo[username].filter((n) => shared[n].type === 'indicator')) {
      const value = /'([^']+)'/.exec((shared[name] as Record<string, unknown>).pattern as string)![1]!;
      const answer = await client.send<{ results: Array<{ hits: Array<{ object: Stix; tlp: string }> }> }>(
        'GET',
        `/ics-isac/search/?value=${encodeURIComponent(value)}`,
        {},
      );
      expect(answer.status).toBe(200);
      const [hit] = answer.body.results[0]!.hits;
      expect(hit!.tlp).toBe(expectedTlp[name]);
      assertMarked(hit!.object);
    }
  });

  it('keeps the markings the provider added besides TLP', async () => {
    const one = await taxiiClient(env, 'ics-consumer').get<EnvelopeBody>(`${collection}objects/${shared.amberWithStatement.id}/`);
    expect((one.body.objects as Stix[])[0]!.object_marking_refs).toEqual([TLP.amber, STATEMENT]);
  });
});

describe('the marking definitions resolve', () => {
  it.each(readers)('every TLP 2.0 definition is readable in the collection by %s, as OASIS publishes it', async (username) => {
    const client = taxiiClient(env, username);
    for (const [level, id] of [
      ['CLEAR', TLP.clear],
      ['GREEN', TLP.green],
      ['AMBER', TLP.amber],
      ['AMBER+STRICT', TLP.amberStrict],
      ['RED', TLP.red],
    ] as const) {
      const answer = await client.get<EnvelopeBody>(`${collection}objects/${id}/`);
      expect(answer.status).toBe(200);
      expect(answer.body.objects).toEqual([
        expect.objectContaining({ type: 'marking-definition', id, name: `TLP:${level}`, created: '2022-10-01T00:00:00.000Z' }),
      ]);
    }
  });

  it('is no way into a collection a member may not read', async () => {
    const foreign = await taxiiClient(env, 'fin-consumer').get(`${collection}objects/${TLP.amber}/`);
    expect(foreign.status).toBe(404);
  });
});

describe('authorship as documented', () => {
  it.each(readers)('an anonymous collection names the tenant as the author, never the provider, as %s reads it', async (username) => {
    const listed = await taxiiClient(env, username).get<EnvelopeBody>(`${collection}objects/?match[type]=malware,indicator`);
    const objects = listed.body.objects as Stix[];
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects)
      expect({ id: object.id, author: object.created_by_ref }).toEqual({ id: object.id, author: tenantIdentity });
    expect(JSON.stringify(listed.body)).not.toContain(PROVIDER_IDENTITY);
  });
});
