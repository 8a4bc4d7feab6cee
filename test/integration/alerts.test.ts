import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { demoUser, startSeededPlatform, type SeededPlatform } from '../support/platform';
import { cliRunner } from '../support/cli';
import { adminClient, type AdminClient } from '../support/admin-client';
import { eventually } from '../support/eventually';
import { indicator, share, taxiiClient, TLP, type TaxiiClient } from '../support/taxii-client';
import { createDocumentClient } from '../../shared/runtime/aws-clients';
import { baseConfig } from '../../shared/runtime/config';
import { alertKeys } from '../../shared/adapters/dynamodb/keys';
import { URGENT_LABEL } from '../../shared/core/alerts/trigger';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { startLocalSmtp, type LocalSmtp } from '../../infra/local/smtp';
// The receiver example the documentation gives (docs/alerts.md): every delivery of these tests is verified with it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { verify } = require('../../docs/examples/alert-receiver.js') as {
  verify: (secret: string, headers: IncomingHttpHeaders, body: string) => boolean;
};

/**
 * Alerts (issue #16) end to end over HTTP: real webhook receivers (node:http, verifying every signature with the
 * documented example), the real queue, the ledger, acknowledgements and escalation.
 */

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  verified: boolean;
  payload: { type: string; data: Record<string, unknown> & { alert_id: string; tlp: string; acknowledge: { url: string; api: string } } };
}

/** A receiver on loopback: answers each request with the next scripted reply (then 204), records what it got. */
class Receiver {
  readonly received: Received[] = [];
  secret = '';
  private script: Array<'500' | '410' | 'hang' | '503-retry-after'> = [];
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.received.push({
          headers: req.headers,
          body,
          verified: verify(this.secret, req.headers, body),
          payload: JSON.parse(body) as Received['payload'],
        });
        const next = this.script.shift();
        if (next === 'hang') return; // never answers: the platform's timeout ends the attempt
        if (next === '500') return res.writeHead(500).end();
        if (next === '503-retry-after') return res.writeHead(503, { 'Retry-After': '1' }).end();
        if (next === '410') return res.writeHead(410).end();
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
    return this;
  }

  reply(...replies: Receiver['script']): void {
    this.script.push(...replies);
  }

  of(alertId: string): Received[] {
    return this.received.filter((r) => r.payload.data.alert_id === alertId);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const T = '/admin/tenants/ics-isac';
let env: SeededPlatform;
let admin: AdminClient;
let provider: TaxiiClient;
let consumerAdmin: AdminClient;
let readerAdmin: AdminClient;
let providerAdmin: AdminClient;
let alerting: string;
let alertingPath: string;
let smtp: LocalSmtp;
const receivers: Record<'water' | 'vendor' | 'secretariat' | 'escalation', Receiver> = {} as never;
const subscriptionOf: Record<string, string> = {};

async function subscribe(client: AdminClient, memberId: string, receiver: Receiver, extra: Record<string, unknown> = {}): Promise<string> {
  const created = await client.post<{ id: string; secret: string }>(`${T}/members/${memberId}/subscriptions`, {
    channel: { kind: 'webhook', url: receiver.url },
    ...extra,
  });
  expect(created.status).toBe(201);
  receiver.secret = created.body.secret;
  return created.body.id;
}

interface AlertBody {
  alertId: string;
  counts?: { recipients: number; delivered: number; acknowledged: number; escalated: number; failed: number };
  recipients?: Array<{
    memberId: string;
    deliveries: Record<string, { state: string; attempts: number; lastError?: string }>;
    acknowledged?: { by: string; via: string };
  }>;
  deliveries?: Array<{ state: string; attempts: number; lastError?: string }>;
}
interface AuditEntry {
  action: string;
  memberId?: string;
  actor: { username: string; memberId?: string };
  target?: { type: string; id: string };
  details?: Record<string, unknown>;
}

/** Every entry of a tenant's audit log as `client` reads it. */
async function auditLog(client: AdminClient): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let next: string | undefined;
  do {
    const page = await client.get<{ entries: AuditEntry[]; next?: string }>(`${T}/audit?limit=500${next ? `&next=${next}` : ''}`);
    expect(page.status).toBe(200);
    entries.push(...page.body.entries);
    next = page.body.next;
  } while (next);
  return entries;
}

const acknowledgements = async (alertId: string) =>
  (await auditLog(admin)).filter((e) => e.action === 'alert.acknowledge' && e.target?.id === alertId);

