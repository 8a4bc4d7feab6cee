import { randomUUID } from 'node:crypto';
import { emptyRegistry } from '../../shared/core/directory/registry';
import { scoId } from '../../shared/core/normalize/canonical';
import { basic, demoUser, startSeededPlatform, type SeededPlatform } from '../support/platform';
import { adminClient } from '../support/admin-client';
import { indicator, share, taxiiClient, TLP, type EnvelopeBody, type StatusBody, type TaxiiClient } from '../support/taxii-client';

/**
 * The promise to providers, tried over HTTP as an attacker (or a careless provider) would: other orders, other
 * parts of a large POST, other references, other spellings and other places. After each POST, nothing another
 * member can read may carry the victim's identifiers or point at what was withheld.
 */
let env: SeededPlatform;
let provider: TaxiiClient;
let reader: TaxiiClient;
let collection: string;

const VICTIM = /kanto|関東電力|KPC|KantoGrid|133\.242\.10\.|ｋａｎｔｏ|INC-2024|2247232005/i;
const created = '2026-05-01T00:00:00.000Z';
const victimDomain = {
  type: 'domain-name',
  spec_version: '2.1',
  id: 'domain-name--6b4e8e1f-1c1e-5d2a-9f4b-3f2a0a7d1c01',
  value: 'vpn.kanto-power.co.jp',
};
const victimAddress = {
  type: 'ipv4-addr',
  spec_version: '2.1',
  id: 'ipv4-addr--0b6e3c1a-6f3a-5d8e-9a51-64c1d1c0a005',
  value: '133.242.10.5',
};
const malware = (id = `malware--${randomUUID()}`) => ({
  type: 'malware',
  spec_version: '2.1',
  id,
  created,
  modified: created,
  name: 'Industroyer2',
  is_family: true,
  object_marking_refs: [TLP.green],
});
const relationship = (source: string, target: string) => ({
  type: 'relationship',
  spec_version: '2.1',
  id: `relationship--${randomUUID()}`,
  created,
  modified: created,
  relationship_type: 'communicates-with',
  source_ref: source,
  target_ref: target,
  object_marking_refs: [TLP.green],
});

async function readable(): Promise<EnvelopeBody['objects']> {
  return (await reader.get<EnvelopeBody>(`${collection}objects/?limit=1000`)).body.objects;
}
const failureOf = (status: StatusBody, id: string) => status.failures.find((f) => f.id === id)?.message;

beforeAll(async () => {
  env = await startSeededPlatform('anonymize-adversary');
  provider = taxiiClient(env, 'ics-provider');
  reader = taxiiClient(env, 'ics-reader');
  collection = `/ics-isac/collections/${env.demo.tenants[0]!.collections[0]!.id}/`;
  await env.directory.putRegistry({
    ...emptyRegistry('ics-isac', 'kanto-power'),
    names: ['関東電力', 'Kanto Power', 'KPC', '현대전력'],
    domains: ['kanto-power.co.jp'],
    ipRanges: ['133.242.10.0/24', '2001:db8:10::/48'],
    brands: ['KantoGrid'],
    referencePrefixes: ['INC-'],
  });
}, 60000);
afterAll(async () => env?.platform.stop());

