import { emptyRegistry } from '../../shared/core/directory/registry';
import { startSeededPlatform, type SeededPlatform } from '../support/platform';
import { attackerAddress, indicator, settled, share, taxiiClient, TLP, type EnvelopeBody, type TaxiiClient } from '../support/taxii-client';
import { DynamoFunnelStore } from '../../shared/adapters/dynamodb/funnel-store';
import { createDocumentClient } from '../../shared/runtime/aws-clients';
import { baseConfig } from '../../shared/runtime/config';

/**
 * The sharing pipeline end to end: a provider whose registry entries appear in patterns, descriptions and
 * observables shares a realistic bundle (Japanese text included); another member reads it back.
 */
let env: SeededPlatform;
let provider: TaxiiClient;
let other: TaxiiClient;
let consumer: TaxiiClient;
let collection: string;

const PROVIDER_IDENTITY = 'identity--5e0c61c1-7a0f-4f0e-9d44-0c2b1b0a0001';
const C2 = attackerAddress();
const VICTIM_PATTERN = /kanto|関東電力|KPC|KantoGrid|133\.242\.10\.|identity--5e0c61c1/i;

const providerIdentity = {
  type: 'identity',
  spec_version: '2.1',
  id: PROVIDER_IDENTITY,
  created: '2026-05-01T00:00:00.000Z',
  modified: '2026-05-01T00:00:00.000Z',
  name: 'Kanto Power',
  identity_class: 'organization',
};
const c2Indicator = indicator({
  created_by_ref: PROVIDER_IDENTITY,
  name: 'Industroyer2 C2 seen at 関東電力',
  description: `2026年5月、関東電力の制御LAN（133.242.10.5）の KantoGrid 保守端末が ${C2} と通信。scada01.kanto-power.co.jp 経由。`,
  pattern: `[ipv4-addr:value = '${C2}']`,
});
const victimPattern = indicator({
  created_by_ref: PROVIDER_IDENTITY,
  name: 'phish',
  pattern: "[email-addr:value = 'ceo@kanto-power.co.jp']",
});
const benign = indicator({ name: 'internal proxy', pattern: "[ipv4-addr:value = '10.0.0.5']" });
const expired = indicator({ name: 'old C2', valid_until: '2026-01-01T00:00:00.000Z', created: '2025-01-01T00:00:00.000Z' });
const personal = indicator({ name: 'callback', description: '担当者 090-1234-5678 に連絡済み' });
const victimDomain = {
  type: 'domain-name',
  spec_version: '2.1',
  id: 'domain-name--6b4e8e1f-1c1e-5d2a-9f4b-3f2a0a7d1c01',
  value: 'vpn.kanto-power.co.jp',
};
const malware = {
  type: 'malware',
  spec_version: '2.1',
  id: 'malware--0b1e4a4e-4d8e-4d4f-9e3c-2b1a0c9d8e7f',
  created: '2026-05-01T00:00:00.000Z',
  modified: '2026-05-01T00:00:00.000Z',
  created_by_ref: PROVIDER_IDENTITY,
  name: 'Industroyer2',
  is_family: true,
  object_marking_refs: [TLP.green],
  description: 'IEC-104 を悪用するマルウェア。SHA-256 3e3ab9674142dec46ce389e9e759b6484e847f5c1e1fc682fc638fc837c13571',
};
const targets = {
  type: 'relationship',
  spec_version: '2.1',
  id: 'relationship--9a1d0c3e-2f4b-4c5d-8e6f-7a8b9c0d1e2f',
  created: '2026-05-01T00:00:00.000Z',
  modified: '2026-05-01T00:00:00.000Z',
  relationship_type: 'targets',
  source_ref: malware.id,
  target_ref: PROVIDER_IDENTITY,
  object_marking_refs: [TLP.green],
};

beforeAll(async () => {
  env = await startSeededPlatform('pipeline');
  provider = taxiiClient(env, 'ics-provider');
  other = taxiiClient(env, 'ics-consumer');
  consumer = taxiiClient(env, 'ics-reader');
  collection = `/ics-isac/collections/${env.demo.tenants[0]!.collections[0]!.id}/`;
  await env.directory.putRegistry({
    ...emptyRegistry('ics-isac', 'kanto-power'),
    names: ['関東電力', 'Kanto Power', 'KPC'],
    domains: ['kanto-power.co.jp'],
    ipRanges: ['133.242.10.0/24'],
    brands: ['KantoGrid'],
  });
}, 60000);
afterAll(async () => env?.platform.stop());