const alertAsAdmin = (alertId: string) => admin.get<AlertBody>(`${T}/alerts/${alertId}`).then((r) => r.body);

/** Shares one object and waits until `receiver` got its alert; returns that alert's id. */
async function alertFor(object: Record<string, unknown>, receiver: Receiver, collectionPath = alertingPath): Promise<string> {
  await share(provider, collectionPath, [object]);
  const got = await eventually(
    async () => receiver.received.find((r) => (r.payload.data.objects as Array<{ id: string }>)[0]!.id === object.id),
    (r) => r !== undefined,
  );
  return got!.payload.data.alert_id;
}

beforeAll(async () => {
  // The real local SMTP server npm start runs; its inbox is a folder of .eml files.
  smtp = await startLocalSmtp({ port: 0, inbox: mkdtempSync(join(tmpdir(), 'kyoyu-inbox-')) });
  env = await startSeededPlatform('alerts', { alerts: { allowLoopbackWebhooks: true, webhookTimeoutSeconds: 2, smtpUrl: smtp.url } });
  admin = adminClient(env, 'ics-admin');
  provider = taxiiClient(env, 'ics-provider');
  providerAdmin = adminClient(env, 'ics-provider');
  consumerAdmin = adminClient(env, 'ics-consumer');
  readerAdmin = adminClient(env, 'ics-reader');
  for (const name of ['water', 'vendor', 'secretariat', 'escalation'] as const) receivers[name] = await new Receiver().start();
  const created = await admin.post<{ id: string }>(`${T}/collections`, {
    title: 'Alert everything',
    defaultTlp: 'amber',
    policy: { alert: 'all' },
  });
  expect(created.status).toBe(201);
  alerting = created.body.id;
  alertingPath = `/ics-isac/collections/${alerting}/`;
  const grants: Array<[string, Record<string, unknown>]> = [
    ['kanto-power', { read: true, write: true, clearance: 'amber+strict' }],
    ['hokuriku-water', { read: true, write: false, clearance: 'red' }],
    ['control-vendor', { read: true, write: false, clearance: 'green' }],
    ['secretariat', { read: true, write: true, clearance: 'amber' }],
  ];
  for (const [memberId, grant] of grants)
    expect((await admin.put(`${T}/grants`, { collectionId: alerting, grantee: { kind: 'member', memberId }, ...grant })).status).toBe(200);
  subscriptionOf.water = await subscribe(consumerAdmin, 'hokuriku-water', receivers.water, { payload: 'full' });
  subscriptionOf.vendor = await subscribe(admin, 'control-vendor', receivers.vendor);
  subscriptionOf.secretariat = await subscribe(admin, 'secretariat', receivers.secretariat);
  subscriptionOf.escalation = await subscribe(consumerAdmin, 'hokuriku-water', receivers.escalation, { role: 'escalation' });
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(receivers).map((r) => r?.stop()));
  await env?.platform.stop();
  await smtp?.stop();
  if (smtp) rmSync(smtp.inbox, { recursive: true, force: true });
});

