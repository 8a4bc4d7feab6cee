import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { createApiClient } from '../../cli/http-client';
import { searchKeys } from '../../shared/adapters/dynamodb/keys';
import { postingsOf as postingsOfObject } from '../../shared/core/search/postings';
import { termsOfObject } from '../../shared/core/search/terms';
import { SEARCH_LIMITS, searchValues, type SearchLimits } from '../../shared/core/search/search';
import { samenessOf } from '../../shared/core/pipeline/observables';
import type { Principal } from '../../shared/core/directory/model';
import { NotFoundError } from '../../shared/core/errors';
import { DynamoDirectoryStore } from '../../shared/adapters/dynamodb/directory-store';
import { DynamoObjectStore } from '../../shared/adapters/dynamodb/object-store';
import { DynamoSearchIndex } from '../../shared/adapters/dynamodb/search-index';
import { DynamoFlagDecisionStore } from '../../shared/adapters/dynamodb/flag-store';
import type { StixObject } from '../../shared/core/taxii/model';
import { createDocumentClient } from '../../shared/runtime/aws-clients';
import { baseConfig } from '../../shared/runtime/config';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminClient } from '../support/admin-client';
import { cliRunner } from '../support/cli';
import { basic, demoUser, startSeededPlatform, type SeededPlatform } from '../support/platform';
import { indicator, share, taxiiClient, TLP, type EnvelopeBody } from '../support/taxii-client';

/**
 * "Have we seen this?" over HTTP on the local platform (issue #15): exact values of every kind, CIDR both ways,
 * defanged input, related items, and the rules that protect providers — a value a member may not see answers
 * exactly like a value nobody shared, and what is revoked, taken down or deleted is no longer found.
 */
let env: SeededPlatform;
let collectionId: string;
let collection: string;

interface Hit {
  match: string;
  value: string;
  id: string;
  type: string;
  tlp: string;
  collection: { id: string; title: string };
  first_seen: string;
  last_seen: string;
  corroboration: number;
  feedback?: Record<string, number | boolean>;
  object: Record<string, unknown>;
  related: Array<{ id: string; type: string; relationship_type?: string; opinion?: string }>;
}
interface Answer {
  value: string;
  canonical?: string;
  kind?: string;
  error?: string;
  hits: Hit[];
}

function searcher(username: string) {
  const client = createApiClient({ endpoint: env.platform.url, authorization: basic(demoUser(env.demo, username)), retry: false });
  return {
    get: async (tenant: string, ...values: string[]) => {
      const query = values.map((v) => `value=${encodeURIComponent(v)}`).join('&');
      const answer = await client.send<{ results: Answer[]; description?: string }>('GET', `/${tenant}/search/?${query}`, {});
      return { status: answer.status, body: answer.body };
    },
    bulk: async (values: unknown) => {
      const answer = await client.send<{ results: Answer[]; description?: string }>('POST', '/ics-isac/search/', {
        body: JSON.stringify({ values }),
      });
      return { status: answer.status, body: answer.body };
    },
  };
}

