import { connect } from 'node:net';
import { basic, demoUser, startSeededPlatform, TAXII_ACCEPT, type SeededPlatform } from '../support/platform';
import {
  indicator,
  settled,
  taxiiClient,
  TAXII_CONTENT_TYPE,
  type EnvelopeBody,
  type StatusBody,
  type TaxiiClient,
} from '../support/taxii-client';

/**
 * Strict at the door (issue #17): what a hostile or broken client sends, family by family. For every case: no 5xx;
 * a TAXII error message (TAXII 2.1 §3.6.1) whenever the status is ≥ 400; nothing stored (every accepted POST settles
 * with no success, and the collection's object count is unchanged); and every collection still readable afterwards.
 */

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

interface Case {
  label: string;
  send: () => Promise<Answer>;
  /** The exact status the case must answer, where the specification names one. */
  status?: number;
  /** The media type of its error messages: TAXII's, or JSON for the admin API and Kyoyu's file extensions. */
  errorType?: string;
}

let env: SeededPlatform;
let provider: TaxiiClient;
let admin: TaxiiClient;
let providerAuth: string;
let collection: string; // /ics-isac/collections/<id>/ — the provider may write
let readOnly: string; // the provider may read, not write
const counts: Record<string, number> = {};

beforeAll(async () => {
  // Cached per Authorization header as on API Gateway: the families send hundreds of requests with one credential.
  env = await startSeededPlatform('bad-input', { authorizerCacheSeconds: 300 });
  provider = taxiiClient(env, 'ics-provider');
  admin = taxiiClient(env, 'ics-admin');
  providerAuth = basic(demoUser(env.demo, 'ics-provider'));
  const [first, second] = env.demo.tenants[0]!.collections;
  collection = `/ics-isac/collections/${first!.id}/`;
  readOnly = `/ics-isac/collections/${second!.id}/`;
  // Two objects already stored, so the read cases read something, pages of one have a next token, and "unchanged" is not trivially zero.
  const posted = await provider.post<StatusBody>(`${collection}objects/`, { objects: [indicator(), indicator()] });
  await settled(provider, 'ics-isac', posted.body.id);
});
afterAll(async () => {
  // eslint-disable-next-line no-console
  console.log(`bad-input cases per family: ${JSON.stringify(counts)}, total ${Object.values(counts).reduce((a, b) => a + b, 0)}`);
  await env?.platform.stop();
});

async function viaFetch(
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string | Uint8Array } = {},
): Promise<Answer> {
  const response = await fetch(`${env.platform.url}${path}`, {
    method,
    headers: { Authorization: providerAuth, Accept: TAXII_ACCEPT, ...init.headers },
    body: init.body,
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** Raw bytes on a socket, for what fetch refuses to send (bad framing, lower-case methods, oversized heads). */
function viaSocket(head: string, body: Buffer = Buffer.alloc(0)): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(env.platform.url).port), '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code === 'EPIPE' ? socket.destroy() : reject(error),
    );
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('latin1');
      const [statusLine = '', ...rest] = raw.split('\r\n\r\n')[0]!.split('\r\n');
      const header = (name: string) =>
        rest
          .find((line) => line.toLowerCase().startsWith(`${name}:`))
          ?.slice(name.length + 1)
          .trim() ?? '';
      const bodyText = Buffer.concat(chunks)
        .subarray(raw.indexOf('\r\n\r\n') + 4)
        .toString('utf8');
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), contentType: header('content-type'), text: bodyText });
    });
    socket.setTimeout(10_000, () => socket.destroy());
    // Written without half-closing: Node drops an HTTP/1.0 request whose client has already ended its side.
    socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  });
}

/** The head of a raw request: the request line, Host, the provider's credentials, then `extra` header lines. */
function rawHead(requestLine: string, extra: string[] = []): string {
  return [
    requestLine,
    'Host: 127.0.0.1',
    `Authorization: ${providerAuth}`,
    `Accept: ${TAXII_ACCEPT}`,
    'Connection: close',
    ...extra,
    '',
    '',
  ].join('\r\n');
}