describe('subscriptions', () => {
  it('show the secret once, and list without it; a member sees its own, not another member’s', async () => {
    const listed = await consumerAdmin.get<{ subscriptions: Array<Record<string, unknown>> }>(`${T}/members/hokuriku-water/subscriptions`);
    expect(listed.status).toBe(200);
    expect(listed.body.subscriptions.map((s) => s.id).sort()).toEqual([subscriptionOf.water, subscriptionOf.escalation].sort());
    expect(JSON.stringify(listed.body)).not.toMatch(/whsec_|sealed/);
    expect((await consumerAdmin.get(`${T}/members/control-vendor/subscriptions`)).status).toBe(404);
    expect(
      (await readerAdmin.post(`${T}/members/control-vendor/subscriptions`, { channel: { kind: 'webhook', url: receivers.vendor.url } }))
        .status,
    ).toBe(403);
    const vendor = await admin.get<{ subscriptions: Array<{ id: string }> }>(`${T}/members/control-vendor/subscriptions`);
    expect(vendor.body.subscriptions.map((s) => s.id)).toEqual([subscriptionOf.vendor]);
  });

  it('list every member’s at once for tenant admins, and for nobody else', async () => {
    const all = await admin.get<{ subscriptions: Array<{ id: string; memberId: string }> }>(`${T}/subscriptions`);
    expect(all.status).toBe(200);
    const byId = new Map(all.body.subscriptions.map((s) => [s.id, s.memberId]));
    expect(
      [subscriptionOf.water, subscriptionOf.escalation, subscriptionOf.vendor, subscriptionOf.secretariat].map((id) => byId.get(id!)),
    ).toEqual(['hokuriku-water', 'hokuriku-water', 'control-vendor', 'secretariat']);
    expect(JSON.stringify(all.body)).not.toMatch(/whsec_|sealed/);
    const refused = await consumerAdmin.get<{ description: string }>(`${T}/subscriptions`);
    expect(refused.status).toBe(403);
    expect(refused.body.description).toContain('/members/hokuriku-water/subscriptions');
    expect((await adminClient(env, 'operator').get(`${T}/subscriptions`)).status).toBe(403);
    expect((await adminClient(env, 'fin-admin').get(`${T}/subscriptions`)).status).toBe(404);
  });

  it('refuse webhook URLs to private, link-local and metadata addresses, however spelled', async () => {
    for (const url of [
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.8/hook',
      'https://[::ffff:169.254.169.254]/',
      'https://[fd00:ec2::254]/',
      'https://192.168.1.1/',
      'ftp://example.com/',
    ]) {
      const refused = await consumerAdmin.post<{ description: string }>(`${T}/members/hokuriku-water/subscriptions`, {
        channel: { kind: 'webhook', url },
      });
      expect({ url, status: refused.status }).toEqual({ url, status: 400 });
    }
  });

  it('refuse oversize filters and addresses with a 400 naming the field and its limit, never storing or auditing them', async () => {
    const path = `${T}/members/hokuriku-water/subscriptions`;
    const hook = { kind: 'webhook', url: receivers.water.url };
    const before = (await consumerAdmin.get<{ subscriptions: unknown[] }>(path)).body.subscriptions.length;
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      // ~350 KB of labels: stored, the item would pass 400 KB with its audit entry's copy; one more label answered 500.
      [
        { channel: hook, filters: { labels: Array.from({ length: 100 }, (_, i) => `${i}`.padEnd(3_500, 'x')) } },
        /^filters\.labels\[0\]: must be at most 256 characters/,
      ],
      [{ channel: hook, filters: { labels: ['x'.repeat(390_000)] } }, /^filters\.labels\[0\]: must be at most 256 characters/],
      [
        { channel: hook, filters: { types: Array.from({ length: 101 }, () => 'indicator') } },
        /^filters\.types: must hold at most 100 types/,
      ],
      [
        { channel: { kind: 'email', address: `${'a'.repeat(100_000)}@example.com` } },
        /^channel\.address: .*must be at most 254 characters/,
      ],
      [{ channel: { kind: 'webhook', url: `https://example.com/${'a'.repeat(3_000)}` } }, /^channel\.url: must be at most 2048 characters/],
    ];
    for (const [body, description] of cases) {
      const refused = await consumerAdmin.post<{ description: string }>(path, body);
      expect({ status: refused.status, description: refused.body.description }).toEqual({
        status: 400,
        description: expect.stringMatching(description),
      });
    }
    const created = await consumerAdmin.post<{ id: string }>(path, { channel: hook, filters: { labels: ['ok'] } });
    const patched = await consumerAdmin.patch<{ description: string }>(`${path}/${created.body.id}`, {
      filters: { labels: ['y'.repeat(300_000)] },
    });
    expect(patched.status).toBe(400);
    expect(patched.body.description).toMatch(/^filters\.labels\[0\]: must be at most 256 characters/);
    expect((await consumerAdmin.get<{ subscriptions: unknown[] }>(path)).body.subscriptions).toHaveLength(before + 1);
    expect((await consumerAdmin.delete(`${path}/${created.body.id}`)).status).toBe(204);
  });
});