const provider = () => taxiiClient(env, 'ics-provider');
const hitsFor = async (username: string, value: string) => {
  const answer = await searcher(username).get('ics-isac', value);
  if (answer.status !== 200) throw new Error(`search ${value}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.results[0]!.hits;
};
const idsFor = async (username: string, value: string) => (await hitsFor(username, value)).map((h) => h.id).sort();

/** A random octet, so that each test's addresses are its own. */
const octet = () => 1 + Math.floor(Math.random() * 254);

beforeAll(async () => {
  env = await startSeededPlatform('search');
  collectionId = env.demo.tenants[0]!.collections[0]!.id;
  collection = `/ics-isac/collections/${collectionId}/`;
});
afterAll(async () => env?.platform.stop());

describe('exact values of every kind', () => {
  it('finds an address an indicator names, with its collection, TLP, dates and the latest version', async () => {
    const address = `45.90.${octet()}.${octet()}`;
    const shared = indicator({ pattern: `[ipv4-addr:value = '${address}'] AND [domain-name:value = 'c2-${randomUUID()}.kyoyu-test.xyz']` });
    await share(provider(), collection, [shared]);

    const hits = await hitsFor('ics-consumer', address);

    expect(hits).toEqual([
      expect.objectContaining({
        match: 'exact',
        value: address,
        id: shared.id,
        type: 'indicator',
        tlp: 'green',
        collection: { id: collectionId, title: env.demo.tenants[0]!.collections[0]!.title },
        corroboration: 1,
        related: [],
      }),
    ]);
    expect(hits[0]!.object).toEqual(expect.objectContaining({ id: shared.id, pattern: shared.pattern }));
    expect(Date.parse(hits[0]!.first_seen)).toBeLessThanOrEqual(Date.parse(hits[0]!.last_seen));
  });

  it('accepts defanged and differently spelt input: hxxp, [.], upper case, IPv6 expanded', async () => {
    const tag = randomUUID().slice(0, 8);
    const url = indicator({ pattern: `[url:value = 'https://evil-${tag}.kyoyu-test.xyz/login?next=1']` });
    const v6 = indicator({ pattern: `[ipv6-addr:value = '2a0b:${tag.slice(0, 4)}::1']` });
    const domain = indicator({ pattern: `[domain-name:value = 'dropper-${tag}.kyoyu-test.xyz']` });
    await share(provider(), collection, [url, v6, domain]);

    expect(await idsFor('ics-consumer', `hxxps://EVIL-${tag}.kyoyu-test[.]xyz/login?next=1`)).toEqual([url.id]);
    expect(await idsFor('ics-consumer', `2A0B:${tag.slice(0, 4).toUpperCase()}:0:0:0:0:0:0001`)).toEqual([v6.id]);
    expect(await idsFor('ics-consumer', `Dropper-${tag}(.)kyoyu-test(.)xyz`)).toEqual([domain.id]);
  });

  it('finds hashes by their length, CVE and ATT&CK ids, file names and free values', async () => {
    const sha256 = randomUUID().replace(/-/g, '').repeat(2);
    const md5 = randomUUID().replace(/-/g, '');
    const tag = randomUUID().slice(0, 8);
    const file = indicator({
      pattern: `[file:hashes.'SHA-256' = '${sha256}' OR file:hashes.MD5 = '${md5}' OR file:name = 'Invoice-${tag}.pdf.exe']`,
    });
    const mutex = indicator({ pattern: `[mutex:name = 'Global\\\\Kyoyu-${tag}']` });
    const vulnerability = {
      type: 'vulnerability',
      spec_version: '2.1',
      id: `vulnerability--${randomUUID()}`,
      created: '2026-05-01T00:00:00.000Z',
      modified: '2026-05-01T00:00:00.000Z',
      name: 'CVE-2026-31337',
      object_marking_refs: [TLP.green],
    };
    const technique = {
      type: 'attack-pattern',
      spec_version: '2.1',
      id: `attack-pattern--${randomUUID()}`,
      created: '2026-05-01T00:00:00.000Z',
      modified: '2026-05-01T00:00:00.000Z',
      name: 'PowerShell',
      external_references: [
        { source_name: 'mitre-attack', external_id: 'T1059.001', url: 'https://attack.mitre.org/techniques/T1059/001' },
      ],
      object_marking_refs: [TLP.green],
    };
    await share(provider(), collection, [file, mutex, vulnerability, technique]);

    expect(await idsFor('ics-consumer', sha256.toUpperCase())).toEqual([file.id]);
    expect(await idsFor('ics-consumer', md5)).toEqual([file.id]);
    expect(await idsFor('ics-consumer', `invoice-${tag}.PDF.exe`)).toEqual([file.id]);
    expect(await idsFor('ics-consumer', `global\\kyoyu-${tag}`)).toEqual([mutex.id]);
    expect(await idsFor('ics-consumer', 'cve-2026-31337')).toContain(vulnerability.id);
    expect(await idsFor('ics-consumer', 't1059.001')).toContain(technique.id);
  });
});

