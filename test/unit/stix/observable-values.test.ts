import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { STIX_SCHEMAS } from '../../support/fixtures';
import { normalize, normalizeObject } from '../../../shared/core/normalize/normalize';
import type { PipelineMessage } from '../../../shared/core/pipeline/message';
import type { Settlement } from '../../../shared/core/taxii/status';
import type { StixObject } from '../../../shared/core/taxii/model';

/**
 * Every SCO value and id-contributing property in its form (STIX 2.1 §6), and every custom `*_ref` an identifier.
 * The oracle is the OASIS STIX 2.1 JSON schemas (a copy in test/fixtures): what Kyoyu publishes the schema accepts,
 * and what Kyoyu refuses the schema refuses too — except where the spec's prose is stricter than the schema, each
 * such case with the reason.
 */

type Json = Record<string, unknown>;

const SCHEMAS = STIX_SCHEMAS;
const ajv = new Ajv2020({ strict: false, unicodeRegExp: false, logger: false }); // the OASIS patterns use \- outside classes
addFormats(ajv);
for (const dir of ['common', 'observables'])
  for (const name of readdirSync(join(SCHEMAS, dir)).filter((file) => file.endsWith('.json')))
    ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, dir, name), 'utf8')) as Json);
const schemaAccepts = (object: Json): boolean =>
  Boolean(
    ajv.getSchema(`http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/observables/${object.type}.json`)!(
      object,
    ),
  );

const ID = '4d22aae0-2bf9-5427-8819-e4f6abf20a53';
const sco = (type: string, properties: Json): Json => ({ type, spec_version: '2.1', id: `${type}--${ID}`, ...properties });
const file = (hashes: unknown): Json => sco('file', { name: 'a.exe', hashes });

/** Kyoyu's verdict: the published object, or the refusal's reason. */
const judge = (object: Json) => normalizeObject(object as StixObject);

interface Case {
  object: Json;
  ok: boolean;
  /** Where the schema disagrees with the spec's prose: why Kyoyu follows the spec. */
  stricter?: string;
  /** Where Kyoyu accepts what the schema refuses: why. */
  looser?: string;
}
const ok = (object: Json, looser?: string): Case => ({ object, ok: true, ...(looser ? { looser } : {}) });
const bad = (object: Json, stricter?: string): Case => ({ object, ok: false, ...(stricter ? { stricter } : {}) });

const RFC1034 = 'STIX 2.1 §6.3: RFC 1034/5890 names; the schema format idn-hostname is not checked by the schema validator';
const RFC5322 = 'STIX 2.1 §6.4: an RFC 5322 addr-spec; the schema format "email" allows this';
const HASH_SPELLING = "STIX 2.1 §2.7: a key that spells a vocabulary algorithm another way holds that algorithm's hash";