describe('delivery by the TAXII read rules', () => {
  it('an AMBER alert reaches AMBER-cleared members, signed; the GREEN-cleared member receives nothing', async () => {
    const object = indicator({ name: 'Do not switch PCs on', object_marking_refs: [TLP.amber] });
    const alertId = await alertFor(object, receivers.water);
    await eventually(
      async () => receivers.secretariat.of(alertId),
      (r) => r.length === 1,
    );
    const got = receivers.water.of(alertId);
    expect(got).toHaveLength(1);
    expect(got[0]!.verified).toBe(true);
    expect(got[0]!.payload.data).toMatchObject({
      alert_id: alertId,
      tlp: 'amber',
      title: 'Do not switch PCs on',
      kind: 'new',
      taxii_url: `${env.platform.url}${alertingPath}objects/${object.id}/`,
    });
    // Full payload on request: the committed (anonymised) object; thin by default.
    expect((got[0]!.payload.data.stix as Array<{ id: string }>)[0]!.id).toBe(object.id);
    expect(receivers.secretariat.of(alertId)[0]!.payload.data.stix).toBeUndefined();
    const ledger = await alertAsAdmin(alertId);
    expect(ledger.recipients!.map((r) => r.memberId).sort()).toEqual(['hokuriku-water', 'secretariat']);
    expect(receivers.vendor.of(alertId)).toEqual([]);
  });

  it('a full payload carries the TLP the object is enforced at, whether or not the provider marked it', async () => {
    const object = indicator({ name: 'unmarked warning', object_marking_refs: undefined });
    const alertId = await alertFor(object, receivers.water);
    const [got] = receivers.water.of(alertId);
    expect(got!.payload.data.tlp).toBe('amber');
    expect((got!.payload.data.stix as Array<Record<string, unknown>>)[0]!.object_marking_refs).toEqual([TLP.amber]);
  });

  it('a GREEN alert reaches the GREEN-cleared member too', async () => {
    const alertId = await alertFor(indicator({ name: 'green warning' }), receivers.vendor);
    expect(receivers.vendor.of(alertId)[0]!.verified).toBe(true);
  });

  it('a RED alert reaches only its named recipients', async () => {
    const alertId = await alertFor(
      indicator({ name: 'red warning', object_marking_refs: [TLP.red], x_kyoyu_recipients: ['hokuriku-water'] }),
      receivers.water,
    );
    // Not named, the secretariat does not read it, in the ledger either (docs/alerts.md): its admin gets the 404.
    expect((await admin.get(`${T}/alerts/${alertId}`)).status).toBe(404);
    expect((await consumerAdmin.get(`${T}/alerts/${alertId}`)).status).toBe(200);
    expect(receivers.secretariat.of(alertId)).toEqual([]);
    expect(receivers.vendor.of(alertId)).toEqual([]);
  });

  it('in a collection that alerts only marked objects, an urgent label alerts and an unmarked object does not', async () => {
    const indicators = env.demo.tenants.find((t) => t.id === 'ics-isac')!.collections.find((c) => c.title === 'ICS indicators')!.id;
    const path = `/ics-isac/collections/${indicators}/`;
    const plain = indicator({ name: 'routine' });
    await share(provider, path, [plain]);
    const alertId = await alertFor(indicator({ name: 'urgent one', labels: [URGENT_LABEL] }), receivers.water, path);
    expect(receivers.water.received.some((r) => JSON.stringify(r.payload).includes(plain.id))).toBe(false);
    expect(receivers.water.of(alertId)[0]!.payload.data.urgent).toBe(true);
  });

  it('sends a redelivered or re-shared version once', async () => {
    const object = indicator({ name: 'shared twice', object_marking_refs: [TLP.amber] });
    const alertId = await alertFor(object, receivers.water);
    await share(provider, alertingPath, [object]);
    await eventually(
      async () => (await alertAsAdmin(alertId)).counts!.delivered,
      (n) => n === 2,
    );
    expect(receivers.water.of(alertId)).toHaveLength(1);
  });

  it('never names the provider or other recipients, nor carries a registry identifier', () => {
    const everything = Object.values(receivers)
      .flatMap((r) => r.received.map((x) => x.body))
      .join('\n');
    expect(everything.length).toBeGreaterThan(0);
    expect(everything).not.toMatch(/kanto|関東|hokuriku|北陸|control-vendor|secretariat|x_kyoyu_recipients|providerMemberId/i);
  });
});