describe('networks both ways', () => {
  it('answers which networks cover an address, and what is inside a network', async () => {
    const [a, b] = [octet(), octet()];
    const network = indicator({ pattern: `[ipv4-addr:value = '91.${a}.${b}.0/24']` });
    const wider = indicator({ pattern: `[ipv4-addr:value = '91.${a}.0.0/16']` });
    const inside = indicator({ pattern: `[ipv4-addr:value = '91.${a}.${b}.77']` });
    const elsewhere = indicator({ pattern: `[ipv4-addr:value = '91.${a}.${(b + 1) % 256}.77']` });
    const v6Network = indicator({ pattern: `[ipv6-addr:value = '2a0b:${a.toString(16)}:${b.toString(16)}::/48']` });
    await share(provider(), collection, [network, wider, inside, elsewhere, v6Network]);

    const covering = await hitsFor('ics-consumer', `91.${a}.${b}.200`);
    const within = await hitsFor('ics-consumer', `91.${a}.${b}.0/24`);
    const v6 = await hitsFor('ics-consumer', `2a0b:${a.toString(16)}:${b.toString(16)}:ffff::9`);

    expect(covering.map((h) => [h.id, h.match]).sort()).toEqual(
      [
        [network.id, 'covers'],
        [wider.id, 'covers'],
      ].sort(),
    );
    expect(within.map((h) => [h.id, h.match]).sort()).toEqual(
      [
        [inside.id, 'inside'],
        [network.id, 'exact'],
        [wider.id, 'covers'],
      ].sort(),
    );
    expect(v6.map((h) => [h.id, h.match])).toEqual([[v6Network.id, 'covers']]);
  });

  it('refuses a network wider than the index is searched by, saying so', async () => {
    const answer = await searcher('ics-consumer').get('ics-isac', '10.0.0.0/8');
    expect(answer.status).toBe(400);
    expect(answer.body.description).toMatch(/10\.0\.0\.0\/8 is wider than \/16/);
  });

  it('searches a domain and every subdomain under it', async () => {
    const zone = `c2-${randomUUID().slice(0, 8)}.xyz`;
    const apex = indicator({ pattern: `[domain-name:value = '${zone}']` });
    const deep = indicator({ pattern: `[domain-name:value = 'a.b.${zone}']` });
    const lookalike = indicator({ pattern: `[domain-name:value = 'x${zone}']` });
    await share(provider(), collection, [apex, deep, lookalike]);

    expect(await idsFor('ics-consumer', `*.${zone}`)).toEqual([apex.id, deep.id].sort());
    expect(await idsFor('ics-consumer', zone)).toEqual([apex.id]);
  });
});

describe('visibility: what a member may not see is what nobody shared', () => {
  const answerShape = (answer: Answer) => ({ kind: answer.kind, hits: answer.hits, error: answer.error });

  it.each([
    ['an AMBER indicator, to a GREEN-cleared member', { object_marking_refs: [TLP.amber] }, 'ics-reader'],
    [
      'a RED indicator, to a RED-cleared member it does not name',
      { object_marking_refs: [TLP.red], x_kyoyu_recipients: ['control-vendor'] },
      'ics-consumer',
    ],
    ['a secret indicator, to a member that did not opt in', { x_kyoyu_secret: true }, 'ics-reader'],
  ])('%s', async (_what, scope, username) => {
    const address = `45.91.${octet()}.${octet()}`;
    const unshared = `45.92.${octet()}.${octet()}`;
    await share(provider(), collection, [indicator({ ...scope, pattern: `[ipv4-addr:value = '${address}']` })]);

    const hidden = (await searcher(username).get('ics-isac', address)).body.results[0]!;
    const nothing = (await searcher(username).get('ics-isac', unshared)).body.results[0]!;

    expect(answerShape(hidden)).toEqual(answerShape(nothing));
    expect(hidden.hits).toEqual([]);
  });

  it('shows a RED indicator to the member it names, and the provider', async () => {
    const address = `45.93.${octet()}.${octet()}`;
    const red = indicator({
      object_marking_refs: [TLP.red],
      x_kyoyu_recipients: ['hokuriku-water'],
      pattern: `[ipv4-addr:value = '${address}']`,
    });
    await share(provider(), collection, [red]);

    expect(await idsFor('ics-consumer', address)).toEqual([red.id]);
    expect(await idsFor('ics-provider', address)).toEqual([red.id]);
    expect(await idsFor('ics-reader', address)).toEqual([]);
  });

  it("answers another tenant's members as a TAXII API root does: not theirs", async () => {
    const address = `45.94.${octet()}.${octet()}`;
    await share(provider(), collection, [indicator({ pattern: `[ipv4-addr:value = '${address}']` })]);

    const foreignRoot = await searcher('fin-consumer').get('ics-isac', address);
    const ownRoot = await searcher('fin-consumer').get('fin-isac', address);

    expect(foreignRoot.status).toBe(404);
    expect(ownRoot.status).toBe(200);
    expect(ownRoot.body.results[0]!.hits).toEqual([]);
  });

  it("reads nothing of another tenant's index for its members, so that not even the time of the 404 depends on it", async () => {
    const address = `45.95.${octet()}.${octet()}`;
    await share(provider(), collection, [indicator({ pattern: `[ipv4-addr:value = '${address}']` })]);
    const documents = createDocumentClient(baseConfig(env.platform.env));
    const table = env.platform.env.TABLE_OBJECTS!;
    const index = new DynamoSearchIndex(documents, table);
    const indexCalls: string[] = [];
    const recorded = {
      put: index.put.bind(index),
      remove: index.remove.bind(index),
      lookup: (tenantId: string, lookups: Parameters<DynamoSearchIndex['lookup']>[1]) => {
        indexCalls.push(`lookup ${tenantId}`);
        return index.lookup(tenantId, lookups);
      },
      prefixLengths: (tenantId: string) => {
        indexCalls.push(`prefixLengths ${tenantId}`);
        return index.prefixLengths(tenantId);
      },
    };
    const who = await adminClient(env, 'fin-consumer').get<{ member: { id: string }; role: string }>('/admin/whoami');
    const foreigner = { tenantId: 'fin-isac', memberId: who.body.member.id, username: 'fin-consumer', role: who.body.role } as Principal;
    const deps = {
      directory: new DynamoDirectoryStore(documents, env.platform.env.TABLE_DIRECTORY!),
      objects: new DynamoObjectStore(documents, table),
      index: recorded,
      samenessOf,
      flags: new DynamoFlagDecisionStore(documents, table),
    };

    const refused = await searchValues(foreigner, 'ics-isac', [address, 'evil.example'], deps).catch((error: Error) => error);
    const own = await searchValues(foreigner, 'fin-isac', [address], deps);

    expect(refused).toBeInstanceOf(NotFoundError);
    expect(own[0]!.hits).toEqual([]);
    // The recorder sees the member's own search, and nothing of the other tenant's.
    expect(indexCalls).toContain('lookup fin-isac');
    expect(indexCalls.filter((call) => !call.endsWith(' fin-isac'))).toEqual([]);
  });
});