const CASES: Case[] = [
  // ipv4-addr (STIX 2.1 §6.5)
  ...['198.51.100.3', '0.0.0.0', '255.255.255.255', '10.0.0.0/8', '192.0.2.0/24', '1.2.3.4/0', '1.2.3.4/32'].map((value) =>
    ok(sco('ipv4-addr', { value })),
  ),
  ...['999.1.1.1', '256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.4/33', '1.2.3.4/08', '1.2.3.4/', 'a.b.c.d', '', ' 1.2.3.4x'].map(
    (value) => bad(sco('ipv4-addr', { value })),
  ),
  bad(sco('ipv4-addr', { value: 3232235777 })),
  // ipv6-addr (STIX 2.1 §6.6)
  ...['2001:db8::1', '::', '::1', '2001:DB8::1', '2001:db8::/32', 'fe80::1:2:3:4', '::ffff:192.0.2.1', '1:2:3:4:5:6:7:8/128'].map((value) =>
    ok(sco('ipv6-addr', { value })),
  ),
  ...['2001:db8::1::2', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '2001:db8::/129', '198.51.100.3', ':::', ''].map((value) =>
    bad(sco('ipv6-addr', { value })),
  ),
  // mac-addr (STIX 2.1 §6.10): lower case and colons are the canonical form, so other spellings are published in it.
  ok(sco('mac-addr', { value: 'd2:fb:49:24:37:18' })),
  ok(sco('mac-addr', { value: 'D2:FB:49:24:37:18' })),
  ok(sco('mac-addr', { value: 'd2-fb-49-24-37-18' })),
  ...['d2:fb:49:24:37', 'd2:fb:49:24:37:18:00', 'd2fb.4924.3718', 'g2:fb:49:24:37:18', '2:fb:49:24:37:18'].map((value) =>
    bad(sco('mac-addr', { value })),
  ),
  // domain-name (STIX 2.1 §6.3)
  ...['example.com', 'EXAMPLE.com.', 'xn--r8jz45g.jp', '例え.jp', '_dmarc.example.com', 'localhost', 'a-b.example'].map((value) =>
    ok(sco('domain-name', { value })),
  ),
  ...[
    '999.1.1.1',
    'exa mple.com',
    'a..b',
    '-a.example',
    'a-.example',
    `${'a'.repeat(64)}.com`,
    `${'a.'.repeat(127)}com`,
    'http://a.b/',
  ].map((value) => bad(sco('domain-name', { value }), RFC1034)),
  bad(sco('domain-name', { value: '' }), RFC1034),
  // email-addr (STIX 2.1 §6.4)
  ...['jane@example.com', 'jane.smith+tag@mail.example.co.jp'].map((value) => ok(sco('email-addr', { value }))),
  ...['"jane doe"@example.com', 'root@[192.0.2.1]'].map((value) =>
    ok(
      sco('email-addr', { value }),
      "RFC 5322 §3.4.1: quoted local parts and address literals are addr-specs; the schema's email format leaves them out",
    ),
  ),
  ...['jane', 'jane@', '@example.com', 'jane..smith@example.com', 'jane@exa mple.com'].map((value) => bad(sco('email-addr', { value }))),
  bad(sco('email-addr', { value: 'Jane <jane@example.com>' })),
  bad(sco('email-addr', { value: 'jane@999.1.1.1' }), RFC5322),
  // url (STIX 2.1 §6.16) and artifact url (§6.1)
  ...[
    'https://example.com/a?b=c#d',
    'http://198.51.100.3:8080/x.exe',
    'ftp://user@example.com/',
    'file:///etc/passwd',
    'mailto:jane@example.com',
  ].map((value) => ok(sco('url', { value }))),
  ok(sco('url', { value: 'https://例え.jp/パス' }), 'RFC 3987: IRIs, as Japanese members share them; the schema takes ASCII URIs only'),
  ...['example.com/a', 'https://exa mple.com/', 'https://example.com/a b', 'https://example.com/%zz', 'https://a/<script>', ''].map(
    (value) => bad(sco('url', { value })),
  ),
  bad(
    sco('url', { value: 'http://' }),
    "RFC 3986 §3.2.2: a URL that names an authority has a host; the schema's uri format allows an empty one",
  ),
  ok(sco('artifact', { url: 'https://example.com/sample.zip', hashes: { 'SHA-256': 'ab'.repeat(32) } })),
  bad(sco('artifact', { url: 'not a url', hashes: { 'SHA-256': 'ab'.repeat(32) } })),
  bad(sco('artifact', { url: 'https://example.com/sample.zip' })),
  bad(sco('artifact', { url: 'https://example.com/sample.zip', payload_bin: 'AAAA', hashes: { MD5: 'ab'.repeat(16) } })),
  // hashes (STIX 2.1 §2.7): file, artifact and x509-certificate take them in their ids
  ok(file({ MD5: 'ab'.repeat(16), 'SHA-1': 'AB'.repeat(20), 'SHA-256': 'ab'.repeat(32), 'SHA-512': 'ab'.repeat(64) })),
  ok(file({ 'SHA3-256': 'ab'.repeat(32), 'SHA3-512': 'ab'.repeat(64), x_acme_hash: 'anything' })),
  ok(
    file({ SSDEEP: '96:s4Ud1Lj96tHHlZDrwciQmA+4uy1I0G4HYuL8N3TzS8QsO/wqWXLcMSx:sF1LjEtHHlZDrJzrhuyZvHYm8tKp/RWO', TLSH: 'ab'.repeat(35) }),
  ),
  ok(file({ SSDEEP: '3::' })),
  ok(file({ TLSH: `T1${'AB'.repeat(35)}` }), 'TLSH 4 prints a "T1" version prefix; the schema asks for 70 characters'),
  ...[
    { MD5: 'ab'.repeat(15) },
    { MD5: 'zz'.repeat(16) },
    { 'SHA-1': 'ab'.repeat(21) },
    { 'SHA-256': 'ab'.repeat(31) },
    { 'SHA-256': 'g'.repeat(64) },
    { 'SHA-512': 'ab'.repeat(32) },
    { 'SHA3-256': 'ab'.repeat(16) },
    { 'SHA3-512': '' },
    { SSDEEP: 'not ssdeep at all!' },
    { TLSH: 'ab'.repeat(30) },
    { 'SHA-256': 42 },
    { ab: 'x' },
  ].map((hashes) => bad(file(hashes))),
  bad(file({ sha256: 'ab'.repeat(31) }), HASH_SPELLING),
  bad(file({ SHA256: 'abc' }), HASH_SPELLING),
  bad(file({ 'sha-1': 'xyz' }), HASH_SPELLING),
  bad(file({})),
  bad(sco('x509-certificate', { hashes: { 'SHA-256': 'ab' } })),
  bad(sco('artifact', { payload_bin: 'AAAA', hashes: { MD5: 'ab' } })),
  // autonomous-system number (STIX 2.1 §6.2; RFC 6793 four-octet numbers)
  ok(sco('autonomous-system', { number: 15139 })),
  ok(sco('autonomous-system', { number: 4_294_967_295 })),
  bad(sco('autonomous-system', { number: '15139' })),
  bad(sco('autonomous-system', { number: 1.5 })),
  bad(sco('autonomous-system', { number: -1 }), 'an AS number is not negative'),
  bad(sco('autonomous-system', { number: 4_294_967_296 }), 'RFC 6793: AS numbers are four octets'),
  // software cpe (STIX 2.1 §6.15)
  ok(sco('software', { name: 'Word', cpe: 'cpe:2.3:a:microsoft:word:2000:*:*:*:*:*:*:*' })),
  ok(sco('software', { name: 'x', cpe: 'cpe:2.3:a:vendor:prod\\:uct:1.0:*:*:*:*:*:*:*' })),
  ...['cpe:/a:microsoft:word:2000', 'cpe:2.3:a:microsoft:word', 'cpe:2.3:x:microsoft:word:2000:*:*:*:*:*:*:*'].map((cpe) =>
    bad(sco('software', { name: 'Word', cpe })),
  ),
  // windows-registry-key key (STIX 2.1 §6.13)
  ok(sco('windows-registry-key', { key: 'HKEY_LOCAL_MACHINE\\System\\Foo\\Bar' })),
  ok(sco('windows-registry-key', { key: 'hkey_current_user\\Software' })),
  bad(sco('windows-registry-key', { key: 'HKLM\\System\\Foo' })),
  bad(sco('windows-registry-key', { key: 'Software\\Microsoft' }), 'STIX 2.1 §6.13: the key includes its hive'),
  bad(sco('windows-registry-key', { key: '\\REGISTRY\\MACHINE\\SOFTWARE' }), 'STIX 2.1 §6.13: the hive fully expanded (HKEY_…)'),
  // x509-certificate serial_number (STIX 2.1 §6.17)
  ok(sco('x509-certificate', { serial_number: '36:f7:d4:32:f4:ab:70:ea:d3:ce:98:6e:ea:99:93:49:32:0a:b7:06' })),
  ok(sco('x509-certificate', { serial_number: '0a1b2c' })),
  ...['36:f7:zz', 'serial', '36::f7', ''].map((serial_number) =>
    bad(sco('x509-certificate', { serial_number }), 'RFC 5280 §4.1.2.2: the serial is an integer, written in hex or decimal'),
  ),
  // network-traffic (STIX 2.1 §6.12)
  ok(
    sco('network-traffic', { protocols: ['tcp'], dst_ref: `ipv4-addr--${ID}`, start: '2026-01-01T00:00:00Z', end: '2026-01-01T00:01:00Z' }),
  ),
  bad(
    sco('network-traffic', { protocols: ['tcp'], dst_ref: `ipv4-addr--${ID}`, start: '2026-01-01T00:01:00Z', end: '2026-01-01T00:00:00Z' }),
    'STIX 2.1 §6.12: end MUST be later than or equal to start',
  ),
  bad(sco('network-traffic', { protocols: ['tcp'], dst_ref: `ipv4-addr--${ID}`, is_active: true, end: '2026-01-01T00:00:00Z' })),
  // custom references (STIX 2.1 §3.1): a `*_ref` holds an identifier, `*_refs` a list of them
  ok(sco('ipv4-addr', { value: '198.51.100.3', x_acme_owner_ref: `identity--${ID}`, x_acme_seen_refs: [`identity--${ID}`] })),
  ok(sco('ipv4-addr', { value: '198.51.100.3', x_acme_owner_ref: '' }), undefined),
  ...['ACME Corp', 'identity--not-a-uuid', 'victim@example.co.jp', 42].map((ref) =>
    bad(
      sco('ipv4-addr', { value: '198.51.100.3', x_acme_owner_ref: ref }),
      'STIX 2.1 §3.1: a *_ref names an object; the schema does not type custom properties',
    ),
  ),
  ...[['ACME Corp'], `identity--${ID}`, [`identity--${ID}`, 'x'], ['']].map((refs) =>
    bad(
      sco('ipv4-addr', { value: '198.51.100.3', x_acme_seen_refs: refs }),
      'STIX 2.1 §3.1: a *_refs lists identifiers; the schema does not type custom properties',
    ),
  ),
  bad(
    sco('ipv4-addr', { value: '198.51.100.3', x_acme_details: { owner_ref: 'ACME Corp' } }),
    'STIX 2.1 §3.1: inside a custom value too; the schema does not look inside custom values',
  ),
];

