import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSeededPlatform, type SeededPlatform } from '../support/platform';
import { adminClient, type AdminClient } from '../support/admin-client';
import { eventually } from '../support/eventually';
import { indicator, share, taxiiClient, TLP, type TaxiiClient } from '../support/taxii-client';

/**
 * No oracle in the alert ledger (docs/alerts.md, "Acknowledgement, ledger, escalation"): a tenant admin reads only the
 * alerts about versions it may read by the TAXII read rules. Each case compares what the admin reads before a hidden
 * object is alerted ("it does not exist") with what it reads after ("it exists"): the same listings, and for the
 * hidden alert the 404 of an alert that never was.
 */

const T = '/admin/tenants/ics-isac';
let env: SeededPlatform;
let admin: AdminClient;
let consumerAdmin: AdminClient;
let providerAdmin: AdminClient;
let provider: TaxiiClient;
let receiver: Server;
let redPath: string;
let sharedPath: string;
let visibleAlert: string;

interface Listing {
  alerts: Array<{ alertId: string; objectId: string; title: string }>;
}
interface ErrorBody {
  title: string;
  description: string;
  http_status: string;
  error_id: string;
}

async function collection(title: string, grants: Array<[string, Record<string, unknown>]>): Promise<string> {
  const created = await admin.post<{ id: string }>(`${T}/collections`, { title, defaultTlp: 'green', policy: { alert: 'all' } });
  expect(created.status).toBe(201);
  for (const [memberId, grant] of grants) {
    const put = await admin.put(`${T}/grants`, { collectionId: created.body.id, grantee: { kind: 'member', memberId }, ...grant });
    expect(put.status).toBe(200);
  }
  return `/ics-isac/collections/${created.body.id}/`;
}

/** Shares one object and waits until hokuriku-water, a recipient, finds its alert in its own ledger. */
async function alerted(path: string, object: Record<string, unknown> & { id: string }): Promise<string> {
  await share(provider, path, [object]);
  const mine = await eventually(
    () => consumerAdmin.get<Listing>(`${T}/alerts`).then((r) => r.body.alerts.find((a) => a.objectId === object.id)),
    (a) => a !== undefined,
  );
  return mine!.alertId;
}

/** What the admin reads of the ledger: listings of several sizes, and the alerts it was told about. */
async function adminReads(alertIds: string[]) {
  return {
    listings: await Promise.all([1, 2, 100].map((limit) => admin.get<Listing>(`${T}/alerts?limit=${limit}`).then((r) => r.body))),
    // error_id is the request id, the one part of an answer that differs between any two requests.
    shown: await Promise.all(
      alertIds.map((id) =>
        admin.get(`${T}/alerts/${id}`).then((r) => ({ status: r.status, body: r.status === 200 ? r.body : { ...r.body, error_id: '*' } })),
      ),
    ),
  };
}

/** A 404 body without the alert id it names. */
const shape = (body: ErrorBody, alertId: string) => ({ ...body, description: body.description.replace(alertId, '<id>') });

beforeAll(async () => {
  env = await startSeededPlatform('ledger-oracle');
  admin = adminClient(env, 'ics-admin');
  consumerAdmin = adminClient(env, 'ics-consumer');
  providerAdmin = adminClient(env, 'ics-provider');
  provider = taxiiClient(env, 'ics-provider');
  receiver = createServer((_req, res) => res.writeHead(204).end());
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  expect((await consumerAdmin.post(`${T}/members/hokuriku-water/subscriptions`, { channel: { kind: 'webhook', url } })).status).toBe(201);
  // The secretariat (the tenant admin's member) has no grant on the RED collection, and GREEN only on the shared one.
  redPath = await collection('Red warnings', [
    ['kanto-power', { read: true, write: true, clearance: 'red' }],
    ['hokuriku-water', { read: true, write: false, clearance: 'red' }],
  ]);
  sharedPath = await collection('Shared warnings', [
    ['kanto-power', { read: true, write: true, clearance: 'red' }],
    ['hokuriku-water', { read: true, write: false, clearance: 'red' }],
    ['secretariat', { read: true, write: false, clearance: 'green' }],
  ]);
  visibleAlert = await alerted(sharedPath, indicator({ name: 'visible to the secretariat' }));
}, 120_000);

afterAll(async () => {
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
  await env?.platform.stop();
});

describe('the alert ledger answers a tenant admin as if what it may not read did not exist', () => {
  it('a TLP:RED object that does not name the admin’s member, in a collection it has no grant on', async () => {
    const never = 'alert--00000000-0000-5000-8000-000000000000';
    const before = await adminReads([visibleAlert, never]);
    expect(before.listings[0]!.alerts.map((a) => a.alertId)).toEqual([visibleAlert]);

    const red = indicator({
      name: 'RED title the secretariat must not read',
      object_marking_refs: [TLP.red],
      x_kyoyu_recipients: ['hokuriku-water'],
    });
    const hidden = await alerted(redPath, red);
    // As elsewhere in the tenant: the admin's TAXII read of the object is a 404.
    expect((await taxiiClient(env, 'ics-admin').get(`${redPath}objects/${red.id}/`)).status).toBe(404);

    const after = await adminReads([visibleAlert, never, hidden]);
    expect(after.listings).toEqual(before.listings);
    expect(after.shown.slice(0, 2)).toEqual(before.shown);
    expect(after.shown[2]!.status).toBe(404);
    expect(shape(after.shown[2]!.body as unknown as ErrorBody, hidden)).toEqual(
      shape(before.shown[1]!.body as unknown as ErrorBody, never),
    );
    expect(JSON.stringify(after)).not.toMatch(/RED title/);
    expect(JSON.stringify(after.listings)).not.toContain(red.id);

    // The recipient still reads its own alert; the provider its counts, nobody named.
    expect((await consumerAdmin.get<{ title: string }>(`${T}/alerts/${hidden}`)).body.title).toBe(red.name);
    const counts = await providerAdmin.get(`${T}/alerts/${hidden}`);
    expect(counts.status).toBe(200);
    expect(JSON.stringify(counts.body)).not.toMatch(/hokuriku-water|RED title/);
  }, 60_000);

  it('an AMBER object in a collection the admin reads at GREEN only, alerted several times', async () => {
    const before = await adminReads([visibleAlert]);
    const hidden: string[] = [];
    // More hidden alerts than the smaller pages hold: the listing reads on past them.
    for (const n of [1, 2, 3])
      hidden.push(await alerted(sharedPath, indicator({ name: `AMBER title ${n}`, object_marking_refs: [TLP.amber] })));
    const after = await adminReads([visibleAlert, ...hidden]);
    expect(after.listings).toEqual(before.listings);
    expect(after.shown.slice(1).map((s) => s.status)).toEqual([404, 404, 404]);
    expect(JSON.stringify(after)).not.toMatch(/AMBER title/);
  }, 60_000);

  it('an object the admin may read is listed with its recipients and counts', async () => {
    const green = await alerted(sharedPath, indicator({ name: 'green for all' }));
    const listing = await admin.get<Listing>(`${T}/alerts?limit=1`);
    expect(listing.body.alerts.map((a) => a.alertId)).toEqual([green]);
    const shown = await admin.get<{ recipients: Array<{ memberId: string }>; counts: { recipients: number } }>(`${T}/alerts/${green}`);
    expect(shown.body.recipients.map((r) => r.memberId)).toEqual(['hokuriku-water']);
    expect(shown.body.counts.recipients).toBe(1);
  }, 60_000);
});