describe('related items, corroboration and feedback', () => {
  it('lists what refers to a hit one hop away, and tallies opinions by member', async () => {
    const address = `45.95.${octet()}.${octet()}`;
    const c2 = indicator({ pattern: `[ipv4-addr:value = '${address}']` });
    const malware = {
      type: 'malware',
      spec_version: '2.1',
      id: `malware--${randomUUID()}`,
      created: '2026-05-01T00:00:00.000Z',
      modified: '2026-05-01T00:00:00.000Z',
      name: 'Kyoyu test RAT',
      is_family: true,
      object_marking_refs: [TLP.green],
    };
    const indicates = {
      type: 'relationship',
      spec_version: '2.1',
      id: `relationship--${randomUUID()}`,
      created: '2026-05-01T00:00:00.000Z',
      modified: '2026-05-01T00:00:00.000Z',
      relationship_type: 'indicates',
      source_ref: c2.id,
      target_ref: malware.id,
      object_marking_refs: [TLP.green],
    };
    const opinion = (value: string) => ({
      type: 'opinion',
      spec_version: '2.1',
      id: `opinion--${randomUUID()}`,
      created: '2026-05-02T00:00:00.000Z',
      modified: '2026-05-02T00:00:00.000Z',
      opinion: value,
      object_refs: [c2.id],
      object_marking_refs: [TLP.green],
    });
    await share(provider(), collection, [c2, malware, indicates]);
    const consumer = taxiiClient(env, 'ics-consumer');
    await share(consumer, collection, [opinion('strongly-disagree'), opinion('disagree')]);
    await share(provider(), collection, [opinion('agree')]);

    const [hit] = await hitsFor('ics-reader', address);

    expect(hit!.related.map((r) => [r.type, r.relationship_type ?? r.opinion]).sort()).toEqual(
      [
        ['opinion', 'agree'],
        ['opinion', 'disagree'],
        ['opinion', 'strongly-disagree'],
        ['relationship', 'indicates'],
      ].sort(),
    );
    // Members, not opinions: the consumer's two opinions are one stance (its latest), the provider's own does not
    // count, and one member is below the three a flag needs (shared/core/search/feedback.ts).
    const { 'strongly-disagree': strongly, disagree, ...rest } = hit!.feedback as unknown as Record<string, number>;
    expect((strongly ?? 0) + (disagree ?? 0)).toBe(1);
    expect(rest).toEqual({ neutral: 0, agree: 0, 'strongly-agree': 0, false_positive: false });
    expect(JSON.stringify(hit!.related)).not.toMatch(/created_by_ref|kanto|identity--/i);
  });

  it('counts independent reports of the same indicator (corroboration)', async () => {
    const address = `45.96.${octet()}.${octet()}`;
    const pattern = `[ipv4-addr:value = '${address}']`;
    await share(provider(), collection, [indicator({ pattern })]);
    await share(taxiiClient(env, 'ics-consumer'), collection, [indicator({ pattern })]);

    const hits = await hitsFor('ics-reader', address);

    expect(hits).toHaveLength(1);
    expect(hits[0]!.corroboration).toBe(2);
  });
});