describe('a provider shares a realistic bundle', () => {
  let statusMessages: Map<string, string | undefined>;
  let published: EnvelopeBody['objects'];

  beforeAll(async () => {
    const status = await share(provider, collection, [
      providerIdentity,
      c2Indicator,
      victimPattern,
      benign,
      expired,
      personal,
      victimDomain,
      malware,
      targets,
    ]);
    statusMessages = new Map([...status.successes, ...status.failures, ...status.pendings].map((e) => [e.id, e.message]));
    expect(status.total_count).toBe(9);
    published = (await consumer.get<EnvelopeBody>(`${collection}objects/?limit=1000`)).body.objects;
  }, 30000);

  it('publishes attack technical information under the tenant identity', async () => {
    const tenant = await env.directory.getTenant('ics-isac');
    expect(published.map((o) => o.id).sort()).toEqual([c2Indicator.id, malware.id].sort());
    const publishedMalware = published.find((o) => o.id === malware.id)!;
    expect(publishedMalware.created_by_ref).toBe(tenant!.identityId);
    expect(publishedMalware.description).toBe(malware.description);
  });

  it('leaves no trace of the provider or the victim anywhere a member can read', () => {
    expect(JSON.stringify(published)).not.toMatch(VICTIM_PATTERN);
    const c2 = published.find((o) => o.id === c2Indicator.id)!;
    expect(c2.pattern).toBe(`[ipv4-addr:value = '${C2}']`);
    expect(c2.description).toContain(C2);
  });

  it('tells the provider why each object was not published', () => {
    expect(statusMessages.get(benign.id)).toBe('filter: value 10.0.0.5 in warning list reserved-ipv4');
    expect(statusMessages.get(expired.id)).toBe('filter: expired: valid_until 2026-01-01T00:00:00.000Z is past');
    expect(statusMessages.get(personal.id)).toBe('Waiting for moderation: held for moderation: description contains a phone number');
    expect(statusMessages.get(victimPattern.id)).toMatch(/^anonymize: the pattern names a victim/);
    expect(statusMessages.get(victimDomain.id)).toMatch(/^anonymize: domain-name .* identifies a victim/);
    expect(statusMessages.get(PROVIDER_IDENTITY)).toMatch(/^anonymize: the identity/);
    expect(statusMessages.get(targets.id)).toBe(`anonymize: target_ref points at ${PROVIDER_IDENTITY}, which is not published`);
  });

  it('keeps the original for the provider and moderators only', async () => {
    const asProvider = await provider.get<EnvelopeBody>(`${collection}objects/${c2Indicator.id}/originals/`);
    const asModerator = await taxiiClient(env, 'ics-admin').get<EnvelopeBody>(`${collection}objects/${c2Indicator.id}/originals/`);
    const asOther = await other.get(`${collection}objects/${c2Indicator.id}/originals/`);

    expect(asProvider.status).toBe(200);
    expect(asProvider.body.objects[0]!.description).toBe(c2Indicator.description);
    expect(asModerator.status).toBe(200);
    expect(asOther.status).toBe(404);
  });

  it('counts the funnel per stage with reasons', async () => {
    const funnel = new DynamoFunnelStore(createDocumentClient(baseConfig()), env.platform.env.TABLE_FUNNEL!);
    const stages = Object.fromEntries((await funnel.read('ics-isac')).map((s) => [s.stage, s]));
    expect(stages.filter!.counts.received).toBeGreaterThanOrEqual(9);
    expect(stages.filter!.droppedBy).toMatchObject({ 'warning list reserved-ipv4': 1, expired: 1 });
    expect(stages.commit!.droppedBy).toMatchObject({ 'waiting for moderation': 1 });
    expect(stages.anonymize!.droppedBy['withheld by anonymize']).toBeGreaterThanOrEqual(4);
    expect(stages.commit!.counts.committed).toBeGreaterThanOrEqual(2);
  });
});

describe('the same indicator from another member', () => {
  it('is merged into the first report, with corroboration that names no one', async () => {
    const again = indicator({ pattern: `[ipv4-addr:value = '${C2}']`, name: 'C2 we saw too' });
    const status = await share(other, collection, [again]);
    const sightings = (await consumer.get<EnvelopeBody>(`${collection}objects/?match[type]=sighting`)).body.objects;
    const copies = (await consumer.get<EnvelopeBody>(`${collection}objects/?match[type]=indicator&limit=1000`)).body.objects.filter((o) =>
      String(o.pattern).includes(C2),
    );

    expect(status.successes[0]!.message).toMatch(/Already shared in this collection as indicator--/);
    expect(copies.map((o) => o.id)).toEqual([c2Indicator.id]);
    expect(sightings).toEqual([expect.objectContaining({ sighting_of_ref: c2Indicator.id, count: 2 })]);
    expect(JSON.stringify(sightings)).not.toMatch(/hokuriku|kanto/i);
  });
});

