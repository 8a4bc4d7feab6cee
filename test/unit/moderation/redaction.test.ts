import fc from 'fast-check';
import { isMaskedString, MASK, redactionProblems } from '../../../shared/core/moderation/redaction';

const AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
const report = {
  type: 'report',
  spec_version: '2.1',
  id: 'report--6a4f1cf2-1b1e-4b43-9f1a-5c8a1f0b8a01',
  created: '2026-11-01T09:00:00.000Z',
  modified: '2026-11-01T09:00:00.000Z',
  name: 'Phishing wave against Kanto Power',
  description: 'Mails from soc@kanto-power.co.jp asked staff to log in at hxxps://login.example.net',
  published: '2026-11-01T09:00:00.000Z',
  report_types: ['campaign', 'threat-report'],
  labels: ['phishing', 'victim:kanto', 'energy'],
  object_refs: ['indicator--0b1c3a8e-5d4f-4c9a-8f36-2f5c0b8a9d11', 'identity--3f1c3a8e-5d4f-4c9a-8f36-2f5c0b8a9d12'],
  object_marking_refs: [AMBER],
  external_references: [{ source_name: 'ticket', external_id: 'INC-2026-0412', url: 'https://tickets.kanto.example/INC-2026-0412' }],
};

describe('a moderator redaction', () => {
  it('accepts removing properties and list entries and masking parts of strings', () => {
    const redacted = {
      ...report,
      name: `Phishing wave against ${MASK}`,
      description: `Mails from ${MASK} asked staff to log in at hxxps://login.example.net`,
      labels: ['phishing', 'energy'],
      object_refs: ['indicator--0b1c3a8e-5d4f-4c9a-8f36-2f5c0b8a9d11'],
    };
    delete (redacted as Partial<typeof redacted>).external_references;

    expect(redactionProblems(report, redacted)).toEqual([]);
  });

  it('refuses added properties, added list entries, changed values and rewritten text, naming each path', () => {
    const redacted = {
      ...report,
      name: 'Phishing wave against a utility',
      confidence: 90,
      labels: ['phishing', 'ransomware'],
      report_types: ['campaign', 'threat-report', 'attack-pattern'],
      published: '2026-11-02T09:00:00.000Z',
    };

    expect(
      redactionProblems(report, redacted)
        .map((p) => p.path)
        .sort(),
    ).toEqual(['confidence', 'labels[1]', 'name', 'published', 'report_types[2]']);
  });

  it('refuses removing or changing a marking, which would widen who may read the item', () => {
    const { object_marking_refs: _removed, ...unmarked } = report;

    expect(redactionProblems(report, unmarked)).toEqual([{ path: 'object_marking_refs', problem: expect.stringMatching(/widen/) }]);
    expect(
      redactionProblems(report, { ...report, object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'] }),
    ).toHaveLength(1);
  });

  it('refuses changing the identity or version and reordering entries', () => {
    expect(redactionProblems(report, { ...report, modified: '2026-11-02T09:00:00.000Z' }).map((p) => p.path)).toEqual(['modified']);
    expect(redactionProblems(report, { ...report, id: 'report--00000000-1b1e-4b43-9f1a-5c8a1f0b8a01' }).map((p) => p.path)).toEqual(['id']);
    expect(redactionProblems(report, { ...report, labels: ['energy', 'phishing'] }).map((p) => p.path)).toEqual(['labels[1]']);
  });

  it('refuses a redaction that leaves invalid STIX: a required property removed, a reference masked; a pattern is never masked', () => {
    const { name: _name, ...nameless } = report;
    const indicator = {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--0b1c3a8e-5d4f-4c9a-8f36-2f5c0b8a9d11',
      created: '2026-11-01T09:00:00.000Z',
      modified: '2026-11-01T09:00:00.000Z',
      pattern: "[domain-name:value = 'login.kanto-power.co.jp']",
      pattern_type: 'stix',
      valid_from: '2026-11-01T09:00:00.000Z',
    };

    expect(redactionProblems(report, nameless)).toEqual([expect.objectContaining({ problem: expect.stringMatching(/invalid STIX 2\.1/) })]);
    expect(redactionProblems(report, { ...report, object_refs: [`indicator--${MASK}`] }).length).toBeGreaterThan(0);
    expect(redactionProblems(indicator, { ...indicator, pattern: `[domain-name:value = '${MASK}']` })).toEqual([
      expect.objectContaining({ path: 'pattern', problem: expect.stringMatching(/published as proposed or not at all/) }),
    ]);
  });
});

describe('a masked string', () => {
  it('keeps the text around each mask in order and masks something non-empty', () => {
    expect(isMaskedString('call 03-1234-5678 now', `call ${MASK} now`)).toBe(true);
    expect(isMaskedString('a b c', `${MASK} b ${MASK}`)).toBe(true);
    expect(isMaskedString('call now', `call ${MASK}now`)).toBe(false);
    expect(isMaskedString('not malicious', 'malicious')).toBe(false);
    expect(isMaskedString('x', `x${MASK}`)).toBe(false);
  });

  it('accepts any masking of a string and refuses any insertion (property)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '-', '[', ']', 'R'), maxLength: 30 });
    fc.assert(
      fc.property(text, fc.array(fc.tuple(fc.nat(), fc.nat())), fc.nat(), (original, cuts, insertAt) => {
        // Mask random non-empty, non-overlapping, non-adjacent spans.
        const spans = cuts
          .map(([a, b]) => [a % (original.length + 1), b % (original.length + 1)].sort((x, y) => x - y) as [number, number])
          .filter(([a, b]) => b > a)
          .sort((x, y) => x[0] - y[0])
          // biome-ignore lint/performance/noAccumulatingSpread: a handful of spans in a test oracle, kept obviously right
          .reduce<Array<[number, number]>>((kept, span) => (kept.length === 0 || span[0] > kept.at(-1)![1] ? [...kept, span] : kept), []);
        let masked = '';
        let at = 0;
        for (const [a, b] of spans) {
          masked += `${original.slice(at, a)}${MASK}`;
          at = b;
        }
        masked += original.slice(at);
        expect(isMaskedString(original, masked)).toBe(true);
        const position = insertAt % (masked.length + 1);
        expect(isMaskedString(original, `${masked.slice(0, position)}Z${masked.slice(position)}`)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