describe('the index follows revocations, takedowns and deletions', () => {
  it('forgets a value its provider revokes by sharing a revoked version; nobody else may revoke it', async () => {
    const address = `45.97.${octet()}.${octet()}`;
    const shared = indicator({ pattern: `[ipv4-addr:value = '${address}']` });
    await share(provider(), collection, [shared]);
    const found = await idsFor('ics-consumer', address);
    const later = (seconds: number) => new Date(Date.parse(shared.modified as string) + seconds * 1000).toISOString();

    const byOther = await share(taxiiClient(env, 'ics-consumer'), collection, [{ ...shared, modified: later(1), revoked: true }]);
    const stillFound = await idsFor('ics-consumer', address);
    const byProvider = await share(provider(), collection, [{ ...shared, modified: later(2), revoked: true }]);
    const latest = await provider().get<EnvelopeBody>(`${collection}objects/${shared.id}/`);
    const neverShared = await share(provider(), collection, [indicator({ revoked: true })]);

    expect(found).toEqual([shared.id]);
    expect(byOther.failures[0]!.message).toMatch(/belongs to another provider/);
    expect(stillFound).toEqual([shared.id]);
    expect(byProvider.success_count).toBe(1);
    expect(latest.body.objects[0]).toMatchObject({ id: shared.id, revoked: true });
    expect(await idsFor('ics-consumer', address)).toEqual([]);
    expect(await postingsOf(shared)).toEqual([]);
    expect(neverShared.failures[0]!.message).toBe('filter: the object is revoked');
  });

  it('forgets a value a moderator takes down (the revocation the takedown publishes)', async () => {
    const address = `45.98.${octet()}.${octet()}`;
    const shared = indicator({ pattern: `[ipv4-addr:value = '${address}']` });
    await share(provider(), collection, [shared]);
    const consumer = adminClient(env, 'ics-consumer');
    const admin = adminClient(env, 'ics-admin');

    const asked = await consumer.post<{ requestId: string }>('/admin/tenants/ics-isac/takedowns', {
      collectionId,
      objectId: shared.id,
      kind: 'other',
      details: 'Not malicious',
    });
    const before = await idsFor('ics-consumer', address);
    const postedBefore = await postingsOf(shared);
    const decided = await admin.post<{ state: string }>(`/admin/tenants/ics-isac/takedowns/${asked.body.requestId}/decision`, {
      decision: 'revoke',
      note: 'Withdrawn',
    });

    expect(before).toEqual([shared.id]);
    expect(postedBefore.length).toBeGreaterThan(0);
    expect(decided.status).toBe(200);
    expect(await idsFor('ics-consumer', address)).toEqual([]);
    expect(await postingsOf(shared)).toEqual([]);
  });

  it('forgets a deleted object', async () => {
    const address = `45.99.${octet()}.${octet()}`;
    const shared = indicator({ pattern: `[ipv4-addr:value = '${address}']` });
    await share(provider(), collection, [shared]);
    const postedBefore = await postingsOf(shared);

    const deleted = await provider().delete(`${collection}objects/${shared.id}/`);

    expect(postedBefore.length).toBeGreaterThan(0);
    expect(deleted.status).toBe(200);
    expect(await idsFor('ics-consumer', address)).toEqual([]);
    expect(await postingsOf(shared)).toEqual([]);
  });

  it('is rebuilt from the stored versions by the reindex command', async () => {
    const address = `45.100.${octet()}.${octet()}`;
    const shared = indicator({ pattern: `[ipv4-addr:value = '${address}']` });
    await share(provider(), collection, [shared]);
    const client = createDocumentClient(baseConfig());
    for (const p of postingsOfObject(collectionId, shared as StixObject).postings) {
      await client.send(
        new DeleteCommand({ TableName: env.platform.env.TABLE_OBJECTS!, Key: searchKeys.posting('ics-isac', p.partition, p.sort) }),
      );
    }
    const lost = await idsFor('ics-consumer', address);

    let progress: { next?: string; objects: number } = { objects: 0 };
    const admin = adminClient(env, 'ics-admin');
    const reader = adminClient(env, 'ics-reader');
    const refused = await reader.post(`/admin/tenants/ics-isac/collections/${collectionId}/search-index`, {});
    do {
      const answer = await admin.post<{ next?: string; objects: number }>(
        `/admin/tenants/ics-isac/collections/${collectionId}/search-index`,
        progress.next ? { next: progress.next } : {},
      );
      expect(answer.status).toBe(200);
      progress = answer.body;
    } while (progress.next);
    client.destroy();

    expect(lost).toEqual([]);
    expect(refused.status).toBe(403);
    expect(progress.objects).toBeGreaterThan(0);
    expect(await idsFor('ics-consumer', address)).toEqual([shared.id]);
  });
});