describe('normalize', () => {
  it('upgrades a STIX 2.0 bundle and refuses an invalid pattern with its position', async () => {
    const attackPattern = {
      type: 'attack-pattern',
      id: 'attack-pattern--0a3ead4e-6d47-4ccb-854c-a6a4f9d96b22',
      created: '2017-05-31T21:30:19.735Z',
      modified: '2020-03-16T16:57:38.000Z',
      name: 'Spearphishing Attachment',
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'initial-access' }],
      object_marking_refs: [TLP.v1White],
    };
    const stix20Malware = {
      type: 'malware',
      id: 'malware--a8b4e3f1-2d8a-4d4e-9c1e-3f6a7b8c9d0e',
      created: '2017-05-31T21:32:58Z',
      modified: '2017-05-31T21:32:58Z',
      name: 'BlackEnergy',
      labels: ['malware'],
      object_marking_refs: [TLP.v1White],
    };
    const broken = indicator({ pattern: "[ipv4-addr:value '45.77.1.1']" });
    const posted = await provider.post<{ id: string }>(`${collection}objects/`, {
      type: 'bundle',
      id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
      spec_version: '2.0',
      objects: [attackPattern, stix20Malware, broken],
    });
    const status = await settled(provider, 'ics-isac', posted.body.id);
    const malware = (await consumer.get<EnvelopeBody>(`${collection}objects/${stix20Malware.id}/`)).body.objects[0]!;

    expect(status.failures).toEqual([
      {
        id: broken.id,
        version: broken.modified,
        message: 'normalize: pattern: expected a comparison operator after ipv4-addr:value at 17',
      },
    ]);
    expect(malware).toMatchObject({
      spec_version: '2.1',
      is_family: true,
      malware_types: ['malware'],
      created: '2017-05-31T21:32:58.000Z',
    });
  });
});

describe('plain indicator lists', () => {
  it('turns a defanged list into indicators, filtering benign values with reasons', async () => {
    const address = attackerAddress();
    const response = await fetch(`${env.platform.url}${collection}indicators/?label=SOC%20export`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`ics-provider:${env.demo.tenants[0]!.members[1]!.users[0]!.password}`).toString('base64')}`,
        Accept: 'application/taxii+json;version=2.1',
        'Content-Type': 'text/plain',
      },
      body: `${address.replace(/\./g, '[.]')}\nhxxp://update-grid[.]example-c2.net/p.bin\n10.0.0.1\nnonsense value\n`,
    });
    expect(response.status).toBe(202);
    const status = await settled(provider, 'ics-isac', ((await response.json()) as { id: string }).id);
    // Unmarked lists take the collection's default TLP (AMBER): read as a member cleared for it.
    const published = (await other.get<EnvelopeBody>(`${collection}objects/?match[type]=indicator&limit=1000`)).body.objects;

    expect([status.success_count, status.failure_count]).toEqual([2, 2]);
    expect(status.failures.map((f) => f.message).sort()).toEqual([
      'filter: value 10.0.0.1 in warning list reserved-ipv4',
      'line 4: "nonsense value" is not an IP address, CIDR, domain, URL, e-mail address or MD5/SHA-1/SHA-256/SHA-512 hash',
    ]);
    expect(published.map((o) => o.pattern)).toEqual(
      expect.arrayContaining([`[ipv4-addr:value = '${address}']`, "[url:value = 'http://update-grid.example-c2.net/p.bin']"]),
    );
  });
});

describe('large objects', () => {
  it('carries an object too large for an SQS message through S3 (claim check), not truncated', async () => {
    const report = indicator({ name: 'long analysis', description: `${'解析結果 IEC-104 traffic to C2. '.repeat(9000)}end.` });
    expect(Buffer.byteLength(JSON.stringify(report))).toBeGreaterThan(256 * 1024);

    const status = await share(provider, collection, [report]);
    const stored = (await other.get<EnvelopeBody>(`${collection}objects/${report.id}/`)).body.objects[0]!;

    expect(status.success_count).toBe(1);
    expect(stored.description).toBe(report.description);
  }, 60000);
});
