import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminClient } from '../support/admin-client';
import { cliRunner, type Run } from '../support/cli';
import { eventually } from '../support/eventually';
import { basic, demoUser, startSeededPlatform, type SeededPlatform } from '../support/platform';
import { indicator, share, taxiiClient, TLP, type TaxiiClient } from '../support/taxii-client';

/**
 * Exports (issue #15) over HTTP: what each member's firewall or IDS receives is exactly what TAXII shows it, less
 * revoked, expired and flagged objects; full snapshots with ETags; large ones through the exports bucket.
 * The fixture mirrors taxii-visibility.test.ts: one named indicator per visibility rule, each with its own address.
 */
let env: SeededPlatform;
let provider: TaxiiClient;
let collectionId: string;
let collection: string;

const ip = (object: Record<string, unknown>) => /'([^']+)'/.exec(object.pattern as string)![1]!;

const shared = {
  green: indicator({ name: 'green' }),
  clear: indicator({ name: 'clear', object_marking_refs: [TLP.clear] }),
  amber: indicator({ name: 'amber', object_marking_refs: [TLP.amber] }),
  unmarked: indicator({ name: 'unmarked', object_marking_refs: undefined }),
  redForConsumer: indicator({ name: 'red-named', object_marking_refs: [TLP.red], x_kyoyu_recipients: ['hokuriku-water'] }),
  redForNobody: indicator({ name: 'red-unnamed', object_marking_refs: [TLP.red] }),
  secretGreen: indicator({ name: 'secret-green', x_kyoyu_secret: true }),
};

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** A firewall's poll: Basic credentials (or any Authorization), `Accept: *\/*` unless told otherwise, no redirects followed. */
async function poll(username: string | { authorization: string }, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const authorization = typeof username === 'string' ? basic(demoUser(env.demo, username)) : username.authorization;
  const response = await fetch(`${env.platform.url}${path}`, {
    headers: { Authorization: authorization, Accept: '*/*', ...headers },
    redirect: 'manual',
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const lines = (text: string) => text.split('\n').filter(Boolean).sort();
const listOf = async (username: string, path = `${collection}exports/list-ip/`) => {
  const answer = await poll(username, path);
  expect(answer.status).toBe(200);
  return lines(answer.text);
};
const ipsOf = (...objects: Array<Record<string, unknown>>) => objects.map(ip).sort();

beforeAll(async () => {
  env = await startSeededPlatform('exports');
  provider = taxiiClient(env, 'ics-provider');
  collectionId = env.demo.tenants[0]!.collections[0]!.id;
  collection = `/ics-isac/collections/${collectionId}/`;
  await share(provider, collection, Object.values(shared));
});
afterAll(async () => env?.platform.stop());

describe('visibility: each member exports what TAXII shows it', () => {
  it('gives the provider everything, the RED-cleared opted-in consumer its share, the GREEN reader CLEAR and GREEN', async () => {
    const s = shared;
    expect(await listOf('ics-provider')).toEqual(ipsOf(...Object.values(s)));
    expect(await listOf('ics-consumer')).toEqual(ipsOf(s.green, s.clear, s.amber, s.unmarked, s.redForConsumer, s.secretGreen));
    expect(await listOf('ics-reader')).toEqual(ipsOf(s.green, s.clear));
  });

  it('is the same for every collection the member may read as for the one collection that holds anything', async () => {
    expect(await listOf('ics-reader', '/ics-isac/exports/list-ip/')).toEqual(await listOf('ics-reader'));
    expect(await listOf('ics-reader', `/ics-isac/exports/list-ip/?collection=${collectionId}`)).toEqual(await listOf('ics-reader'));
  });

  it('never carries a hidden value in any format, and never the provider', async () => {
    const hidden = ipsOf(shared.amber, shared.redForConsumer, shared.redForNobody, shared.secretGreen);
    const formats = ['stix', 'csv', 'json', 'jsonl', 'paloalto-ip', 'fortinet-ip', 'suricata', 'snort3', 'yara', 'zeek'];
    // Lifting every default exclusion, and naming the collection in the other spellings, shows nothing more.
    const scopes = ['', '?include=revoked,expired,flagged', `?collection=${collectionId}&include=flagged`];
    for (const [format, scope] of formats.flatMap((f) => scopes.map((q) => [f, q] as const))) {
      const answer = await poll('ics-reader', `/ics-isac/exports/${format}/${scope}`);
      expect([format, answer.status]).toEqual([format, 200]);
      for (const value of hidden) expect([format, answer.text.includes(value)]).toEqual([format, false]);
      expect(answer.text).not.toMatch(/kanto|x_kyoyu/i);
    }
  });

  it('shows another tenant nothing: the collection is a 404, and its own export is that of empty collections', async () => {
    const foreign = await poll('fin-consumer', `${collection}exports/list-ip/`);
    const foreignByQuery = await poll('fin-consumer', `/ics-isac/exports/list-ip/?collection=${collectionId}`);
    const own = await poll('fin-consumer', '/fin-isac/exports/list-ip/');
    const ownBundle = await poll('fin-consumer', '/fin-isac/exports/stix/');
    expect([foreign.status, foreignByQuery.status]).toEqual([404, 404]);
    expect(foreign.text).not.toContain(ip(shared.green));
    expect([own.status, own.text]).toEqual([200, '']);
    expect(JSON.parse(ownBundle.text)).toEqual({ type: 'bundle', id: expect.stringMatching(/^bundle--/), objects: [] });
  });

  it('answers a firewall polling with an API key (Bearer) the same list as the member’s user', async () => {
    const created = await adminClient(env, 'ics-admin').post<{ secret: string }>('/admin/tenants/ics-isac/members/control-vendor/keys', {
      name: 'firewall',
      role: 'reader',
    });
    expect(created.status).toBe(201);
    const byKey = await poll({ authorization: `Bearer ${created.body.secret}` }, `${collection}exports/paloalto-ip/`);
    expect(lines(byKey.text)).toEqual(await listOf('ics-reader'));
  });
});

/** A member's STIX opinion (§4.12) of one object: what the false-positive flag is tallied from. */
const opinionOn = (objectId: string, value: string, marking = TLP.green) => ({
  type: 'opinion',
  spec_version: '2.1',
  id: `opinion--${crypto.randomUUID()}`,
  created: '2026-05-02T00:00:00.000Z',
  modified: '2026-05-02T00:00:00.000Z',
  opinion: value,
  object_refs: [objectId],
  object_marking_refs: [marking],
});

describe('default exclusions', () => {
  // One member's disagreement is enough here: these tests are about exclusion and visibility, not the count of members
  // a flag needs (test/integration/false-positive-flags.test.ts).
  beforeAll(async () => {
    const patched = await adminClient(env, 'ics-admin').patch(`/admin/tenants/ics-isac/collections/${collectionId}`, {
      policy: { falsePositiveMembers: 1 },
    });
    expect(patched.status).toBe(200);
  });

  it('a revocation removes the value from every list, and include=revoked brings it back', async () => {
    const doomed = indicator({ name: 'to be revoked' });
    await share(provider, collection, [doomed]);
    const value = ip(doomed);
    const formats = ['list-ip', 'paloalto-ip', 'fortinet-ip', 'suricata', 'snort3', 'zeek', 'csv', 'json', 'yara', 'stix'];
    const before = await Promise.all(
      formats.map(async (f) => (await poll('ics-consumer', `${collection}exports/${f}/`)).text.includes(value)),
    );

    const admin = adminClient(env, 'ics-admin');
    const asked = await adminClient(env, 'ics-consumer').post<{ requestId: string }>('/admin/tenants/ics-isac/takedowns', {
      collectionId,
      objectId: doomed.id,
      kind: 'other',
      details: 'benign',
    });
    const decided = await admin.post(`/admin/tenants/ics-isac/takedowns/${asked.body.requestId}/decision`, { decision: 'revoke' });
    const after = await Promise.all(
      formats.map(async (f) => (await poll('ics-consumer', `${collection}exports/${f}/`)).text.includes(value)),
    );
    const included = await poll('ics-consumer', `${collection}exports/list-ip/?include=revoked`);

    expect(before).toEqual(formats.map(() => true));
    expect(decided.status).toBe(200);
    expect(after).toEqual(formats.map(() => false));
    expect(lines(included.text)).toContain(value);
  });

  it('an indicator members flag as a false positive (more disagree than agree) is left out, and include=flagged brings it back', async () => {
    const disputed = indicator({ name: 'disputed' });
    const opinion = (value: string) => opinionOn(disputed.id, value);
    await share(provider, collection, [disputed, opinion('agree')]);
    const agreed = await listOf('ics-reader');

    await share(taxiiClient(env, 'ics-consumer'), collection, [opinion('disagree'), opinion('strongly-disagree')]);
    const byDefault = await listOf('ics-reader');
    const included = await listOf('ics-reader', `${collection}exports/list-ip/?include=flagged`);

    expect(agreed).toContain(ip(disputed));
    expect(byDefault).not.toContain(ip(disputed));
    expect(included).toContain(ip(disputed));
  });

  it('counts only the opinions the member may see: AMBER disagreement does not flag an object for a GREEN reader', async () => {
    const disputed = indicator({ name: 'disputed in private' });
    const amberOpinion = (value: string) => opinionOn(disputed.id, value, TLP.amber);
    await share(provider, collection, [disputed]);
    await share(taxiiClient(env, 'ics-consumer'), collection, [amberOpinion('strongly-disagree')]);

    expect(await listOf('ics-reader')).toContain(ip(disputed));
    expect(await listOf('ics-consumer')).not.toContain(ip(disputed));
  });

  it('an indicator past its valid_until is left out, and include=expired brings it back', async () => {
    const validUntil = new Date(Date.now() + 3000).toISOString();
    const expiring = indicator({ name: 'expiring', created: new Date(Date.now() - 60_000).toISOString(), valid_until: validUntil });
    await share(provider, collection, [expiring]);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(validUntil) - Date.now() + 50)));

    const byDefault = await listOf('ics-consumer');
    const included = await listOf('ics-consumer', `${collection}exports/list-ip/?include=expired,revoked`);

    expect(byDefault).not.toContain(ip(expiring));
    expect(included).toContain(ip(expiring));
  });
});