describe('bulk', () => {
  it('answers 1,000 values in one request, in order, and refuses 1,001', async () => {
    const known = Array.from({ length: 5 }, () => indicator({ pattern: `[ipv4-addr:value = '45.101.${octet()}.${octet()}']` }));
    await share(provider(), collection, known);
    const knownValues = known.map((k) => /'(.*)'/.exec(k.pattern as string)![1]!);
    const values = Array.from({ length: 1000 }, (_, i) =>
      i % 200 === 0 ? knownValues[i / 200]! : `198.18.${Math.floor(i / 250)}.${i % 250}`,
    );

    const answer = await searcher('ics-consumer').bulk(values);
    const tooMany = await searcher('ics-consumer').bulk([...values, '1.2.3.4']);
    const malformed = await searcher('ics-consumer').bulk({ values: 'not a list' });

    expect(answer.status).toBe(200);
    expect(answer.body.results.map((r) => r.value)).toEqual(values);
    expect(answer.body.results.filter((r) => r.hits.length > 0).map((r) => r.hits[0]!.id)).toEqual(known.map((k) => k.id));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.description).toMatch(/1 to 1000 strings/);
    expect(malformed.status).toBe(400);
  });

  it('answers a value it cannot read with an error of its own, the others as usual', async () => {
    const answer = await searcher('ics-consumer').bulk(['10.0.0.0/8', '45.77.0.1']);
    expect(answer.status).toBe(200);
    expect(answer.body.results[0]!.error).toMatch(/wider than \/16/);
    expect(answer.body.results[1]!.error).toBeUndefined();
  });
});

