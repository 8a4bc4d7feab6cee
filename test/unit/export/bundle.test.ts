import { exportObjects, stixBundle } from '../../../shared/core/export/bundle';
import { parseExportQuery } from '../../../shared/core/export/export-use-case';
import { EXPORT_FORMATS, exportFormat } from '../../../shared/core/export/formats';
import { BadRequestError } from '../../../shared/core/errors';
import type { StixObject } from '../../../shared/core/taxii/model';
import { tlpMarkingDefinition } from '../../../shared/core/policy/present';
import { TLP1_MARKING_DEFINITION_IDS, TLP2_MARKING_DEFINITION_IDS } from '../../../shared/core/policy/tlp';
import { collect, indicator, itemsOf, newExportStats, options, sco } from './fixtures';

async function* from<T>(values: T[]): AsyncGenerator<T> {
  yield* values;
}

describe('default exclusions can be lifted one by one (include=…)', () => {
  const kept = indicator("[ipv4-addr:value = '45.33.30.1']");
  const revoked = indicator("[ipv4-addr:value = '45.33.30.2']", { revoked: true });
  const expired = indicator("[ipv4-addr:value = '45.33.30.3']", { valid_until: '2026-01-01T00:00:00.000Z' });
  const flagged = indicator("[ipv4-addr:value = '45.33.30.4']");
  const all = [kept, revoked, expired, flagged];
  const excluded = (id: string) => id === flagged.id;

  it.each([
    [{}, ['45.33.30.1']],
    [{ revoked: true }, ['45.33.30.1', '45.33.30.2']],
    [{ expired: true }, ['45.33.30.1', '45.33.30.3']],
    [{ flagged: true }, ['45.33.30.1', '45.33.30.4']],
    [{ revoked: true, expired: true, flagged: true }, ['45.33.30.1', '45.33.30.2', '45.33.30.3', '45.33.30.4']],
  ])('include %j exports %j', async (include, values) => {
    expect((await itemsOf(all, { excluded, include })).map((i) => i.value)).toEqual(values);
  });
});

describe('STIX bundle export', () => {
  it('keeps what carries no value, drops excluded objects and any object with a warning-listed value, whole', async () => {
    // Prepare
    const report: StixObject = {
      type: 'report',
      spec_version: '2.1',
      id: 'report--6a1b2c3d-0000-4000-8000-0000000000aa',
      name: 'r',
      published: '2026-01-01T00:00:00Z',
      object_refs: [],
    };
    const clean = indicator("[ipv4-addr:value = '45.33.40.1']");
    const halfListed = indicator("[ipv4-addr:value = '45.33.40.2'] OR [ipv4-addr:value = '8.8.8.8']");
    const listedSco = sco('domain-name', { value: 'www.example.com' });
    const complex = indicator("[ipv4-addr:value = '45.33.40.3'] AND [domain-name:value = 'c2.kanto-test.xyz']");
    const revoked = indicator("[ipv4-addr:value = '45.33.40.4']", { revoked: true });
    const stats = newExportStats();
    // Act
    const kept = await collect(exportObjects([report, clean, halfListed, listedSco, complex, revoked], options({ stats })));
    // Assess
    expect(kept.map((o) => o.id)).toEqual([report.id, clean.id, complex.id]);
    expect(stats).toMatchObject({ objects: 6, items: 3, warningListed: 2, revoked: 1 });
  });

  it('writes valid JSON, empty or not, with the objects unchanged', async () => {
    const objects = [indicator('[url:value = \'http://a.kanto-test.xyz/"x"\']'), indicator("[ipv4-addr:value = '45.33.40.9']")];
    const empty = JSON.parse((await collect(stixBundle(from([]), 'bundle--6a1b2c3d-0000-4000-8000-000000000001'))).join(''));
    const full = JSON.parse((await collect(stixBundle(from(objects), 'bundle--6a1b2c3d-0000-4000-8000-000000000001'))).join(''));
    expect(empty).toEqual({ type: 'bundle', id: 'bundle--6a1b2c3d-0000-4000-8000-000000000001', objects: [] });
    expect(full.objects).toEqual([...objects, tlpMarkingDefinition('green')]);
  });

  it('carries the predefined TLP marking definitions its objects refer to, once each, unless the objects hold them already', async () => {
    const amber = { ...indicator("[ipv4-addr:value = '45.33.40.10']"), object_marking_refs: [TLP2_MARKING_DEFINITION_IDS.amber] };
    const red = { ...indicator("[ipv4-addr:value = '45.33.40.11']"), object_marking_refs: [TLP2_MARKING_DEFINITION_IDS.red] };
    const white = { ...indicator("[ipv4-addr:value = '45.33.40.12']"), object_marking_refs: [TLP1_MARKING_DEFINITION_IDS.white] };
    const statement = { type: 'marking-definition', id: 'marking-definition--6a1b2c3d-0000-4000-8000-000000000002' };
    const read = async (objects: StixObject[]) =>
      JSON.parse((await collect(stixBundle(from(objects), 'bundle--6a1b2c3d-0000-4000-8000-000000000001'))).join(''))
        .objects as StixObject[];
    const objects = await read([amber, red, amber, white, statement]);
    expect(objects.map((o) => o.id)).toEqual([
      amber.id,
      red.id,
      amber.id,
      white.id,
      statement.id,
      TLP2_MARKING_DEFINITION_IDS.amber,
      TLP2_MARKING_DEFINITION_IDS.red,
      TLP1_MARKING_DEFINITION_IDS.white,
    ]);
    expect(objects.at(-1)).toMatchObject({ definition_type: 'tlp', name: 'TLP:WHITE', definition: { tlp: 'white' } });
    const shared = tlpMarkingDefinition('amber');
    expect((await read([shared, amber])).map((o) => o.id)).toEqual([shared.id, amber.id]);
  });
});