/** Every way an answer can break the promise; empty when it keeps it. */
async function violations(c: Case, answer: Answer): Promise<string[]> {
  const problems: string[] = [];
  if (answer.status === 0) problems.push('no HTTP answer');
  if (answer.status >= 500) problems.push(`answered ${answer.status}`);
  if (c.status !== undefined && answer.status !== c.status) problems.push(`answered ${answer.status}, expected ${c.status}`);
  if (answer.status >= 400) {
    if (answer.contentType.replace(/\s/g, '') !== (c.errorType ?? TAXII_CONTENT_TYPE))
      problems.push(`error Content-Type "${answer.contentType}"`);
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(answer.text) as Record<string, unknown>;
    } catch {
      problems.push(`error body is not JSON: ${JSON.stringify(answer.text.slice(0, 80))}`);
    }
    if (typeof body.title !== 'string' || typeof body.description !== 'string') problems.push('error body lacks title or description');
    if (body.http_status !== String(answer.status)) problems.push(`http_status ${JSON.stringify(body.http_status)} for ${answer.status}`);
  }
  if (answer.status === 202) {
    // Accepted for processing: nothing of it may be stored.
    const statusId = (JSON.parse(answer.text) as StatusBody).id;
    const done = await settled(provider, 'ics-isac', statusId);
    if (done.success_count > 0) problems.push(`stored ${done.successes.map((s) => s.id).join(', ')}`);
  }
  return problems;
}

async function storedCount(path: string): Promise<number> {
  let total = 0;
  let next: string | undefined;
  do {
    const page = await admin.get<EnvelopeBody>(`${path}objects/?limit=1000&match[version]=all${next ? `&next=${next}` : ''}`);
    if (page.status !== 200) throw new Error(`${path}objects/ answered ${page.status}`);
    total += page.body.objects.length;
    next = page.body.next;
  } while (next);
  return total;
}

/** Runs a family: every case keeps the promise, nothing is stored, every collection still reads. */
async function runFamily(family: string, cases: Case[]): Promise<void> {
  counts[family] = cases.length;
  const collections = env.demo.tenants[0]!.collections.map((c) => `/ics-isac/collections/${c.id}/`);
  const before = await Promise.all(collections.map(storedCount));
  const failures: string[] = [];
  // A few at a time: enough to be quick, few enough not to trip the tenant's request limit.
  for (let i = 0; i < cases.length; i += 8) {
    await Promise.all(
      cases.slice(i, i + 8).map(async (c) => {
        const problems = await violations(c, await c.send());
        if (problems.length > 0) failures.push(`${c.label}: ${problems.join('; ')}`);
      }),
    );
  }
  const after = await Promise.all(collections.map(storedCount));
  expect(failures).toEqual([]);
  expect(after).toEqual(before);
}

const get = (label: string, path: string, headers: Record<string, string> = {}, status?: number): Case => ({
  label,
  send: () => viaFetch('GET', path, { headers }),
  status,
});
const post = (label: string, body: string | Uint8Array, headers: Record<string, string> = {}, status?: number, path?: string): Case => ({
  label,
  send: () => viaFetch('POST', path ?? `${collection}objects/`, { headers: { 'Content-Type': TAXII_CONTENT_TYPE, ...headers }, body }),
  status,
});

const UUID = '6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';