describe('limits: a crowded network answers in time, saying it was cut', () => {
  const crowded = () => {
    const [a, b] = [octet(), octet()];
    const objects = Array.from({ length: 12 }, (_, i) => indicator({ pattern: `[ipv4-addr:value = '77.${a}.${b}.${i + 1}']` }));
    return { network: `77.${a}.${b}.0/24`, objects };
  };
  /** The search use case itself on the platform's tables, with limits of the test's choosing. */
  async function searchWith(limits: Partial<SearchLimits>, value: string) {
    const documents = createDocumentClient(baseConfig(env.platform.env));
    const table = env.platform.env.TABLE_OBJECTS!;
    const who = await adminClient(env, 'ics-consumer').get<{ member: { id: string }; role: string }>('/admin/whoami');
    const principal = { tenantId: 'ics-isac', memberId: who.body.member.id, username: 'ics-consumer', role: who.body.role } as Principal;
    const [answer] = await searchValues(principal, 'ics-isac', [value], {
      directory: new DynamoDirectoryStore(documents, env.platform.env.TABLE_DIRECTORY!),
      objects: new DynamoObjectStore(documents, table),
      index: new DynamoSearchIndex(documents, table),
      samenessOf,
      flags: new DynamoFlagDecisionStore(documents, table),
      limits: { ...SEARCH_LIMITS, ...limits },
    });
    return answer!;
  }

  it('shares the objects a bulk request reads among its values: a crowded value is cut, and says so', async () => {
    const { network, objects } = crowded();
    await share(provider(), collection, objects);
    // 1,000 values share 10,000 reads: 10 each.
    const values = [network, ...Array.from({ length: 999 }, (_, i) => `198.19.${Math.floor(i / 250)}.${i % 250}`)];

    const bulk = await searcher('ics-consumer').bulk(values);
    const alone = await searcher('ics-consumer').get('ics-isac', network);

    expect(bulk.status).toBe(200);
    const cut = bulk.body.results[0]! as Answer & { truncated?: boolean };
    expect([cut.hits.length, cut.truncated]).toEqual([10, true]);
    expect(bulk.body.results.slice(1).every((r) => (r as { truncated?: boolean }).truncated === undefined)).toBe(true);
    const whole = alone.body.results[0]! as Answer & { truncated?: boolean };
    expect(whole.hits.map((h) => h.id).sort()).toEqual(objects.map((o) => o.id).sort());
    expect(whole.truncated).toBeUndefined();
  });

  it('returns no more bytes of hits than the answer may carry', async () => {
    const { network, objects } = crowded();
    await share(provider(), collection, objects);
    const full = await searchWith({}, network);
    const sizes = full.hits.map((h) => Buffer.byteLength(JSON.stringify(h)));
    const budget = sizes[0]! + sizes[1]! + sizes[2]! + 1;

    const cut = await searchWith({ answerBytes: budget }, network);

    expect(full.hits).toHaveLength(12);
    expect(full.truncated).toBeUndefined();
    expect(cut.truncated).toBe(true);
    expect(cut.hits.length).toBeGreaterThan(0);
    expect(cut.hits.length).toBeLessThan(12);
    expect(cut.hits.reduce((n, h) => n + Buffer.byteLength(JSON.stringify(h)), 0)).toBeLessThanOrEqual(budget);
  });

  it('reads what the counts need first when it may read only some of what refers to a hit', async () => {
    const address = `45.96.${octet()}.${octet()}`;
    const c2 = indicator({ pattern: `[ipv4-addr:value = '${address}']` });
    const at = '2026-05-01T00:00:00.000Z';
    // Notes sort before opinions by id, so a cut in index order would keep a note and lose the opinion.
    const notes = Array.from({ length: 3 }, (_, i) => ({
      type: 'note',
      spec_version: '2.1',
      id: `note--${randomUUID()}`,
      created: at,
      modified: at,
      content: `Seen in our logs, ${i}`,
      object_refs: [c2.id],
      object_marking_refs: [TLP.green],
    }));
    const disagree = {
      type: 'opinion',
      spec_version: '2.1',
      id: `opinion--${randomUUID()}`,
      created: at,
      modified: at,
      opinion: 'strongly-disagree',
      object_refs: [c2.id],
      object_marking_refs: [TLP.green],
    };
    await share(provider(), collection, [c2, ...notes]);
    await share(taxiiClient(env, 'ics-consumer'), collection, [disagree]);

    const all = await searchWith({}, address);
    const one = await searchWith({ referringPerHit: 1 }, address);

    expect(all.hits[0]!.related.map((r) => r.type).sort()).toEqual(['note', 'note', 'note', 'opinion']);
    expect(one.hits[0]!.related.map((r) => r.id)).toEqual([disagree.id]);
    expect(one.hits[0]!.feedback).toMatchObject({ 'strongly-disagree': 1, false_positive: false });
  });
});