describe('references to withheld objects', () => {
  it('withholds a relationship placed before the victim domain it points at', async () => {
    const m = malware();
    const rel = relationship(m.id, victimDomain.id);
    const status = await share(provider, collection, [rel, m, victimDomain]);
    // Normalize gave the domain its deterministic id (STIX 2.1 §2.9); the relationship followed it.
    expect(failureOf(status, rel.id)).toMatch(/^anonymize: target_ref points at domain-name--[0-9a-f-]{36}, which is not published$/);
    const ids = (await readable()).map((o) => o.id);
    expect(ids).toContain(m.id);
    expect(ids).not.toContain(rel.id);
  });

  it('withholds it across what used to be message boundaries: 250 objects, the reference at the end', async () => {
    const m = malware();
    const filler = Array.from({ length: 247 }, () => indicator());
    const rel = relationship(m.id, victimAddress.id);
    const status = await share(provider, collection, [victimAddress, m, ...filler, rel]);
    expect(status.total_count).toBe(250);
    expect(failureOf(status, rel.id)).toMatch(/^anonymize: target_ref points at ipv4-addr--/);
    expect((await readable()).map((o) => o.id)).not.toContain(rel.id);
  });

  it('withholds network traffic whose destination is the victim address, so no SCO id gives the address away', async () => {
    const traffic = {
      type: 'network-traffic',
      spec_version: '2.1',
      id: `network-traffic--${randomUUID()}`,
      dst_ref: victimAddress.id,
      protocols: ['tcp'],
    };
    const status = await share(provider, collection, [traffic, victimAddress]);
    expect(status.failures.map((f) => f.id)).toHaveLength(2);
    const published = JSON.stringify(await readable());
    expect(published).not.toContain('network-traffic');
    expect(published).not.toContain(victimAddress.id.slice('ipv4-addr--'.length));
  });

  it('withholds a reference across POSTs to what an earlier POST withheld, by its deterministic SCO id', async () => {
    const address = { type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${randomUUID()}`, value: '133.242.10.77' };
    expect((await share(provider, collection, [address])).failure_count).toBe(1);
    // Anyone can compute the id STIX 2.1 §2.9 gives the address; a later relationship to it must not be published.
    const computed = scoId('ipv4-addr', { value: '133.242.10.77' })!;
    const m = malware();
    const rel = relationship(m.id, computed);
    const status = await share(provider, collection, [m, rel]);
    expect(failureOf(status, rel.id)).toBe(`anonymize: target_ref points at ${computed}, which is not published`);
    expect(JSON.stringify(await readable())).not.toContain(computed);
  });

  it('publishes no corroboration pointing at a withheld indicator that another member reports again', async () => {
    const pattern = "[domain-name:value = 'ot-gw.kanto-power.co.jp']";
    const first = indicator({ pattern });
    expect((await share(provider, collection, [first])).failure_count).toBe(1);
    // Another member reports the same thing: dedupe merges it into the first, which was never published.
    await share(taxiiClient(env, 'ics-consumer'), collection, [indicator({ pattern })]);
    const published = await readable();
    expect(published.filter((o) => o.type === 'sighting' && o.sighting_of_ref === first.id)).toEqual([]);
    expect(JSON.stringify(published)).not.toContain(first.id);
  });

  it('never publishes the provider identity in an anonymous collection, even when nothing cites it', async () => {
    const identity = {
      type: 'identity',
      spec_version: '2.1',
      id: `identity--${randomUUID()}`,
      created,
      modified: created,
      name: 'Our SOC',
      identity_class: 'organization',
    };
    const status = await share(provider, collection, [identity, malware()]);
    expect(failureOf(status, identity.id)).toBe('anonymize: the identity of the provider or a victim is not published');
    expect((await readable()).filter((o) => o.type === 'identity')).toEqual([]);
  });
});

describe('other spellings and other places', () => {
  it('leaves nothing identifying in what another member reads', async () => {
    const spelled = indicator({
      name: 'C2 seen at ｋａｎｔｏ－ｐｏｗｅｒ．ｃｏ．ｊｐ',
      description:
        'hxxps://scada01.kanto-power[.]co[.]jp/login, 133.242.010.005 (2247232005), K\u200Banto Power, kanto%2Dpower%2Eco%2Ejp, ticket INC-2024-0412',
      labels: ['KantoGrid'],
      x_internal_ticket: 'INC-2024-0412',
      kill_chain_phases: [{ kill_chain_name: 'kanto-power-killchain', phase_name: 'execution' }],
    });
    const status = await share(provider, collection, [spelled]);
    expect(status.success_count).toBe(1);
    const object = (await readable()).find((o) => o.id === spelled.id)!;
    expect(object).toBeDefined();
    expect(JSON.stringify(object)).not.toMatch(VICTIM);
    expect(object).not.toHaveProperty('x_internal_ticket');
  });
});

describe('families of spellings, read by another member on every exit', () => {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  /** One spelling per family (docs/pipeline.md, anonymize "Every spelling"), as it is written. */
  const FAMILIES: Record<string, string> = {
    lookAlike: 'vpn.\u043aanto-p\u043ewer.co.jp of \u041aant\u043e \u0420ower', // Cyrillic к о К о Р
    base64: b64('exfiltrated to vpn.kanto-power.co.jp'),
    reverseDns: '5.10.242.133.in-addr.arpa',
    reverseDns6: '0.1.0.0.8.b.d.0.1.0.0.2.ip6.arpa',
    shortIpv4: '133.242.2565',
    embeddedIpv4: '2002:85f2:a05::1',
    nat64: '64:ff9b::133.242.10.5',
    spacedDots: 'kanto-power . co . jp',
    plural: 'KPCs',
    hangul: '현대전력'.normalize('NFD'),
  };

  it('leaves no spelling of the victim in TAXII reads, search hits and exports', async () => {
    const octet = 1 + (Date.now() % 200);
    const objects = Object.entries(FAMILIES).map(([family, spelling], n) =>
      indicator({
        name: `${family} report on ${spelling}`,
        description: `Seen from ${spelling} before the outage`,
        pattern: `[ipv4-addr:value = '91.${octet}.${n}.200']`,
        x_notes: spelling,
        external_references: [{ source_name: 'ticket', description: `about ${spelling}` }],
      }),
    );
    const status = await share(provider, collection, objects);
    expect(status.success_count).toBe(objects.length);

    const read = await readable();
    const get = async (path: string) =>
      (
        await fetch(`${env.platform.url}${path}`, { headers: { Authorization: basic(demoUser(env.demo, 'ics-reader')), Accept: '*/*' } })
      ).text();
    const hits = await Promise.all(objects.map((_, n) => get(`/ics-isac/search/?value=91.${octet}.${n}.200`)));
    const exits: Record<string, string> = {
      taxii: JSON.stringify(read.filter((o) => objects.some((p) => p.id === o.id))),
      search: hits.join('\n'),
      stix: await get(`${collection}exports/stix/`),
      csv: await get(`${collection}exports/csv/`),
    };
    // Each exit serves the redacted objects, not nothing.
    for (const exit of ['taxii', 'search', 'stix', 'csv']) expect(exits[exit]).toContain('report on [REDACTED]');
    for (const [exit, text] of Object.entries(exits)) {
      expect(text.length).toBeGreaterThan(0);
      for (const [family, spelling] of Object.entries(FAMILIES)) {
        if (text.includes(spelling) || text.includes(JSON.stringify(spelling).slice(1, -1)))
          throw new Error(`${family} readable in ${exit}`);
      }
    }
  });
});

describe('the registry', () => {
  it('applies a change to the very next submission, with no cache window', async () => {
    await env.directory.putRegistry({ ...emptyRegistry('ics-isac', 'hokuriku-water'), domains: ['hokuriku-suido.jp'] });
    const domain = { type: 'domain-name', spec_version: '2.1', id: `domain-name--${randomUUID()}`, value: 'mail.hokuriku-suido.jp' };
    const status = await share(provider, collection, [domain]);
    expect(status.failure_count).toBe(1);
  });

  it('counts, per member, what its registry withheld or redacted, for the tenant admins and not for operators', async () => {
    type Stats = { stages: Array<{ stage: string; registry?: Record<string, { withheld: number; redacted: number }> }> };
    const stats = (await adminClient(env, 'ics-admin').get<Stats>('/admin/tenants/ics-isac/stats')).body;
    const anonymize = stats.stages.find((s) => s.stage === 'anonymize')!;
    const operators = (await adminClient(env, 'operator').get<Stats>('/admin/tenants/ics-isac/stats')).body;
    expect(operators.stages.find((s) => s.stage === 'anonymize')).not.toHaveProperty('registry');
    expect(anonymize.registry?.['kanto-power']?.withheld).toBeGreaterThanOrEqual(3);
    expect(anonymize.registry?.['kanto-power']?.redacted).toBeGreaterThanOrEqual(1);
    expect(anonymize.registry?.['hokuriku-water']).toEqual({ withheld: 1, redacted: 0 });
  });
});