describe('retries', () => {
  it('retries after a 5xx and after a timeout, on the Standard Webhooks schedule, with the same webhook-id', async () => {
    receivers.vendor.reply('500');
    receivers.secretariat.reply('hang');
    const alertId = await alertFor(indicator({ name: 'retried' }), receivers.vendor);
    await eventually(
      async () => [receivers.vendor.of(alertId).length, receivers.secretariat.of(alertId).length],
      ([a, b]) => a === 2 && b === 2,
      30_000,
    );
    const ids = receivers.vendor.of(alertId).map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(1);
    const ledger = await eventually(
      () => alertAsAdmin(alertId),
      (a) => a.counts!.delivered === 3,
      30_000,
    );
    const vendor = Object.values(ledger.recipients!.find((r) => r.memberId === 'control-vendor')!.deliveries)[0]!;
    expect(vendor).toMatchObject({ state: 'delivered', attempts: 2, lastError: 'the receiver answered 500' });
    const secretariat = Object.values(ledger.recipients!.find((r) => r.memberId === 'secretariat')!.deliveries)[0]!;
    expect(secretariat).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(secretariat.lastError).toMatch(/no answer within/);
  }, 60_000);

  it('a 410 disables the endpoint: no retry, the subscription says why', async () => {
    const gone = await new Receiver().start();
    const id = await subscribe(admin, 'control-vendor', gone);
    gone.reply('410');
    const alertId = await alertFor(indicator({ name: 'gone' }), gone);
    const subscription = await eventually(
      () => admin.get<{ status: string; disabledReason?: string }>(`${T}/members/control-vendor/subscriptions/${id}`).then((r) => r.body),
      (s) => s.status === 'disabled',
    );
    expect(subscription.disabledReason).toBe('the receiver answered 410 Gone');
    const ledger = await alertAsAdmin(alertId);
    expect(ledger.recipients!.find((r) => r.memberId === 'control-vendor')!.deliveries[id]).toMatchObject({
      state: 'disabled',
      attempts: 1,
    });
    await gone.stop();
  });
});

describe('acknowledgement, the ledger and escalation', () => {
  it('the signed link acknowledges once; GET only asks; a forged link is refused', async () => {
    const alertId = await alertFor(indicator({ name: 'ack me', object_marking_refs: [TLP.amber] }), receivers.water);
    const link = receivers.water.of(alertId)[0]!.payload.data.acknowledge.url;
    const asked = await fetch(link);
    expect(asked.status).toBe(200);
    expect((await alertAsAdmin(alertId)).counts!.acknowledged).toBe(0);
    const first = await fetch(link, { method: 'POST', headers: { Accept: 'application/json' } });
    const firstBody = (await first.json()) as { first: boolean; acknowledged: { at: string; via: string } };
    expect(firstBody).toMatchObject({ first: true, acknowledged: { via: 'link' } });
    const again = (await (await fetch(link, { method: 'POST', headers: { Accept: 'application/json' } })).json()) as typeof firstBody;
    expect(again).toEqual({ ...firstBody, first: false });
    const forged = link.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'));
    expect((await fetch(forged, { method: 'POST' })).status).toBe(400);
    expect((await alertAsAdmin(alertId)).counts).toMatchObject({ recipients: 2, acknowledged: 1 });
    // On the tenant's audit log, once: who (the member, by its link) and which alert.
    expect(await acknowledgements(alertId)).toEqual([
      expect.objectContaining({
        memberId: 'hokuriku-water',
        actor: expect.objectContaining({ username: 'member hokuriku-water', memberId: 'hokuriku-water' }),
        details: { via: 'link', at: firstBody.acknowledged.at },
      }),
    ]);
  });

  it('a suspended member’s link no longer acknowledges, at once; active again, it does', async () => {
    // Prepare: a GREEN alert delivered to control-vendor, then the member suspended.
    const alertId = await alertFor(indicator({ name: 'suspended ack', object_marking_refs: [TLP.green] }), receivers.vendor);
    const link = receivers.vendor.of(alertId)[0]!.payload.data.acknowledge.url;
    expect((await admin.patch(`${T}/members/control-vendor`, { status: 'suspended' })).status).toBe(200);

    // Act
    const refused = await fetch(link, { method: 'POST', headers: { Accept: 'application/json' } });
    const ledger = await alertAsAdmin(alertId);
    expect((await admin.patch(`${T}/members/control-vendor`, { status: 'active' })).status).toBe(200);

    // Assess: refused, nothing acknowledged, nothing recorded; active again, the link works.
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/no longer acknowledges/);
    expect(ledger.recipients!.find((r) => r.memberId === 'control-vendor')!.acknowledged).toBeUndefined();
    expect(await acknowledgements(alertId)).toEqual([]);
    expect((await fetch(link, { method: 'POST', headers: { Accept: 'application/json' } })).status).toBe(200);
  });

  it('the API acknowledges for the caller’s member; the member, admins and provider each see their part of the ledger', async () => {
    const alertId = await alertFor(indicator({ name: 'ledger', object_marking_refs: [TLP.amber] }), receivers.water);
    const acked = await consumerAdmin.post<{ acknowledged: { by: string; via: string } }>(`${T}/alerts/${alertId}`);
    expect(acked.status).toBe(200);
    expect(acked.body.acknowledged).toMatchObject({ by: 'ics-consumer', via: 'api' });
    expect(await acknowledgements(alertId)).toEqual([
      expect.objectContaining({
        memberId: 'hokuriku-water',
        actor: expect.objectContaining({ username: 'ics-consumer' }),
        details: expect.objectContaining({ via: 'api' }),
      }),
    ]);
    const mine = await consumerAdmin.get<AlertBody & { acknowledged: unknown }>(`${T}/alerts/${alertId}`);
    expect(mine.body.deliveries).toEqual([expect.objectContaining({ state: 'delivered', attempts: 1 })]);
    expect(mine.body.recipients).toBeUndefined();
    const listed = await consumerAdmin.get<{ alerts: Array<{ alertId: string }> }>(`${T}/alerts`);
    expect(listed.body.alerts.map((a) => a.alertId)).toContain(alertId);
    // The provider: counts only, nobody named.
    const counts = await providerAdmin.get<AlertBody>(`${T}/alerts/${alertId}`);
    expect(counts.status).toBe(200);
    expect(counts.body.counts).toMatchObject({ recipients: 2, acknowledged: 1 });
    expect(JSON.stringify(counts.body)).not.toMatch(/hokuriku|secretariat|ics-consumer/);
    // The GREEN-cleared member: the AMBER alert does not exist for it.
    expect((await readerAdmin.get(`${T}/alerts/${alertId}`)).status).toBe(404);
    expect((await readerAdmin.post(`${T}/alerts/${alertId}`)).status).toBe(404);
  });

  it('unacknowledged past the deadline, the member’s escalation contact is alerted, once', async () => {
    const alertId = await alertFor(indicator({ name: 'escalate me', object_marking_refs: [TLP.amber] }), receivers.water);
    // The deadline (30 minutes by default) is moved into the past, as if the time had gone by.
    const documents = createDocumentClient(baseConfig(env.platform.env));
    const table = env.platform.env.TABLE_OBJECTS!;
    const due = await documents.send(
      new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': alertKeys.duePk } }),
    );
    const pointer = (due.Items ?? []).find(
      (i) => JSON.parse(i.sk as string)[2] === alertId && JSON.parse(i.sk as string)[3] === 'hokuriku-water',
    )!;
    await documents.send(new DeleteCommand({ TableName: table, Key: { pk: pointer.pk, sk: pointer.sk } }));
    await documents.send(
      new PutCommand({ TableName: table, Item: alertKeys.due('2000-01-01T00:00:00.000Z', 'ics-isac', alertId, 'hokuriku-water') }),
    );
    await env.platform.runScheduled('alert-escalation');
    await env.platform.runScheduled('alert-escalation');
    const escalated = await eventually(
      async () => receivers.escalation.of(alertId),
      (r) => r.length > 0,
    );
    expect(escalated).toHaveLength(1);
    expect(escalated[0]!.payload.type).toBe('kyoyu.alert.escalation');
    expect(escalated[0]!.verified).toBe(true);
    expect((await alertAsAdmin(alertId)).counts).toMatchObject({ escalated: 1 });
  });
});

