import { shareableOf, type Shareable } from '../../../cli/ingest-input';

const indicator = (n: number) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--00000000-0000-4000-8000-00000000000${n}`,
  created: '2026-05-01T00:00:00.000Z',
  modified: '2026-05-01T00:00:00.000Z',
  pattern: `[ipv4-addr:value = '45.77.0.${n}']`,
  pattern_type: 'stix',
  valid_from: '2026-05-01T00:00:00.000Z',
});
/** The OASIS example interop-objectmarking-test.json: one campaign object, not in a bundle. */
const OASIS_CAMPAIGN = {
  type: 'campaign',
  spec_version: '2.1',
  id: 'campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
  created: '2016-05-12T08:17:27.000Z',
  modified: '2016-05-12T08:17:27.000Z',
  created_by_ref: 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff',
  name: 'Spear Phishing',
  external_references: [{ source_name: 'capec', external_id: 'CAPEC-163' }],
  object_marking_refs: ['marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed'],
};
const pretty = (value: unknown) => `${JSON.stringify(value, null, 4)}\n`;
const stix = (shareable: Shareable) => (shareable.kind === 'stix' ? { form: shareable.form, objects: shareable.objects } : shareable);
const refusal = (file: string, text: string): string => {
  try {
    shareableOf(file, text);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
};

describe('kyoyu ingest: what a file holds', () => {
  it('takes a bundle and a TAXII envelope, as before', () => {
    const bundle = { type: 'bundle', id: 'bundle--0d7b3f0e-5b7c-4c55-9a0e-7f6a1c0c2b11', objects: [indicator(1), indicator(2)] };

    const fromBundle = shareableOf('report.json', pretty(bundle));
    const fromEnvelope = shareableOf('page.json', pretty({ more: false, objects: [indicator(3)] }));

    expect(stix(fromBundle)).toEqual({ form: 'bundle', objects: [indicator(1), indicator(2)] });
    expect(stix(fromEnvelope)).toEqual({ form: 'envelope', objects: [indicator(3)] });
  });

  it('takes a single STIX object, as the OASIS examples are written', () => {
    const read = shareableOf('interop-objectmarking-test.json', pretty(OASIS_CAMPAIGN));

    expect(stix(read)).toEqual({ form: 'object', objects: [OASIS_CAMPAIGN] });
  });

  it('takes a JSON array of objects, and of bundles, flattened', () => {
    const bundle = { type: 'bundle', id: 'bundle--0d7b3f0e-5b7c-4c55-9a0e-7f6a1c0c2b12', objects: [indicator(3)] };

    const read = shareableOf('objects.json', JSON.stringify([indicator(1), OASIS_CAMPAIGN, bundle]));

    expect(stix(read)).toEqual({ form: 'array', objects: [indicator(1), OASIS_CAMPAIGN, indicator(3)] });
  });

  it('takes JSON Lines of objects and bundles, skipping blank lines and CRLF endings, whatever the file is called', () => {
    const bundle = { type: 'bundle', id: 'bundle--0d7b3f0e-5b7c-4c55-9a0e-7f6a1c0c2b13', objects: [indicator(4)] };
    const text = `${[indicator(1), indicator(2), bundle].map((o) => JSON.stringify(o)).join('\r\n')}\r\n\r\n`;

    const named = ['feed.jsonl', 'feed.ndjson', 'feed.txt', 'feed'].map((file) => stix(shareableOf(file, text)));

    expect(named).toEqual(Array(4).fill({ form: 'json-lines', objects: [indicator(1), indicator(2), indicator(4)] }));
  });

  it('reads other text as a plain list, and .csv as CSV that keeps its header in every part', () => {
    const plain = shareableOf('iocs.txt', 'update-rail[.]example-c2.net\n10.1.2.3\n');
    const csv = shareableOf('iocs.CSV', `value,note\n${Array.from({ length: 20001 }, (_, i) => `h${i}.example,x`).join('\n')}`);

    expect(plain).toEqual({ kind: 'list', format: 'text/plain', parts: ['update-rail[.]example-c2.net\n10.1.2.3\n'] });
    expect(csv.kind === 'list' && [csv.format, csv.parts.length, csv.parts.map((p) => p.split('\n')[0])]).toEqual([
      'text/csv',
      2,
      ['value,note', 'value,note'],
    ]);
  });

  it('refuses anything else with what it expected, naming the file and the item or line', () => {
    // An OASIS interop file that is a JSON Schema, not STIX.
    const schema = { $id: 'http://example/interop/indicator.json', allOf: [{ $ref: 'core.json' }], required: ['name'] };
    const expected = 'expected a STIX bundle or TAXII envelope (an "objects" list), a STIX object ("type" and an "id" of type--UUID)';

    const refusals = {
      settings: refusal('settings.json', JSON.stringify({ theme: 'dark' })),
      schema: refusal('indicator.json', pretty(schema)),
      idOfAnotherType: refusal('odd.json', JSON.stringify({ ...indicator(1), type: 'malware' })),
      number: refusal('n.json', '42'),
      arrayItem: refusal('list.json', JSON.stringify([indicator(1), 'indicator--x'])),
      jsonLine: refusal('feed.jsonl', `${JSON.stringify(indicator(1))}\n{"objects": [}\n`),
      jsonLineNotStix: refusal('feed.jsonl', `${JSON.stringify(indicator(1))}\n{"theme": "dark"}\n`),
      brokenObject: refusal('report.json', '{"type": "bundle", "objects": [\n'),
      brokenArray: refusal('objects.json', '[{"type": "indicator"\n'),
    };

    expect(refusals).toEqual({
      settings: `settings.json: not STIX: ${expected}, a JSON array of objects, or JSON Lines`,
      schema: `indicator.json: not STIX: ${expected}, a JSON array of objects, or JSON Lines`,
      idOfAnotherType: `odd.json: not STIX: ${expected}, a JSON array of objects, or JSON Lines`,
      number: `n.json: not STIX: ${expected}, a JSON array of objects, or JSON Lines`,
      arrayItem: 'list.json: item 1 is not a STIX object, bundle or envelope (no "type" and "id" of type--UUID)',
      jsonLine: expect.stringMatching(/^feed\.jsonl: line 2 is not JSON \(.+\); expected a STIX bundle/),
      jsonLineNotStix: 'feed.jsonl: line 2 is not a STIX object, bundle or envelope (no "type" and "id" of type--UUID)',
      brokenObject: expect.stringMatching(/^report\.json: line 1 is not JSON \(.+\); expected a STIX bundle/),
      brokenArray: expect.stringMatching(/^objects\.json: not valid JSON \(.+\)$/),
    });
  });
});
