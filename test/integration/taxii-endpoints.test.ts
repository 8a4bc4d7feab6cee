import { startSeededPlatform, type SeededPlatform } from '../support/platform';
import { indicator, settled, share, taxiiClient, TLP, type EnvelopeBody, type StatusBody, type TaxiiClient } from '../support/taxii-client';

let env: SeededPlatform;
let provider: TaxiiClient;
let consumer: TaxiiClient;
let reader: TaxiiClient;
let indicators: string; // /ics-isac/collections/<id>/
let alerts: string;

beforeAll(async () => {
  env = await startSeededPlatform('taxii');
  provider = taxiiClient(env, 'ics-provider');
  consumer = taxiiClient(env, 'ics-consumer');
  reader = taxiiClient(env, 'ics-reader');
  const [first, second] = env.demo.tenants[0]!.collections;
  indicators = `/ics-isac/collections/${first!.id}/`;
  alerts = `/ics-isac/collections/${second!.id}/`;
});
afterAll(async () => env?.platform.stop());

describe('API root and collections', () => {
  it('describes the API root with versions and an integer max_content_length (TAXII 2.1 §4.2)', async () => {
    const response = await consumer.get<{ title: string; versions: string[]; max_content_length: number }>('/ics-isac/');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/taxii+json;version=2.1');
    expect(response.body.title).toContain('ICS ISAC');
    expect(response.body.versions).toEqual(['application/taxii+json;version=2.1']);
    expect(Number.isInteger(response.body.max_content_length)).toBe(true);
  });

  it('answers the API root without the trailing slash too (TAXII-CLIENTS #5)', async () => {
    expect((await consumer.get('/ics-isac')).status).toBe(200);
  });

  it('lists collections with can_read/can_write from grants and role', async () => {
    const asProvider = await provider.get<{
      collections: Array<{ id: string; title: string; can_read: boolean; can_write: boolean; media_types: string[] }>;
    }>('/ics-isac/collections/');
    const asReader = await reader.get<{ collections: Array<{ title: string; can_read: boolean; can_write: boolean }> }>(
      '/ics-isac/collections/',
    );

    expect(asProvider.body.collections.map((c) => [c.title, c.can_read, c.can_write])).toEqual([
      ['ICS indicators', true, true],
      ['Urgent alerts', true, false],
    ]);
    expect(asProvider.body.collections[0]!.media_types).toContain('application/stix+json;version=2.1');
    expect(asProvider.body.collections[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(asReader.body.collections.map((c) => [c.title, c.can_read, c.can_write])).toEqual([
      ['ICS indicators', true, false],
      ['Urgent alerts', true, false],
    ]);
  });

  it('serves one collection as the listing shows it', async () => {
    const listed = (await consumer.get<{ collections: unknown[] }>('/ics-isac/collections/')).body.collections[0];
    const one = await consumer.get(indicators);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(listed);
  });

  it('answers an unknown collection and another tenant collection with the same 404', async () => {
    const unknown = await consumer.get('/ics-isac/collections/00000000-0000-4000-8000-000000000000/');
    const finCollection = env.demo.tenants[1]!.collections[0]!.id;
    const foreign = await consumer.get(`/ics-isac/collections/${finCollection}/`);

    expect(unknown.status).toBe(404);
    expect(foreign.status).toBe(404);
    expect((foreign.body as { description: string }).description.replace(finCollection, 'X')).toBe(
      (unknown.body as { description: string }).description.replace('00000000-0000-4000-8000-000000000000', 'X'),
    );
  });
});

describe('POST objects and status', () => {
  it('answers 202 with a status whose counts add up, then completes with successes and per-object failures', async () => {
    const good = indicator();
    const posted = await provider.post<StatusBody>(`${indicators}objects/`, { objects: [good, { type: 'indicator', id: 'nope' }, 'text'] });

    expect(posted.status).toBe(202);
    const s = posted.body;
    expect(s.total_count).toBe(3);
    // TAXII 2.1 §3.2: microsecond precision.
    expect((s as StatusBody & { request_timestamp: string }).request_timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(s.success_count + s.failure_count + s.pending_count).toBe(3);
    expect(s.failures.map((f) => f.message)).toEqual([
      'objects[1].id: "nope" is not of the form indicator--<RFC 4122 UUID>',
      'objects[2]: must be a STIX object ({…}), got string',
    ]);
    const done = await settled(provider, 'ics-isac', s.id);
    expect([done.success_count, done.failure_count, done.pending_count]).toEqual([1, 2, 0]);
    expect(done.successes.map((x) => x.id)).toEqual([good.id]);
  });

  it('accepts a STIX bundle as the body (Splunk CTIS)', async () => {
    const object = indicator();
    const posted = await provider.post<StatusBody>(`${indicators}objects/`, {
      type: 'bundle',
      id: 'bundle--6a1f5c3e-8f6a-4c47-b3a8-3c5d3e0a9e11',
      objects: [object],
    });
    expect(posted.status).toBe(202);
    expect((await settled(provider, 'ics-isac', posted.body.id)).success_count).toBe(1);
  });

  it('stores the same version once and says so in the status', async () => {
    const object = indicator();
    await share(provider, indicators, [object]);
    const again = await share(provider, indicators, [object]);

    expect(again.successes[0]!.message).toMatch(/already stored/);
    const versions = await consumer.get<{ versions: string[] }>(`${indicators}objects/${object.id}/versions/`);
    expect(versions.body.versions).toEqual([object.modified]);
  });

  it('shares the same version twice in one POST once, and the status completes (it stayed pending for ever)', async () => {
    const object = indicator();
    const posted = await provider.post<StatusBody>(`${indicators}objects/`, { objects: [object, object] });
    const done = await settled(provider, 'ics-isac', posted.body.id);

    expect([done.success_count, done.failure_count, done.pending_count]).toEqual([1, 1, 0]);
    expect(done.failures.map((f) => f.message)).toEqual(['The same version as objects[0] of this request, which is shared once']);
    const versions = await consumer.get<{ versions: string[] }>(`${indicators}objects/${object.id}/versions/`);
    expect(versions.body.versions).toEqual([object.modified]);
  });

  it('shows a status only to the member that posted it', async () => {
    const s = await share(provider, indicators, [indicator()]);
    expect((await provider.get(`/ics-isac/status/${s.id}/`)).status).toBe(200);
    expect((await consumer.get(`/ics-isac/status/${s.id}/`)).status).toBe(404);
    expect((await taxiiClient(env, 'fin-admin').get(`/fin-isac/status/${s.id}/`)).status).toBe(404);
  });

  it.each([
    ['no body', '', 400, /no body/],
    ['invalid JSON', '{"objects": [', 400, /not valid JSON/],
    ['no objects property', '{"things": []}', 400, /no "objects"/],
    ['objects not a list', '{"objects": {}}', 400, /must be an array/],
  ])('refuses %s with a TAXII error that says why', async (_label, body, status, description) => {
    const response = await provider.post<{ description: string; http_status: string }>(`${indicators}objects/`, body);
    expect(response.status).toBe(status);
    expect(response.body.http_status).toBe(String(status));
    expect(response.body.description).toMatch(description);
  });

  it('refuses a wrong Content-Type with 415', async () => {
    const response = await provider.post<{ description: string }>(`${indicators}objects/`, { objects: [] }, 'application/json');
    expect(response.status).toBe(415);
    expect(response.body.description).toContain('application/taxii+json;version=2.1');
  });

  it('refuses a body over max_content_length with 413, and accepts one of exactly that size', async () => {
    const max = (await provider.get<{ max_content_length: number }>('/ics-isac/')).body.max_content_length;
    const object = indicator();
    const base = JSON.stringify({ objects: [object], padding: '' });
    const exact = JSON.stringify({ objects: [object], padding: 'x'.repeat(max - Buffer.byteLength(base)) });
    expect(Buffer.byteLength(exact)).toBe(max);

    const accepted = await provider.post<StatusBody>(`${indicators}objects/`, exact);
    const refused = await provider.post<{ description: string }>(`${indicators}objects/`, `${exact} `);

    expect(accepted.status).toBe(202);
    expect(refused.status).toBe(413);
    expect(refused.body.description).toContain(String(max));
  });

  it('refuses a reader (403) and a member of another tenant (404)', async () => {
    const asReader = await reader.post<{ description: string }>(`${indicators}objects/`, { objects: [indicator()] });
    const asForeign = await taxiiClient(env, 'fin-provider').post(`${indicators}objects/`, { objects: [indicator()] });
    expect(asReader.status).toBe(403);
    expect(asReader.body.description).toMatch(/can_write is false/);
    expect(asForeign.status).toBe(404);
  });
});

describe('objects, object, versions, manifest, delete', () => {
  const v1 = indicator({ created: '2026-06-01T00:00:00.000Z', modified: '2026-06-01T00:00:00.000Z', name: 'v1' });
  const v2 = { ...v1, modified: '2026-06-02T00:00:00.000Z', name: 'v2' };
  const v3 = { ...v1, modified: '2026-06-03T00:00:00.000Z', name: 'v3' };
  const other = {
    type: 'malware',
    spec_version: '2.1',
    id: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b58abc',
    created: '2026-06-01T00:00:00.000Z',
    modified: '2026-06-01T00:00:00.000Z',
    name: 'Industroyer',
    is_family: true,
    object_marking_refs: [TLP.green],
  };

  beforeAll(async () => {
    await share(provider, indicators, [v1, other]);
    await share(provider, indicators, [v3]);
    await share(provider, indicators, [v2]);
  });

  it('serves the latest version by default, every version with match[version]=all, and the first with first', async () => {
    const last = await consumer.get<EnvelopeBody>(`${indicators}objects/?match[id]=${v1.id}`);
    const all = await consumer.get<EnvelopeBody>(`${indicators}objects/?match[id]=${v1.id}&match[version]=all`);
    const first = await consumer.get<EnvelopeBody>(`${indicators}objects/?match[id]=${v1.id}&match[version]=first`);
    const exact = await consumer.get<EnvelopeBody>(`${indicators}objects/?match[id]=${v1.id}&match[version]=2026-06-02T00:00:00.000Z`);

    expect(last.body.objects.map((o) => o.name)).toEqual(['v3']);
    expect(all.body.objects.map((o) => o.name).sort()).toEqual(['v1', 'v2', 'v3']);
    expect(first.body.objects.map((o) => o.name)).toEqual(['v1']);
    expect(exact.body.objects.map((o) => o.name)).toEqual(['v2']);
  });

  it('filters by type with comma-separated values and by spec_version', async () => {
    const malware = await consumer.get<EnvelopeBody>(`${indicators}objects/?match[type]=malware`);
    const both = await consumer.get<EnvelopeBody>(`${indicators}objects/?match[type]=malware,indicator&match[spec_version]=2.1`);
    const none = await consumer.get<EnvelopeBody>(`${indicators}objects/?match[spec_version]=2.0`);

    expect(malware.body.objects.map((o) => o.id)).toEqual([other.id]);
    expect(both.body.objects.map((o) => o.id)).toEqual(expect.arrayContaining([other.id, v1.id]));
    expect(none.body).toEqual({ more: false, objects: [] });
    expect(none.headers.get('x-taxii-date-added-first')).toBeNull();
  });

  it('serves one object with its versions and the date_added headers', async () => {
    const object = await consumer.get<EnvelopeBody>(`${indicators}objects/${v1.id}/?match[version]=all`);
    const versions = await consumer.get<{ versions: string[]; more: boolean }>(`${indicators}objects/${v1.id}/versions/`);

    expect(object.status).toBe(200);
    expect(object.body.objects.map((o) => o.name)).toEqual(['v1', 'v3', 'v2']); // date_added order
    expect(object.headers.get('x-taxii-date-added-first')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(versions.body).toEqual({
      more: false,
      versions: ['2026-06-01T00:00:00.000Z', '2026-06-03T00:00:00.000Z', '2026-06-02T00:00:00.000Z'],
    });
  });

  it('lists the manifest with id, date_added, version and media_type', async () => {
    const manifest = await consumer.get<{ objects: Array<{ id: string; date_added: string; version: string; media_type: string }> }>(
      `${indicators}manifest/?match[id]=${v1.id}`,
    );
    expect(manifest.body.objects).toEqual([
      {
        id: v1.id,
        date_added: expect.stringMatching(/\.\d{6}Z$/),
        version: '2026-06-03T00:00:00.000Z',
        media_type: 'application/stix+json;version=2.1',
      },
    ]);
  });

  it('answers 404 for an object that is not there', async () => {
    const response = await consumer.get<{ description: string }>(`${indicators}objects/indicator--00000000-0000-4000-8000-000000000000/`);
    expect(response.status).toBe(404);
    expect(response.body.description).toMatch(/No object/);
  });

  it('lets only the provider (or a moderator) delete, then the object is gone', async () => {
    const victim = indicator();
    await share(provider, indicators, [victim]);

    const byConsumer = await consumer.delete(`${indicators}objects/${victim.id}/`);
    const byProvider = await provider.delete(`${indicators}objects/${victim.id}/`);
    const after = await consumer.get(`${indicators}objects/${victim.id}/`);

    expect(byConsumer.status).toBe(403);
    expect(byProvider.status).toBe(200);
    expect(byProvider.headers.get('content-type')).toBe('application/taxii+json;version=2.1');
    expect(after.status).toBe(404);
  });

  it('refuses DELETE on a collection the member may read but not write with 403, even for an object that does not exist (TAXII 2.1 §5.7)', async () => {
    const existing = await provider.delete<{ description: string }>(`${alerts}objects/${indicator().id}/`);
    expect(existing.status).toBe(403);
    expect(existing.body.description).toMatch(/read-only for you/);
  });

  it('lets a tenant admin delete one version, leaving the others', async () => {
    const admin = taxiiClient(env, 'ics-admin');
    const response = await admin.delete(`${indicators}objects/${v1.id}/?match[version]=2026-06-02T00:00:00.000Z`);
    const versions = await consumer.get<{ versions: string[] }>(`${indicators}objects/${v1.id}/versions/`);

    expect(response.status).toBe(200);
    expect(versions.body.versions).toEqual(['2026-06-01T00:00:00.000Z', '2026-06-03T00:00:00.000Z']);
  });

  it.each([
    ['limit=0', /limit/],
    ['limit=abc', /limit/],
    ['added_after=yesterday', /added_after/],
    ['match[colour]=red', /match\[colour\]/],
    ['next=forged-token', /next/],
  ])('refuses ?%s with a 400 that names the parameter', async (query, description) => {
    const response = await consumer.get<{ description: string; http_status: string }>(`${indicators}objects/?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.description).toMatch(description);
  });

  it('refuses a next token minted for another collection', async () => {
    const page = await consumer.get<EnvelopeBody>(`${indicators}objects/?limit=1`);
    expect(page.body.more).toBe(true);
    const response = await consumer.get<{ description: string }>(`${alerts}objects/?next=${page.body.next}`);
    expect(response.status).toBe(400);
    expect(response.body.description).toMatch(/another collection/);
  });
});