describe('a recipient that loses access before a retry or an escalation', () => {
  it('gets neither: the ledger says the deliveries were withdrawn', async () => {
    const created = await admin.post<{ id: string }>(`${T}/collections`, {
      title: 'Alert, then revoke',
      defaultTlp: 'amber',
      policy: { alert: 'all' },
    });
    const collection = created.body.id;
    const grant = (memberId: string, grant: Record<string, unknown>) =>
      admin.put(`${T}/grants`, { collectionId: collection, grantee: { kind: 'member', memberId }, ...grant });
    expect((await grant('kanto-power', { read: true, write: true, clearance: 'amber+strict' })).status).toBe(200);
    expect((await grant('hokuriku-water', { read: true, write: false, clearance: 'amber' })).status).toBe(200);
    // The tenant admin reads the ledger of what its member may read (docs/alerts.md), so the secretariat reads here too.
    expect((await grant('secretariat', { read: true, write: false, clearance: 'amber' })).status).toBe(200);
    const late = await new Receiver().start();
    const lateId = await subscribe(consumerAdmin, 'hokuriku-water', late, { filters: { collections: [collection] } });
    // The first attempt gets no answer (the platform gives up after 2 s); the retry is due 5 s later.
    late.reply('hang');
    const object = indicator({ name: 'seen, then revoked', object_marking_refs: [TLP.amber] });
    const alertId = await alertFor(object, late, `/ics-isac/collections/${collection}/`);
    expect((await grant('hokuriku-water', { read: true, write: false, clearance: 'green' })).status).toBe(200);
    const withdrawn = await eventually(
      () => alertAsAdmin(alertId),
      (a) => a.recipients!.find((r) => r.memberId === 'hokuriku-water')!.deliveries[lateId]!.state === 'withdrawn',
      30_000,
    );
    expect(withdrawn.recipients!.find((r) => r.memberId === 'hokuriku-water')!.deliveries[lateId]).toMatchObject({
      attempts: 1,
      lastError: 'the member may no longer see this version',
    });
    expect(late.of(alertId)).toHaveLength(1);

    // Unacknowledged past its deadline, the alert would go to the escalation contact: not to a member that lost access.
    const documents = createDocumentClient(baseConfig(env.platform.env));
    const table = env.platform.env.TABLE_OBJECTS!;
    const due = await documents.send(
      new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': alertKeys.duePk } }),
    );
    const pointer = (due.Items ?? []).find((i) => JSON.parse(i.sk as string)[2] === alertId)!;
    await documents.send(new DeleteCommand({ TableName: table, Key: { pk: pointer.pk, sk: pointer.sk } }));
    await documents.send(
      new PutCommand({ TableName: table, Item: alertKeys.due('2000-01-01T00:00:00.000Z', 'ics-isac', alertId, 'hokuriku-water') }),
    );
    await env.platform.runScheduled('alert-escalation');
    const escalation = await eventually(
      () => alertAsAdmin(alertId),
      (a) => a.recipients!.find((r) => r.memberId === 'hokuriku-water')!.deliveries[subscriptionOf.escalation!]?.state === 'withdrawn',
      30_000,
    );
    expect(escalation.counts).toMatchObject({ escalated: 1, delivered: 2 });
    expect(receivers.escalation.of(alertId)).toHaveLength(0);
    await late.stop();
  }, 60_000);
});