describe('SCO values against the OASIS schemas', () => {
  it.each(CASES.map((c) => [JSON.stringify(c.object).slice(0, 160), c] as const))('%s', (_name, c) => {
    const result = judge(c.object);

    expect({ accepted: result.ok, reason: result.ok ? undefined : result.reason }).toEqual({
      accepted: c.ok,
      reason: c.ok ? undefined : expect.any(String),
    });
    // What Kyoyu publishes the schema accepts; what it refuses the schema refuses, unless the spec's prose says more.
    const schema = schemaAccepts(result.ok ? (result.object as Json) : c.object);
    expect({ schema, why: c.stricter ?? c.looser }).toEqual({
      schema: c.ok ? c.looser === undefined : c.stricter !== undefined,
      why: c.stricter ?? c.looser,
    });
  });
});

describe('refusals name the property and the value', () => {
  it.each([
    [sco('ipv4-addr', { value: '999.1.1.1' }), 'value: "999.1.1.1" is not an IPv4 address or CIDR block'],
    [sco('ipv6-addr', { value: '2001:db8::1::2' }), 'value: "2001:db8::1::2" is not an IPv6 address or CIDR block'],
    [sco('domain-name', { value: '999.1.1.1' }), 'value: "999.1.1.1" is not a domain name: it ends in an all-numeric label'],
    [
      sco('email-addr', { value: 'Jane <jane@example.com>' }),
      'value: "Jane <jane@example.com>" is not an e-mail address: it must not include',
    ],
    [sco('url', { value: 'example.com/a' }), 'value: "example.com/a" is not a URL: it has no scheme'],
    [sco('mac-addr', { value: 'd2:fb:49' }), 'value: "d2:fb:49" is not a MAC-48 address'],
    [file({ 'SHA-256': 'abc' }), 'hashes.SHA-256: "abc" is not a SHA-256 hash (64 hexadecimal digits)'],
    [file({ sha256: 'abc' }), 'hashes.sha256: "abc" is not a SHA-256 hash (64 hexadecimal digits)'],
    [sco('autonomous-system', { number: 2 ** 32 }), 'number: must be an integer from 0 to 4294967295'],
    [
      sco('windows-registry-key', { key: 'HKLM\\Software' }),
      'key: "HKLM\\\\Software" must spell the hive out: HKEY_LOCAL_MACHINE, not HKLM',
    ],
    [sco('ipv4-addr', { value: '198.51.100.3', x_acme_owner_ref: 'ACME Corp' }), 'x_acme_owner_ref: must be a STIX identifier (type--UUID'],
    [
      sco('ipv4-addr', { value: '198.51.100.3', x_acme_seen_refs: ['ACME Corp'] }),
      'x_acme_seen_refs[0]: must be a STIX identifier (type--UUID',
    ],
  ])('%j → %s…', (object, reason) => {
    const result = judge(object);

    expect(result.ok ? 'accepted' : result.reason.slice(0, reason.length)).toBe(reason);
  });

  it('cuts a huge value in the reason', () => {
    const result = judge(sco('ipv4-addr', { value: '9'.repeat(100_000) }));

    expect(result.ok ? 'accepted' : result.reason.length).toBeLessThan(300);
  });
});