describe('export formats', () => {
  it('have unique names, and every one writes something parseable for the same objects', async () => {
    const objects = [
      indicator("[ipv4-addr:value = '45.33.50.1']"),
      indicator("[domain-name:value = 'c2.kanto-test.xyz']"),
      indicator("[url:value = 'http://c2.kanto-test.xyz/gate.php']"),
      sco('email-addr', { value: 'drop@kanto-test.xyz' }),
      sco('file', { hashes: { MD5: 'a'.repeat(32), 'SHA-1': 'b'.repeat(40), 'SHA-256': 'c'.repeat(64), 'SHA-512': 'd'.repeat(128) } }),
    ];
    expect(new Set(EXPORT_FORMATS.map((f) => f.name)).size).toBe(EXPORT_FORMATS.length);
    for (const format of EXPORT_FORMATS) {
      const text = (await collect(format.lines(from(objects), options(), 'bundle--6a1b2c3d-0000-4000-8000-000000000001'))).join('');
      expect([format.name, text.length > 0]).toEqual([format.name, true]);
      if (format.name === 'json' || format.name === 'stix') expect(() => JSON.parse(text)).not.toThrow();
    }
  });

  it('refuses an unknown name with the list of known ones', () => {
    expect(() => exportFormat('pdf')).toThrow(BadRequestError);
    expect(() => exportFormat('pdf')).toThrow(/use one of stix, csv, json, jsonl, list-ip/);
  });
});

describe('export query', () => {
  it('takes the collection from the path or the query, and the inclusions as a comma-separated list', () => {
    const id = '6b0ab4ff-6f55-4c33-a4a8-13e6c4b1f1a0';
    expect(parseExportQuery({}, undefined)).toEqual({ include: {} });
    expect(parseExportQuery({ collection: [id] }, undefined)).toEqual({ collectionId: id, include: {} });
    expect(parseExportQuery({ collection: [id], include: ['revoked, expired'] }, id)).toEqual({
      collectionId: id,
      include: { revoked: true, expired: true },
    });
  });

  it.each([
    [{ collection: ['a', 'b'] }, undefined, /collection: give it once/],
    [{ collection: [''] }, undefined, /collection: empty/],
    [{ collection: ['other'] }, 'this', /collection: the path names collection this/],
    [{ include: ['revoked,all'] }, undefined, /include: "all"/],
  ])('refuses %j (path %s)', (query, path, message) => {
    expect(() => parseExportQuery(query, path)).toThrow(message);
  });
});