describe('e-mail through the local SMTP server', () => {
  const mails = async () =>
    Promise.all(
      readdirSync(smtp.inbox)
        .sort()
        .map(async (name) => simpleParser(readFileSync(join(smtp.inbox, name)))),
    );

  it('carries the TLP in the subject, and nothing above TLP:CLEAR in a plain-text body unless the member opted in', async () => {
    const water = await consumerAdmin.post<{ id: string }>(`${T}/members/hokuriku-water/subscriptions`, {
      channel: { kind: 'email', address: 'soc@hokuriku.example', language: 'ja' },
    });
    const secretariat = await admin.post<{ id: string }>(`${T}/members/secretariat/subscriptions`, {
      channel: { kind: 'email', address: 'duty@isac.example', language: 'en', plainTextAboveClear: true },
    });
    expect([water.status, secretariat.status]).toEqual([201, 201]);
    const object = indicator({ name: 'Mail me: do not switch PCs on', object_marking_refs: [TLP.amber] });
    const alertId = await alertFor(object, receivers.water);
    const received = await eventually(mails, (m) => m.filter((x) => x.text?.includes(alertId)).length === 2);
    const toWater = received.find((m) => m.text?.includes(alertId) && JSON.stringify(m.to).includes('soc@hokuriku.example'))!;
    const toSecretariat = received.find((m) => m.text?.includes(alertId) && JSON.stringify(m.to).includes('duty@isac.example'))!;
    expect(toWater.subject).toBe('[TLP:AMBER] 注意喚起（新規）');
    // The content (title, the objects line) stays out; the TAXII URL to fetch it with the member's credentials stays in.
    expect(`${toWater.subject} ${toWater.text}`).not.toMatch(/Mail me|対象:/);
    expect(toWater.text).toContain(`${env.platform.url}/alerts/`);
    expect(toSecretariat.subject).toBe('[TLP:AMBER] Kyoyu alert (new): Mail me: do not switch PCs on');
    expect(toSecretariat.text).toContain(object.id);
    expect(`${toWater.text}${toSecretariat.text}`).not.toMatch(/kanto|関東/i);
    const ledger = await eventually(
      () => alertAsAdmin(alertId),
      (a) => a.recipients!.every((r) => Object.values(r.deliveries).every((d) => d.state === 'delivered')),
    );
    expect(ledger.recipients!.find((r) => r.memberId === 'hokuriku-water')!.deliveries[water.body.id]).toMatchObject({
      state: 'delivered',
      attempts: 1,
    });
  });
});

