import { createApiClient } from '../../cli/http-client';
import { adminClient } from '../support/admin-client';
import { basic, startSeededPlatform, type SeededPlatform } from '../support/platform';
import {
  attackerAddress,
  indicator,
  settled,
  share,
  taxiiClient,
  TLP,
  type EnvelopeBody,
  type StatusBody,
  type TaxiiClient,
} from '../support/taxii-client';

/**
 * Dedupe is no oracle, over HTTP: a member that reads the collection below the scope it marks its report with (a
 * GREEN-cleared analyst posting AMBER) learns the same whether or not another member already shared the same value
 * at that scope — its status, its own object, the collection as it reads it, the corroboration. Each world is played
 * with its own value: "hidden" where ics-consumer shared it at AMBER first, "fresh" where nobody did.
 */
let env: SeededPlatform;
let collection: string;
let analyst: ReturnType<typeof analystClient>;

function analystClient(password: string) {
  const client = createApiClient({
    endpoint: env.platform.url,
    authorization: basic({ username: 'vendor-analyst', password }),
    retry: false,
  });
  return {
    get: async <T>(path: string) => {
      const answer = await client.send<T>('GET', path, { taxii: true });
      return { status: answer.status, body: answer.body };
    },
    post: async <T>(path: string, body: unknown) => {
      const answer = await client.send<T>('POST', path, { taxii: true, body });
      return { status: answer.status, body: answer.body };
    },
  };
}

beforeAll(async () => {
  env = await startSeededPlatform('dedupe-oracle');
  const collectionId = env.demo.tenants[0]!.collections[0]!.id;
  collection = `/ics-isac/collections/${collectionId}/`;
  const admin = adminClient(env, 'ics-admin');
  // control-vendor reads and writes the collection, cleared for GREEN only; its analyst can post.
  const grant = await admin.put('/admin/tenants/ics-isac/grants', {
    collectionId,
    grantee: { kind: 'member', memberId: 'control-vendor' },
    read: true,
    write: true,
    clearance: 'green',
  });
  expect(grant.status).toBe(200);
  const user = await admin.post<{ password: string }>('/admin/tenants/ics-isac/members/control-vendor/users', {
    username: 'vendor-analyst',
    role: 'analyst',
  });
  expect(user.status).toBe(201);
  analyst = analystClient(user.body.password);
}, 120_000);
afterAll(async () => env?.platform.stop());

/** What the analyst can observe after posting `object`: ids replaced by their role, so two worlds compare. */
async function observe(object: Record<string, unknown> & { id: string }) {
  const posted = await analyst.post<StatusBody>(`${collection}objects/`, { objects: [object] });
  expect(posted.status).toBe(202);
  const status = await settled(analyst as unknown as TaxiiClient, 'ics-isac', posted.body.id);
  const own = await analyst.get<EnvelopeBody>(`${collection}objects/${object.id}/`);
  const all = await analyst.get<EnvelopeBody>(`${collection}objects/?limit=1000`);
  const value = /'([^']+)'/.exec(object.pattern as string)![1]!;
  const mentioning = (all.body.objects as Array<Record<string, unknown>>).filter(
    (o) => JSON.stringify(o).includes(value) || o.type === 'sighting',
  );
  const anon = (text: string) =>
    text
      .replaceAll(object.id, '<own>')
      .replaceAll(value, '<value>')
      .replace(/sighting--[0-9a-f-]+/g, '<sighting>');
  return anon(
    JSON.stringify({
      status: {
        total: status.total_count,
        success: status.success_count,
        failure: status.failure_count,
        pending: status.pending_count,
        successes: status.successes,
        failures: status.failures,
      },
      own: { status: own.status, ids: ((own.body.objects ?? []) as Array<{ id: string }>).map((o) => o.id) },
      collection: mentioning.map((o) => ({ id: o.id, type: o.type, count: o.count })),
    }),
  );
}

describe('dedupe tells a low-cleared reporter nothing about what it may not see', () => {
  it('answers the same whether or not an AMBER object states the same value already', async () => {
    const hiddenValue = attackerAddress();
    const hidden = indicator({ pattern: `[ipv4-addr:value = '${hiddenValue}']`, object_marking_refs: [TLP.amber] });
    const first = await share(taxiiClient(env, 'ics-consumer'), collection, [hidden]);
    expect(first.success_count).toBe(1);

    const sameValue = indicator({ pattern: `[ipv4-addr:value = '${hiddenValue}']`, object_marking_refs: [TLP.amber] });
    const freshValue = attackerAddress();
    const fresh = indicator({ pattern: `[ipv4-addr:value = '${freshValue}']`, object_marking_refs: [TLP.amber] });

    const whenHidden = await observe(sameValue);
    const whenFresh = await observe(fresh);
    expect(whenHidden).toEqual(whenFresh);
    // And what it sees is its own report, published: a 200, no sighting, no foreign id.
    expect(JSON.parse(whenFresh).own).toEqual({ status: 200, ids: ['<own>'] });
    expect(whenHidden).not.toContain(hidden.id);
  });

  it('still merges for a reporter that may read the object, and the corroboration sighting reaches only those who may', async () => {
    const value = attackerAddress();
    const first = indicator({ pattern: `[ipv4-addr:value = '${value}']`, object_marking_refs: [TLP.amber] });
    await share(taxiiClient(env, 'ics-consumer'), collection, [first]);
    const second = indicator({ pattern: `[ipv4-addr:value = '${value}']`, object_marking_refs: [TLP.amber] });
    const status = await share(taxiiClient(env, 'ics-provider'), collection, [second]);
    expect(status.successes?.[0]?.message).toContain(first.id);
    const sightingsFor = async (read: (path: string) => Promise<{ body: EnvelopeBody }>) =>
      ((await read(`${collection}objects/?match[type]=sighting&limit=1000`)).body.objects as Array<Record<string, unknown>>).filter(
        (o) => o.sighting_of_ref === first.id,
      );
    expect((await sightingsFor((p) => taxiiClient(env, 'ics-provider').get<EnvelopeBody>(p))).map((s) => s.count)).toEqual([2]);
    expect(await sightingsFor((p) => taxiiClient(env, 'ics-reader').get<EnvelopeBody>(p))).toEqual([]);
  });
});