describe('full snapshots with ETags', () => {
  it('answers 304 to If-None-Match while nothing changed, and a new ETag after a commit', async () => {
    const path = `${collection}exports/paloalto-ip/`;
    const first = await poll('ics-reader', path);
    const again = await poll('ics-reader', path, { 'If-None-Match': first.headers.get('etag')! });
    const added = indicator({ name: 'new green' });
    await share(provider, collection, [added]);
    const changed = await poll('ics-reader', path, { 'If-None-Match': first.headers.get('etag')! });

    expect(first.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect([again.status, again.text, again.headers.get('etag')]).toEqual([304, '', first.headers.get('etag')]);
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(first.headers.get('etag'));
    expect(lines(changed.text)).toEqual([...lines(first.text), ip(added)].sort());
  });

  it('sends an export over the inline limit through the exports bucket: 303 to a presigned URL with the same bytes, 304 when unchanged', async () => {
    const path = `${collection}exports/stix/`;
    const inline = await poll('ics-provider', path);
    process.env.EXPORT_INLINE_MAX_BYTES = '1024';
    let redirected: Answer;
    let unchanged: Answer;
    try {
      redirected = await poll('ics-provider', path);
      unchanged = await poll('ics-provider', path, { 'If-None-Match': inline.headers.get('etag')! });
    } finally {
      delete process.env.EXPORT_INLINE_MAX_BYTES;
    }
    const location = redirected.headers.get('location')!;
    const downloaded = await fetch(location);

    expect(inline.text.length).toBeGreaterThan(1024);
    expect(redirected.status).toBe(303);
    expect(JSON.parse(redirected.text)).toMatchObject({
      url: location,
      bytes: Buffer.byteLength(inline.text),
      media_type: 'application/stix+json;version=2.1',
    });
    expect(redirected.headers.get('etag')).toBe(inline.headers.get('etag'));
    expect(downloaded.status).toBe(200);
    expect(await downloaded.text()).toBe(inline.text);
    expect([unchanged.status, unchanged.text]).toEqual([304, '']);
  });
});

describe('media types and refusals', () => {
  it.each([
    ['list-domain', 'text/plain; charset=utf-8'],
    ['paloalto-url', 'text/plain; charset=utf-8'],
    ['suricata', 'text/plain; charset=utf-8'],
    ['stix', 'application/stix+json;version=2.1'],
    ['csv', 'text/csv; charset=utf-8; header=present'],
    ['json', 'application/json'],
  ])('%s is served as %s, also to a client that sends no Accept', async (format, mediaType) => {
    const response = await fetch(`${env.platform.url}${collection}exports/${format}/`, {
      headers: { Authorization: basic(demoUser(env.demo, 'ics-reader')) },
    });
    await response.text();
    expect([response.status, response.headers.get('content-type')]).toEqual([200, mediaType]);
  });

  it('writes the documented CSV columns and a STIX bundle of the objects', async () => {
    const csv = await poll('ics-reader', `${collection}exports/csv/`);
    const bundle = JSON.parse((await poll('ics-reader', `${collection}exports/stix/`)).text) as {
      type: string;
      objects: Array<{ id: string }>;
    };
    expect(csv.text.split('\r\n')[0]).toBe('object_id,type,value,hash_algorithm,tlp,valid_from,valid_until,modified,name');
    expect(csv.text).toContain(`${shared.green.id},ipv4-addr,${ip(shared.green)},,TLP:GREEN,`);
    expect(bundle.type).toBe('bundle');
    expect(bundle.objects.map((o) => o.id)).toEqual(expect.arrayContaining([shared.green.id, shared.clear.id]));
  });

  it.each([
    [
      'an unknown format',
      `${'/ics-isac/collections/COLL/'}exports/pdf/`,
      400,
      /format: "pdf" is not an export format; use one of stix, csv/,
    ],
    ['an unknown collection', '/ics-isac/collections/6b0ab4ff-6f55-4c33-a4a8-13e6c4b1f1a0/exports/list-ip/', 404, /collection/i],
    ['a malformed collection', '/ics-isac/exports/list-ip/?collection=../../etc', 404, /collection/i],
    ['a collection id in capitals', `/ics-isac/exports/list-ip/?collection=COLLUPPER`, 404, /collection/i],
    ['a percent-encoded format', '/ics-isac/exports/list%2Dip%00/', 400, /format: "list-ip\u0000" is not an export format/],
    [
      'two different collections',
      '/ics-isac/collections/COLL/exports/list-ip/?collection=6b0ab4ff-6f55-4c33-a4a8-13e6c4b1f1a0',
      400,
      /collection: the path names/,
    ],
    ['an unknown inclusion', '/ics-isac/exports/list-ip/?include=everything', 400, /include: "everything"/],
    ['an Accept the format cannot meet', '/ics-isac/exports/list-ip/', 406, /text\/plain/],
  ])('refuses %s with a TAXII error that says why', async (_what, path, status, description) => {
    const headers: Record<string, string> = status === 406 ? { Accept: 'application/taxii+json;version=2.1' } : {};
    const answer = await poll('ics-reader', path.replace('COLLUPPER', collectionId.toUpperCase()).replace('COLL', collectionId), headers);
    const body = JSON.parse(answer.text) as { http_status: string; description: string; title: string };
    expect([answer.status, body.http_status]).toEqual([status, String(status)]);
    expect(body.description).toMatch(description);
  });
});

describe('audit', () => {
  type Listed = { action: string; at: string; memberId: string; target: { id: string }; details: { endpoint: string; objects: number } };
  type Entry = { action: string; details?: { events?: Listed[] } };
  const readsSince = async (since: string): Promise<Listed[]> => {
    const page = await adminClient(env, 'ics-admin').get<{ entries: Entry[] }>(`/admin/tenants/ics-isac/audit?limit=50&since=${since}`);
    return page.body.entries
      .flatMap((e) => (e.action === 'audit.batch' || e.action === 'taxii.read' ? (e.details?.events ?? []) : []))
      .filter((e) => e.action === 'taxii.read' && e.at >= since);
  };

  it('records one read per collection an export read, with the objects it took from each', async () => {
    const since = new Date().toISOString();
    const answer = await poll('ics-reader', '/ics-isac/exports/zeek/');
    const read = Number(/objects=(\d+)/.exec(answer.headers.get('x-kyoyu-export-stats') ?? '')?.[1]);
    const reads = await eventually(
      () => readsSince(since),
      (found) => found.length >= 2,
    );
    const collections = env.demo.tenants[0]!.collections.map((c) => c.id);
    expect(reads.map((r) => [r.memberId, r.target.id, r.details.endpoint]).sort()).toEqual(
      collections.map((id) => ['control-vendor', id, 'export:zeek']).sort(),
    );
    expect(read).toBeGreaterThan(0);
    expect(reads.find((r) => r.target.id === collectionId)!.details.objects).toBe(read);
  });
});

describe('kyoyu export', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'kyoyu-export-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The CLI as a user runs it (the npm bin launcher), as the GREEN reader, password from the environment. */
  const cli = cliRunner(() => dir);
  function kyoyu(...args: string[]): Promise<Run> {
    const reader = demoUser(env.demo, 'ics-reader');
    return cli.kyoyuWith({ env: { KYOYU_PASSWORD: reader.password } }, ...args, '--endpoint', env.platform.url, '--user', reader.username);
  }

  it('writes the export to standard output, and to a file through the exports bucket when it is large, never over an existing file', async () => {
    const http = await poll('ics-reader', '/ics-isac/exports/suricata/');
    const toStdout = await kyoyu('export', '--format', 'suricata');
    const output = join(dir, 'kyoyu.rules');
    process.env.EXPORT_INLINE_MAX_BYTES = '256';
    let toFile: Awaited<ReturnType<typeof kyoyu>>;
    let again: Awaited<ReturnType<typeof kyoyu>>;
    try {
      toFile = await kyoyu('export', '--format', 'suricata', '--collection', 'ICS indicators', '--output', output);
      again = await kyoyu('export', '--format', 'suricata', '--output', output);
    } finally {
      delete process.env.EXPORT_INLINE_MAX_BYTES;
    }

    expect([toStdout.code, toStdout.stdout]).toEqual([0, http.text]);
    expect(http.text.length).toBeGreaterThan(256);
    expect(toFile.code).toBe(0);
    expect(readFileSync(output, 'utf8')).toBe(http.text);
    expect([again.code, again.stderr]).toEqual([1, expect.stringMatching(/--force/)]);
  });

  it('says why the API refused', async () => {
    const refused = await kyoyu('export', '--format', 'pdf');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/400 format: "pdf" is not an export format/);
    expect(existsSync(join(dir, 'pdf'))).toBe(false);
  });
});