describe('kyoyu subscription and kyoyu alert', () => {
  let dir = '';
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'kyoyu-alerts-cli-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = cliRunner(() => dir);
  const login = (profile: string, username: string) =>
    cli.ok(
      'profile',
      'set',
      profile,
      '--endpoint',
      env.platform.url,
      '--user',
      username,
      '--password',
      demoUser(env.demo, username).password,
    );

  it('manage a member’s subscriptions, list every member’s for a tenant admin, and read and acknowledge alerts', async () => {
    await login('consumer', 'ics-consumer');
    await login('admin', 'ics-admin');
    const receiver = await new Receiver().start();
    const created = await cli.json<{ id: string; secret: string; payload: string }>(
      'subscription',
      'add',
      '--member',
      'hokuriku-water',
      '--url',
      receiver.url,
      '--payload',
      'full',
      '--profile',
      'consumer',
    );
    expect(created.secret).toMatch(/^whsec_/);
    expect(created.payload).toBe('full');
    receiver.secret = created.secret;
    const own = await cli.json<Array<{ id: string }>>('subscription', 'list', '--member', 'hokuriku-water', '--profile', 'consumer');
    expect(own.map((s) => s.id)).toContain(created.id);
    const table = await cli.ok('subscription', 'list', '--profile', 'admin');
    expect(table).toMatch(new RegExp(`hokuriku-water\\s+${created.id}\\s+webhook`));
    expect(table).not.toMatch(/whsec_/);
    const refused = await cli.kyoyu('subscription', 'list', '--profile', 'consumer');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Only tenant admins');

    const alertId = await alertFor(indicator({ name: 'via the CLI', object_marking_refs: [TLP.amber] }), receiver);
    expect(receiver.of(alertId)[0]!.verified).toBe(true);
    const listed = await cli.json<Array<{ alertId: string }>>('alert', 'list', '--profile', 'consumer');
    expect(listed.map((a) => a.alertId)).toContain(alertId);
    const shown = await cli.json<{ deliveries: Array<{ subscriptionId: string; state: string }> }>(
      'alert',
      'show',
      alertId,
      '--profile',
      'consumer',
    );
    expect(shown.deliveries).toEqual(expect.arrayContaining([expect.objectContaining({ subscriptionId: created.id, state: 'delivered' })]));
    const acked = await cli.json<{ acknowledged: { by: string; via: string }; first: boolean }>(
      'alert',
      'ack',
      alertId,
      '--profile',
      'consumer',
    );
    expect(acked).toMatchObject({ first: true, acknowledged: { by: 'ics-consumer', via: 'api' } });

    const disabled = await cli.json<{ status: string }>(
      'subscription',
      'update',
      created.id,
      '--member',
      'hokuriku-water',
      '--status',
      'disabled',
      '--profile',
      'consumer',
    );
    expect(disabled.status).toBe('disabled');
    await cli.ok('subscription', 'remove', created.id, '--member', 'hokuriku-water', '--profile', 'consumer');
    const after = await cli.json<Array<{ id: string }>>('subscription', 'list', '--member', 'hokuriku-water', '--profile', 'consumer');
    expect(after.map((s) => s.id)).not.toContain(created.id);
    await receiver.stop();
  }, 60_000);
});

describe('the audit log', () => {
  it('shows operators no webhook URL or e-mail address of any subscription, while the tenant admin’s chain verifies', async () => {
    const operator = adminClient(env, 'operator');
    const destinations = [...Object.values(receivers).map((r) => r.url), 'soc@hokuriku.example', 'duty@isac.example'];

    const asOperator = JSON.stringify(await auditLog(operator));
    const asAdmin = JSON.stringify(await auditLog(admin));
    const verified = await admin.get<{ ok: boolean; entries: number }>(`${T}/audit/verify`);
    const verifiedByOperator = await operator.get<{ ok: boolean }>(`${T}/audit/verify`);

    expect(asOperator).toContain('subscription.create');
    for (const destination of destinations) {
      expect({ destination, seen: asOperator.includes(destination) }).toEqual({ destination, seen: false });
      expect({ destination, seen: asAdmin.includes(destination) }).toEqual({ destination, seen: true });
    }
    expect(verified.body).toMatchObject({ ok: true });
    expect(verifiedByOperator.body).toMatchObject({ ok: true, entries: verified.body.entries });
  });
});