describe('generated values', () => {
  const octet = fc.integer({ min: 0, max: 255 });
  const ipv4 = (o: number[]) => o.join('.');
  const accepted = (object: Json) => judge(object).ok;

  it('any IPv4 address or CIDR block is accepted and published as sent', () => {
    fc.assert(
      fc.property(fc.array(octet, { minLength: 4, maxLength: 4 }), fc.option(fc.integer({ min: 0, max: 32 })), (octets, prefix) => {
        const value = prefix === null ? ipv4(octets) : `${ipv4(octets)}/${prefix}`;
        const result = judge(sco('ipv4-addr', { value }));

        expect({ value, published: result.ok ? result.object.value : result.reason }).toEqual({ value, published: value });
      }),
      { numRuns: 500 },
    );
  });

  it('any octet out of range, in any position, is refused', () => {
    fc.assert(
      fc.property(
        fc.array(octet, { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 256, max: 99_999 }),
        (octets, at, wrong) => {
          const value = ipv4(octets.map((o, i) => (i === at ? wrong : o)));

          expect({ value, accepted: accepted(sco('ipv4-addr', { value })) }).toEqual({ value, accepted: false });
          expect({ value, schema: schemaAccepts(sco('ipv4-addr', { value })) }).toEqual({ value, schema: false });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('IPv4 addresses: Kyoyu and the schema agree on generated spellings (octal, hex, short forms refused)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.ipV4(), fc.ipV4Extended(), fc.string({ unit: fc.constantFrom(...'0123456789./x'), maxLength: 20 })),
        (value) => {
          const object = sco('ipv4-addr', { value });

          expect({ value, accepted: accepted(object) }).toEqual({ value, accepted: schemaAccepts(object) });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('any IPv6 address is accepted, published in RFC 5952 form; any with a group too long is refused', () => {
    fc.assert(
      fc.property(fc.ipV6(), fc.integer({ min: 0, max: 7 }), (value, at) => {
        const result = judge(sco('ipv6-addr', { value }));
        expect({ value, accepted: result.ok }).toEqual({ value, accepted: true });
        if (result.ok) expect(schemaAccepts(result.object as Json)).toBe(true);

        const groups = (result.ok ? String(result.object.value) : value).split(':');
        const spoiled = groups.map((group, i) => (i === Math.min(at, groups.length - 1) ? `${group}12345` : group)).join(':');
        expect({ spoiled, accepted: accepted(sco('ipv6-addr', { value: spoiled })) }).toEqual({ spoiled, accepted: false });
      }),
      { numRuns: 500 },
    );
  });

  it('any MAC-48 address in either case, colons or hyphens, is published lower-case with colons', () => {
    fc.assert(
      fc.property(fc.array(octet, { minLength: 6, maxLength: 6 }), fc.boolean(), fc.constantFrom(':', '-'), (octets, upper, separator) => {
        const canonical = octets.map((o) => o.toString(16).padStart(2, '0')).join(':');
        const value = canonical.replace(/:/g, separator);
        const result = judge(sco('mac-addr', { value: upper ? value.toUpperCase() : value }));

        expect(result.ok ? result.object.value : result.reason).toBe(canonical);
        expect(schemaAccepts(result.ok ? (result.object as Json) : {})).toBe(true);
      }),
    );
  });

  it('any domain name, e-mail address and web URL fast-check generates is accepted, and the schema agrees', () => {
    fc.assert(
      fc.property(fc.domain(), fc.emailAddress(), fc.webUrl({ withQueryParameters: true, withFragments: true }), (domain, email, url) => {
        for (const object of [sco('domain-name', { value: domain }), sco('email-addr', { value: email }), sco('url', { value: url })]) {
          const result = judge(object);
          expect({ object, reason: result.ok ? undefined : result.reason }).toEqual({ object, reason: undefined });
          if (result.ok) expect({ object, schema: schemaAccepts(result.object as Json) }).toEqual({ object, schema: true });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('hashes: the right number of hex digits is accepted for each algorithm, one more or less or a non-hex digit is refused', () => {
    const lengths = { MD5: 32, 'SHA-1': 40, 'SHA-256': 64, 'SHA-512': 128, 'SHA3-256': 64, 'SHA3-512': 128 } as const;
    const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: n, maxLength: n });
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(lengths) as Array<keyof typeof lengths>)),
        fc.constantFrom('exact', 'lower', 'bare'),
        fc.integer({ min: -3, max: 3 }),
        fc.boolean(),
        fc.nat(),
        (algorithm, spelling, delta, nonHex, at) => {
          const key = spelling === 'exact' ? algorithm : spelling === 'lower' ? algorithm.toLowerCase() : algorithm.replace('-', '');
          const digits = fc.sample(hex(lengths[algorithm] + delta), { numRuns: 1, seed: at })[0]!;
          const value =
            nonHex && digits.length > 0 ? `${digits.slice(0, at % digits.length)}g${digits.slice((at % digits.length) + 1)}` : digits;
          const valid = delta === 0 && !(nonHex && digits.length > 0);

          expect({ key, value, accepted: accepted(file({ [key]: value })) }).toEqual({ key, value, accepted: valid });
          if (spelling === 'exact')
            expect({ key, value, schema: schemaAccepts(file({ [key]: value })) }).toEqual({ key, value, schema: valid });
        },
      ),
      { numRuns: 600 },
    );
  });

  it('custom references: accepted exactly when each is a STIX identifier', () => {
    const identifier = fc.uuid({ version: [1, 2, 3, 4, 5] }).map((uuid) => `identity--${uuid}`);
    fc.assert(
      fc.property(fc.oneof(identifier, fc.string({ minLength: 1, maxLength: 40 })), fc.boolean(), (ref, asList) => {
        const object = sco('ipv4-addr', { value: '198.51.100.3', ...(asList ? { x_acme_seen_refs: [ref] } : { x_acme_owner_ref: ref }) });
        const identifierLike =
          /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(ref);

        expect({ ref, accepted: accepted(object) }).toEqual({ ref, accepted: identifierLike });
      }),
      { numRuns: 500 },
    );
  });
});

describe('the normalize stage', () => {
  it('refuses the bad observable alone, with the reason in the status, and forwards the rest of the envelope', async () => {
    const bad = sco('ipv4-addr', { value: '999.1.1.1' });
    const good = sco('ipv4-addr', { value: '198.51.100.3', id: 'ipv4-addr--0c6dcc2c-2a0e-4b8d-9f2a-5a1c7c1f0e11' });
    // Only items and withheldIds matter to the stage.
    const message = {
      items: [
        { entry: 0, object: bad },
        { entry: 1, object: good },
      ],
      withheldIds: [],
    } as unknown as PipelineMessage;
    const settled: Settlement[] = [];

    const outcome = await normalize(message, { settle: async (_m, s) => void settled.push(...s) });

    expect(settled).toEqual([
      { index: 0, state: 'failure', message: expect.stringMatching(/^normalize: value: "999\.1\.1\.1" is not an IPv4 address/) },
    ]);
    expect(outcome.kind === 'forward' ? outcome.message.items.map((item) => item.object.value) : []).toEqual(['198.51.100.3']);
  });
});