describe('bad input', () => {
  it('headers: Accept and Content-Type that are not TAXII 2.1 are refused (TAXII 2.1 §1.6.8)', async () => {
    const accepts = [
      'text/html',
      'application/json',
      'application/xml',
      'application/taxii+json;version=2.0',
      'application/taxii+json;version=3',
      'application/stix+json;version=2.1',
      'image/png',
      'application/taxii+xml',
      ';;;',
      'application/taxii+json;version=',
      'application/taxii+json;version=2.1x',
      'x'.repeat(4000),
      'application/taxii+json;version=2.1;q=0',
    ];
    const contentTypes = [
      'text/plain',
      'application/json',
      'application/xml',
      'application/taxii+json;version=2.0',
      'application/stix+json;version=2.0',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded',
      'application/octet-stream',
      ';',
      'application/taxii+json;version=2.1;charset=latin1',
      'x'.repeat(4000),
    ];
    const paths = ['/taxii2/', '/ics-isac/', '/ics-isac/collections/', collection, `${collection}objects/`, `${collection}manifest/`];
    const cases: Case[] = [
      ...accepts.flatMap((accept) => paths.map((path) => get(`GET ${path} Accept ${accept.slice(0, 40)}`, path, { Accept: accept }, 406))),
      ...contentTypes.map((type) =>
        post(`POST Content-Type ${type.slice(0, 40)}`, JSON.stringify({ objects: [indicator()] }), { 'Content-Type': type }, 415),
      ),
      post('POST without Content-Type', JSON.stringify({ objects: [indicator()] }), { 'Content-Type': '' }, 415),
    ];
    await runFamily('headers', cases);
  });

  it('auth: every malformed or wrong credential is a 401 TAXII error', async () => {
    const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
    const provider = demoUser(env.demo, 'ics-provider');
    const values = [
      'Basic',
      'Basic ',
      'Basic !!!!',
      'Basic ====',
      `Basic ${b64('no-colon')}`,
      `Basic ${b64(':')}`,
      `Basic ${b64(':password')}`,
      `Basic ${b64(`${provider.username}:`)}`,
      `Basic ${b64(`${provider.username}:wrong`)}`,
      `Basic ${b64(`${provider.username} :${provider.password}`)}`,
      `Basic ${b64(`nobody:${provider.password}`)}`,
      `Basic ${b64(`${'u'.repeat(7_000)}:${provider.password}`)}`,
      `Basic ${b64(`${provider.username}:${'p'.repeat(7_000)}`)}`,
      `Basic ${b64(`${'é'.repeat(300)}:x`)}`,
      `Basic ${b64('\u0000:\u0000')}`,
      `Basic ${b64(`${provider.username}\u0000:${provider.password}`)}`,
      `Basic ${b64(`../../${provider.username}:${provider.password}`)}`,
      `basic ${b64(`nobody:x`)}`,
      `Digest username="${provider.username}"`,
      'Bearer',
      'Bearer ',
      'Bearer abc',
      `Bearer ${'k'.repeat(7_000)}`,
      'Token abc',
      'Token kyoyu_0000000000000000',
      'Negotiate YII=',
      'x'.repeat(8000),
      ' ',
      'Basic Basic Basic',
    ];
    const paths = () => ['/taxii2/', '/ics-isac/collections/', `${collection}objects/`];
    const cases: Case[] = values.flatMap((value) =>
      paths().map((path) => get(`Authorization ${value.slice(0, 30)}… on ${path.slice(0, 30)}`, path, { Authorization: value }, 401)),
    );
    // Beyond API Gateway's 10 KB of headers: refused before the authorizer, still as a TAXII error.
    cases.push(get('Authorization with a 10 KB username', '/taxii2/', { Authorization: `Basic ${b64(`${'u'.repeat(10_240)}:x`)}` }, 431));
    cases.push(
      ...paths().map((path) => ({
        label: `no Authorization on ${path}`,
        send: () => fetch(`${env.platform.url}${path}`, { headers: { Accept: TAXII_ACCEPT } }).then(answerOf),
        status: 401,
      })),
    );
    await runFamily('auth', cases);
  });

  it('methods: a method a resource does not serve is refused, never run', async () => {
    const resources = () => [
      '/taxii2/',
      '/ics-isac/',
      '/ics-isac/collections/',
      collection,
      `${collection}objects/`,
      `${collection}manifest/`,
      `${collection}objects/indicator--${UUID}/`,
      `${collection}objects/indicator--${UUID}/versions/`,
      `/ics-isac/status/${UUID}/`,
    ];
    const methods = ['PUT', 'PATCH', 'OPTIONS', 'DELETE', 'POST', 'PROPFIND', 'FOO'];
    const served = new Set(['POST objects/', 'DELETE object']);
    const cases: Case[] = [];
    for (const path of resources()) {
      for (const method of methods) {
        const kind = path.endsWith('/objects/') ? 'objects/' : /objects\/[^/]+\/$/.test(path) ? 'object' : '';
        if (served.has(`${method} ${kind}`)) continue;
        cases.push({
          label: `${method} ${path}`,
          send: () =>
            viaFetch(method, path, { headers: { 'Content-Type': TAXII_CONTENT_TYPE }, body: JSON.stringify({ objects: [indicator()] }) }),
        });
      }
    }
    await runFamily('methods', cases);
  });

  it('paths: traversal, encodings, unknown and oversized identifiers', async () => {
    const c = () => collection;
    const segments = [
      '..',
      '%2e%2e',
      '%2e%2e%2f',
      '%',
      '%zz',
      '%00',
      '%ff',
      '%c0%af',
      'x'.repeat(10_240),
      `indicator--${UUID}%2F..`,
      'indicator--00000000-0000-0000-0000-000000000000',
      `INDICATOR--${UUID}`,
      `indicator--${UUID}%20`,
      '%E2%80%AE',
      "'; DROP TABLE--",
      '{collectionId}',
      '*',
      '%252e%252e',
    ];
    const cases: Case[] = [];
    for (const s of segments) {
      cases.push(get(`collection id ${s.slice(0, 30)}`, `/ics-isac/collections/${s}/`));
      cases.push(get(`collection id ${s.slice(0, 30)} objects`, `/ics-isac/collections/${s}/objects/`));
      cases.push({ label: `object id ${s.slice(0, 30)}`, send: () => viaFetch('GET', `${c()}objects/${s}/`) });
      cases.push({ label: `object id ${s.slice(0, 30)} versions`, send: () => viaFetch('GET', `${c()}objects/${s}/versions/`) });
      cases.push({ label: `DELETE object id ${s.slice(0, 30)}`, send: () => viaFetch('DELETE', `${c()}objects/${s}/`) });
      cases.push(get(`tenant ${s.slice(0, 30)}`, `/${s}/collections/`));
      cases.push(get(`status id ${s.slice(0, 30)}`, `/ics-isac/status/${s}/`));
    }
    cases.push({ label: 'lone % in object id answers 400', send: () => viaFetch('GET', `${c()}objects/%/`), status: 400 });
    // 9 KB fits API Gateway's 10 KB request line and headers; 10 KB does not and is refused at the door (431).
    cases.push(get('a 9 KB collection id answers 404', `/ics-isac/collections/${'x'.repeat(9_000)}/`, {}, 404));
    cases.push(get('a 10 KB collection id answers 431', `/ics-isac/collections/${'x'.repeat(10_240)}/`, {}, 431));
    // Oversized identifiers on Kyoyu's JSON extensions and the admin API (as the tenant admin): 404, never 500.
    const big = 'x'.repeat(9_000);
    const adminAuth = basic(demoUser(env.demo, 'ics-admin'));
    for (const path of [
      `${c()}attachments/${big}/`,
      `${c()}samples/${big}/`,
      `/admin/tenants/ics-isac/collections/${big}`,
      `/admin/tenants/ics-isac/members/${big}`,
      `/admin/tenants/ics-isac/members/${big}/users`,
      `/admin/tenants/ics-isac/members/${big}/keys`,
      `/admin/tenants/ics-isac/members/${big}/registry`,
      `/admin/tenants/ics-isac/groups/${big}`,
      `/admin/tenants/${big}`,
    ]) {
      cases.push({
        label: `9 KB id in ${path.replace(big, 'BIG')}`,
        send: () => viaFetch('GET', path, { headers: { Authorization: adminAuth, Accept: 'application/json' } }),
        status: 404,
        errorType: 'application/json',
      });
    }
    cases.push(get('another tenant', '/fin-isac/collections/'));
    cases.push(get('double slash', '//ics-isac//collections//'));
    cases.push(get('no trailing path', '/ics-isac/collections/objects/'));
    await runFamily('paths', cases);
  });

  it('query: malformed filters, limits, timestamps and next tokens are a 400', async () => {
    const values: Array<[string, number | undefined]> = [
      ['match[id]=,,,,', 400],
      ['match[id]=', undefined],
      ['match[id]=not-an-id', 400],
      ['match[id]=indicator--xyz', 400],
      [`match[id]=indicator--${UUID},,`, undefined],
      ['match[type]=Indicator', 400],
      ['match[type]=a', 400],
      ['match[type]=,,,', 400],
      ['match[type]=%00', 400],
      ['match[version]=yesterday', 400],
      ['match[version]=2026-02-30T00:00:00Z', 400],
      ['match[version]=,,', 400],
      ['match[spec_version]=two', 400],
      ['match[spec_version]=,', 400],
      ['match[foo]=bar', 400],
      ['match[]=x', 400],
      ['match[id=x', undefined],
      ['limit=0', 400],
      ['limit=-1', 400],
      ['limit=abc', 400],
      ['limit=1.5', 400],
      ['limit=1e3', 400],
      [`limit=${'9'.repeat(400)}`, undefined],
      ['limit=1&limit=2', 400],
      ['added_after=yesterday', 400],
      ['added_after=2026-13-01T00:00:00Z', 400],
      ['added_after=2026-02-30T00:00:00Z', 400],
      ['added_after=2026-01-01T24:00:00Z', 400],
      ['added_after=2026-01-01', 400],
      ['added_after=1&added_after=2', 400],
      ['next=forged', 400],
      ['next=%00', 400],
      [`next=${'A'.repeat(9000)}`, 400],
      ['next=AQ', 400],
      ['next=!!!', 400],
      [`x=${'y'.repeat(6000)}`, undefined],
      ['%=%', undefined],
      ['match[id]=%ff', 400],
    ];
    const endpoints = () => [`${collection}objects/`, `${collection}manifest/`];
    const cases: Case[] = values.flatMap(([query, status]) =>
      endpoints().map((path) => get(`${path.slice(-9)}?${query.slice(0, 40)}`, `${path}?${query}`, {}, status)),
    );
    // Real tokens, presented where they do not belong (TAXII 2.1 §3.5: next continues one query of one endpoint).
    const tokenOf = async (path: string) => (await provider.get<EnvelopeBody>(`${path}?limit=1&match[type]=indicator`)).body.next!;
    const [manifestToken, objectsToken] = await Promise.all([tokenOf(`${collection}manifest/`), tokenOf(`${collection}objects/`)]);
    expect([typeof manifestToken, typeof objectsToken]).toEqual(['string', 'string']);
    cases.push(
      get('manifest token on objects', `${collection}objects/?next=${manifestToken}`, {}, 400),
      get('objects token on manifest', `${collection}manifest/?next=${objectsToken}`, {}, 400),
      get('objects token on another collection', `${readOnly}objects/?next=${objectsToken}`, {}, 400),
      get('objects token with another match[type]', `${collection}objects/?next=${objectsToken}&match[type]=malware`, {}, 400),
      get('objects token with a match[id]', `${collection}objects/?next=${objectsToken}&match[id]=indicator--${UUID}`, {}, 400),
      get('objects token with match[version]=all', `${collection}objects/?next=${objectsToken}&match[version]=all`, {}, 400),
      get('objects token with its own query', `${collection}objects/?next=${objectsToken}&match[type]=indicator`, {}, 200),
      get('objects token alone', `${collection}objects/?next=${objectsToken}`, {}, 200),
    );
    await runFamily('query', cases);
  });

  it('JSON bytes: invalid UTF-8 and malformed JSON are refused before anything is queued (RFC 8259)', async () => {
    const envelopeWith = (name: Buffer, where: 'value' | 'key' = 'value'): Buffer => {
      const object = JSON.stringify(indicator()).slice(0, -1);
      return where === 'value'
        ? Buffer.concat([Buffer.from(`{"objects":[${object},"name":"`), name, Buffer.from('"}]}')])
        : Buffer.concat([Buffer.from(`{"objects":[${object},"x_`), name, Buffer.from('":"v"}]}')]);
    };
    const badSequences: Array<[string, number[]]> = [
      ['lone continuation byte', [0x80]],
      ['lone 0xbf', [0xbf]],
      ['0xff', [0xff]],
      ['0xfe', [0xfe]],
      ['overlong slash (c0 af)', [0xc0, 0xaf]],
      ['overlong NUL (c0 80)', [0xc0, 0x80]],
      ['overlong 3-byte (e0 80 af)', [0xe0, 0x80, 0xaf]],
      ['overlong 4-byte (f0 80 80 af)', [0xf0, 0x80, 0x80, 0xaf]],
      ['CESU-8 high surrogate (ed a0 80)', [0xed, 0xa0, 0x80]],
      ['CESU-8 low surrogate (ed b0 80)', [0xed, 0xb0, 0x80]],
      ['CESU-8 pair', [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]],
      ['truncated 2-byte', [0xc3]],
      ['truncated 3-byte', [0xe3, 0x81]],
      ['truncated 4-byte', [0xf0, 0x9f, 0x98]],
      ['beyond U+10FFFF (f4 90 80 80)', [0xf4, 0x90, 0x80, 0x80]],
      ['5-byte form (f8 88 80 80 80)', [0xf8, 0x88, 0x80, 0x80, 0x80]],
      ['Latin-1 é', [0xe9]],
      ['Shift_JIS 日本', [0x93, 0xfa, 0x96, 0x7b]],
    ];
    const texts: string[] = [
      '{"objects": [',
      '{"objects": [}',
      '{"objects": [1,]}',
      "{'objects': []}",
      '{"objects": [NaN]}',
      '{"objects": [Infinity]}',
      '{"objects": [] } trailing',
      '{"objects": []}{"objects": []}',
      '[{"objects": []}]',
      '"objects"',
      'null',
      'true',
      '42',
      '{"objects": [0x10]}',
      '{"objects": ["\\ud800"]}'.replace('"\\ud800"', '"\\x41"'),
      '{"objects": /* comment */ []}',
      '{objects: []}',
      '\u0000',
      `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
      `{"objects": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
      `{"objects": [${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}]}`,
    ];
    const cases: Case[] = [
      ...badSequences.flatMap(([label, bytes]) => [
        post(`UTF-8 ${label} in a value`, envelopeWith(Buffer.from(bytes)), {}, 400),
        post(`UTF-8 ${label} in a key`, envelopeWith(Buffer.from(bytes), 'key'), {}, 400),
      ]),
      post('UTF-16 body', Buffer.from(JSON.stringify({ objects: [indicator()] }), 'utf16le'), {}, 400),
      post(
        'UTF-8 BOM then a lone surrogate escape is fine JSON, but a lone surrogate in bytes is not',
        envelopeWith(Buffer.from([0xed, 0xbf, 0xbf])),
        {},
        400,
      ),
      ...texts.map((text) => post(`JSON ${text.slice(0, 30)}`, text)),
    ];
    await runFamily('json-bytes', cases);
  });

  it('envelopes: wrong shapes are a 400, bad objects fail alone and nothing of them is stored', async () => {
    const id = () => `indicator--${crypto.randomUUID()}`;
    const bodies: Array<[string, unknown]> = [
      ['empty object', {}],
      ['objects null', { objects: null }],
      ['objects a string', { objects: 'x' }],
      ['objects an object', { objects: {} }],
      ['objects a number', { objects: 1 }],
      ['things', { things: [] }],
      ['array body', [indicator()]],
      ['bundle of bad objects', { type: 'bundle', id: 'bundle--x', objects: ['x'] }],
      ['objects of strings', { objects: ['a', 'b'] }],
      ['objects of numbers', { objects: [1, 2] }],
      ['objects of nulls', { objects: [null] }],
      ['objects of arrays', { objects: [[]] }],
      ['object without type', { objects: [{ id: id() }] }],
      ['object without id', { objects: [{ type: 'indicator' }] }],
      ['id of another type', { objects: [indicator({ id: `malware--${UUID}` })] }],
      ['id without uuid', { objects: [indicator({ id: 'indicator--' })] }],
      ['id with path', { objects: [indicator({ id: `indicator--${UUID}/../x` })] }],
      ['id with percent', { objects: [indicator({ id: `indicator--%2e%2e` })] }],
      ['id of 10 KB', { objects: [indicator({ id: `indicator--${'a'.repeat(10_240)}` })] }],
      ['type of 10 KB', { objects: [indicator({ type: 'a'.repeat(10_240) })] }],
      ['type a number', { objects: [indicator({ type: 7 })] }],
      ['id a number', { objects: [indicator({ id: 7 })] }],
      ['type empty', { objects: [indicator({ type: '' })] }],
      ['pattern missing', { objects: [indicator({ pattern: undefined })] }],
      ['pattern unbalanced', { objects: [indicator({ pattern: "[ipv4-addr:value = '1.2.3.4'" })] }],
      ['created not a date', { objects: [indicator({ created: 'yesterday', modified: 'yesterday' })] }],
      ['object_marking_refs not a list', { objects: [indicator({ object_marking_refs: 'x' })] }],
      ['x_kyoyu_recipients not a list', { objects: [indicator({ x_kyoyu_recipients: 'all' })] }],
      ['x_kyoyu_secret not a boolean', { objects: [indicator({ x_kyoyu_secret: 'yes' })] }],
      // STIX 2.1 §6: each SCO value in its form; §3.1: a custom *_ref names an object.
      ...(
        [
          ['ipv4-addr', { value: '999.1.1.1' }],
          ['ipv4-addr', { value: '10.0.0.1/33' }],
          ['ipv6-addr', { value: '2001:db8::1::2' }],
          ['domain-name', { value: '198.51.100.1' }],
          ['email-addr', { value: 'Jane <jane@example.com>' }],
          ['url', { value: 'example.com/login' }],
          ['mac-addr', { value: 'd2:fb:49' }],
          ['file', { hashes: { 'SHA-256': 'abc' } }],
          ['autonomous-system', { number: 2 ** 32 }],
          ['ipv4-addr', { value: '198.51.100.1', x_acme_victim_ref: 'ACME Corp' }],
        ] as const
      ).map(([type, properties]): [string, unknown] => [
        `${type} ${JSON.stringify(properties)}`,
        { objects: [{ type, spec_version: '2.1', id: `${type}--${crypto.randomUUID()}`, ...properties }] },
      ]),
    ];
    const cases: Case[] = bodies.map(([label, body]) => post(label, JSON.stringify(body)));
    const twice = indicator({ pattern: 'not a pattern' });
    cases.push(post('the same bad object twice', JSON.stringify({ objects: [twice, twice] })));
    cases.push(post('POST to a collection the member may only read', JSON.stringify({ objects: [indicator()] }), {}, 403, undefined));
    cases[cases.length - 1] = {
      ...cases[cases.length - 1]!,
      send: () =>
        viaFetch('POST', `${readOnly}objects/`, {
          headers: { 'Content-Type': TAXII_CONTENT_TYPE },
          body: JSON.stringify({ objects: [indicator()] }),
        }),
    };
    cases.push(post('indicator list as JSON', JSON.stringify({ objects: [indicator()] }), {}, 415, `${collection}indicators/`));
    cases[cases.length - 1] = {
      ...cases[cases.length - 1]!,
      send: () => viaFetch('POST', `${collection}indicators/`, { headers: { 'Content-Type': TAXII_CONTENT_TYPE }, body: '{}' }),
    };
    await runFamily('envelopes', cases);
  });

  it('typed values: a bad observable fails alone with the property and value in its status, the rest is published', async () => {
    const bad = { type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${crypto.randomUUID()}`, value: '999.1.1.1' };
    const good = { type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${crypto.randomUUID()}`, value: '185.220.101.47' };
    const other = indicator();

    const posted = await provider.post<StatusBody>(`${collection}objects/`, { objects: [bad, good, other] });
    const done = await settled(provider, 'ics-isac', posted.body.id);
    const read = await provider.get<EnvelopeBody>(`${collection}objects/?match[type]=ipv4-addr,indicator&limit=1000`);

    expect(posted.status).toBe(202);
    expect(done.failures.map((f) => [f.id, f.message])).toEqual([
      [bad.id, expect.stringMatching(/^normalize: value: "999\.1\.1\.1" is not an IPv4 address or CIDR block/)],
    ]);
    expect(done.success_count).toBe(2);
    const values = read.body.objects.map((o) => o.value ?? o.id);
    expect(values).toEqual(expect.arrayContaining(['185.220.101.47', other.id]));
    expect(values).not.toContain('999.1.1.1');
  });

  it('HTTP framing: what Node would refuse by itself is answered with a TAXII error', async () => {
    const envelope = JSON.stringify({ objects: [indicator({ pattern: 'no' })] });
    const path = () => `${collection}objects/`;
    const cases: Case[] = [
      ['lower-case method', () => rawHead(`get ${path()} HTTP/1.1`)],
      ['unknown method', () => rawHead(`FROB ${path()} HTTP/1.1`)],
      ['garbage request line', () => rawHead('hello')],
      ['HTTP/0.9 version', () => rawHead(`GET ${path()} HTTP/0.9`)],
      ['HTTP/3.0 version', () => rawHead(`GET ${path()} HTTP/3.0`)],
      ['URL of 100 KB', () => rawHead(`GET ${path()}?x=${'y'.repeat(100_000)} HTTP/1.1`)],
      ['header of 100 KB', () => rawHead(`GET ${path()} HTTP/1.1`, [`X-Big: ${'z'.repeat(100_000)}`])],
      [
        '2,000 headers',
        () =>
          rawHead(
            `GET ${path()} HTTP/1.1`,
            Array.from({ length: 2000 }, (_, i) => `X-H${i}: v`),
          ),
      ],
      ['header without colon', () => rawHead(`GET ${path()} HTTP/1.1`, ['Broken header'])],
      ['space before colon', () => rawHead(`GET ${path()} HTTP/1.1`, ['X-Bad : v'])],
      ['control character in header', () => rawHead(`GET ${path()} HTTP/1.1`, ['X-Bad: a\u0001b'])],
      [
        'Content-Length not a number',
        () => rawHead(`POST ${path()} HTTP/1.1`, [`Content-Type: ${TAXII_CONTENT_TYPE}`, 'Content-Length: abc']),
      ],
      ['negative Content-Length', () => rawHead(`POST ${path()} HTTP/1.1`, [`Content-Type: ${TAXII_CONTENT_TYPE}`, 'Content-Length: -1'])],
      [
        'two different Content-Length',
        () => rawHead(`POST ${path()} HTTP/1.1`, [`Content-Type: ${TAXII_CONTENT_TYPE}`, 'Content-Length: 5', 'Content-Length: 6']),
      ],
      [
        'Content-Length and chunked',
        () =>
          rawHead(`POST ${path()} HTTP/1.1`, [`Content-Type: ${TAXII_CONTENT_TYPE}`, 'Content-Length: 5', 'Transfer-Encoding: chunked']),
      ],
      [
        'unknown Transfer-Encoding',
        () => rawHead(`POST ${path()} HTTP/1.1`, [`Content-Type: ${TAXII_CONTENT_TYPE}`, 'Transfer-Encoding: gzip, rot13']),
      ],
      [
        'bad chunk size',
        () =>
          `${rawHead(`POST ${path()} HTTP/1.1`, [`Content-Type: ${TAXII_CONTENT_TYPE}`, 'Transfer-Encoding: chunked'])}zz\r\nabc\r\n0\r\n\r\n`,
      ],
      [
        'Content-Length short of the body',
        () =>
          `${rawHead(`POST ${path()} HTTP/1.1`, [`Content-Type: ${TAXII_CONTENT_TYPE}`, `Content-Length: ${envelope.length - 9}`])}${envelope}`,
      ],
      [
        'Content-Length of 2^64',
        () => rawHead(`POST ${path()} HTTP/1.1`, [`Content-Type: ${TAXII_CONTENT_TYPE}`, 'Content-Length: 18446744073709551616']),
      ],
      ['bare LF line endings', () => rawHead(`GET ${path()} HTTP/1.1`).replace(/\r\n/g, '\n')],
    ].map(([label, head]) => ({ label: label as string, send: () => viaSocket((head as () => string)()) }));
    await runFamily('http-framing', cases);
  });
});

async function answerOf(response: Response): Promise<Answer> {
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}
