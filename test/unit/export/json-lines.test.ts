import { jsonLinesExport } from '../../../shared/core/export/json-lines';
import { indicator, PROVIDER_ID, sco, text } from './fixtures';

describe('JSON lines export', () => {
  it('writes one object per line with the CSV field names, line breaks escaped', async () => {
    // Prepare
    const ind = indicator("[domain-name:value = 'c2-kanto.xyz']", { name: 'two\nlines\u2028' });
    const obs = sco('file', { hashes: { MD5: 'F'.repeat(32) } });
    // Act
    const out = await text([ind, obs], jsonLinesExport);
    // Assess
    const lines = out.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      {
        object_id: ind.id,
        type: 'domain-name',
        value: 'c2-kanto.xyz',
        tlp: 'TLP:GREEN',
        valid_from: '2026-01-10T09:00:00.000Z',
        modified: '2026-01-10T09:00:00.000Z',
        name: 'two\nlines\u2028',
      },
      { object_id: obs.id, type: 'file-hash', value: 'f'.repeat(32), hash_algorithm: 'MD5', tlp: 'TLP:GREEN' },
    ]);
    expect(out).not.toContain(PROVIDER_ID);
  });
});