describe('consistency with TAXII reads', () => {
  it('finds, for every member, exactly the objects its TAXII reads show stating each value', async () => {
    // Prepare: a mix of scopes, a superseded value and a takedown, shared by two members.
    const base = `45.102.${octet()}`;
    const objects = [
      indicator({ pattern: `[ipv4-addr:value = '${base}.1']` }),
      indicator({ pattern: `[ipv4-addr:value = '${base}.2']`, object_marking_refs: [TLP.amber] }),
      indicator({ pattern: `[ipv4-addr:value = '${base}.3']`, object_marking_refs: [TLP.red], x_kyoyu_recipients: ['hokuriku-water'] }),
      indicator({ pattern: `[ipv4-addr:value = '${base}.4']`, x_kyoyu_secret: true }),
      indicator({ pattern: `[ipv4-addr:value = '${base}.5'] OR [ipv4-addr:value = '${base}.1']` }),
    ];
    await share(provider(), collection, objects);
    const moved = objects[0]!;
    await share(provider(), collection, [{ ...moved, modified: '2026-06-01T00:00:00.000Z', pattern: `[ipv4-addr:value = '${base}.6']` }]);
    const asked = await adminClient(env, 'ics-consumer').post<{ requestId: string }>('/admin/tenants/ics-isac/takedowns', {
      collectionId,
      objectId: objects[4]!.id,
      kind: 'other',
      details: 'x',
    });
    await adminClient(env, 'ics-admin').post(`/admin/tenants/ics-isac/takedowns/${asked.body.requestId}/decision`, {
      decision: 'revoke',
      note: 'Withdrawn',
    });
    await share(taxiiClient(env, 'ics-consumer'), collection, [indicator({ pattern: `[ipv4-addr:value = '${base}.2']` })]);
    const values = [1, 2, 3, 4, 5, 6].map((n) => `${base}.${n}`);

    for (const username of ['ics-provider', 'ics-consumer', 'ics-reader']) {
      // Act
      const read = (await taxiiClient(env, username).get<EnvelopeBody>(`${collection}objects/?limit=10000&match[type]=indicator`)).body
        .objects;
      const searched = (await searcher(username).bulk(values)).body.results;

      // Assess: per value, the ids a search finds are the ids of read objects whose terms state the value.
      const expected = values.map((value) =>
        read
          .filter((o) => o.revoked !== true && termsOfObject(o as StixObject).some((t) => t.kind === 'ipv4' && t.value === value))
          .map((o) => o.id)
          .sort(),
      );
      expect({ username, ids: searched.map((r) => r.hits.map((h) => h.id).sort()) }).toEqual({ username, ids: expected });
    }
  });
});

/** The postings of the object's versions that are still in the table. */
describe('kyoyu search and kyoyu reindex', () => {
  let dir = '';
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'kyoyu-search-cli-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = cliRunner(() => dir);

  it('searches values given as arguments or piped in, defanged, and rebuilds a collection by title', async () => {
    const address = `45.103.${octet()}.${octet()}`;
    const shared = indicator({ pattern: `[ipv4-addr:value = '${address}']` });
    await share(provider(), collection, [shared]);
    const consumer = demoUser(env.demo, 'ics-consumer');
    const admin = demoUser(env.demo, 'ics-admin');
    await cli.ok('profile', 'set', 'member', '--endpoint', env.platform.url, '--user', consumer.username, '--password', consumer.password);

    const table = await cli.ok('search', address.replace(/\./g, '[.]'), '198.18.0.1');
    const piped = await cli.kyoyuWith({ stdin: `# from the firewall log\n${address}\n\n10.0.0.0/8\n` }, 'search', '--json');
    const reindexed = await cli.kyoyuWith(
      { env: { KYOYU_PASSWORD: admin.password } },
      'reindex',
      env.demo.tenants[0]!.collections[0]!.title,
      '--user',
      admin.username,
      '--json',
    );

    expect(table).toMatch(new RegExp(`${address.replace(/\./g, '\\[\\.\\]')}\\s+exact\\s+${shared.id}\\s+green`));
    expect(table).toMatch(/198\.18\.0\.1\s+none/);
    expect(piped.code).toBe(0);
    const answers = JSON.parse(piped.stdout) as Answer[];
    expect(answers.map((a) => [a.value, a.hits.map((h) => h.id), a.error !== undefined])).toEqual([
      [address, [shared.id], false],
      ['10.0.0.0/8', [], true],
    ]);
    expect(reindexed.code).toBe(0);
    expect(JSON.parse(reindexed.stdout)).toMatchObject({ collection: collectionId, objects: expect.any(Number) });
  });
});

async function postingsOf(object: Record<string, unknown>): Promise<unknown[]> {
  const client = createDocumentClient(baseConfig());
  const { postings } = postingsOfObject(collectionId, object as StixObject);
  const found = await Promise.all(
    postings.map(
      async (p) =>
        (
          await client.send(
            new GetCommand({ TableName: env.platform.env.TABLE_OBJECTS!, Key: searchKeys.posting('ics-isac', p.partition, p.sort) }),
          )
        ).Item,
    ),
  );
  client.destroy();
  return found.filter((item) => item !== undefined);
}
