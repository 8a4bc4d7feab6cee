import { csvExport, csvField } from '../../../shared/core/export/csv';
import fc from 'fast-check';
import { indicator, PROVIDER_ID, text } from './fixtures';

/** An RFC 4180 reader: fields of one record, quoted fields unquoted. */
function parseCsv(input: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  while (i < input.length) {
    if (input[i] === '"') {
      i++;
      for (;;) {
        if (input[i] === '"' && input[i + 1] === '"') (field += '"'), (i += 2);
        else if (input[i] === '"') break;
        else if (i >= input.length) throw new Error('unterminated quote');
        else field += input[i++];
      }
      i++;
    } else if (input[i] === ',') record.push(field), (field = ''), i++;
    else if (input.startsWith('\r\n', i)) record.push(field), records.push(record), (record = []), (field = ''), (i += 2);
    else field += input[i++];
  }
  if (field !== '' || record.length > 0) throw new Error('last record not ended by CRLF');
  return records;
}

describe('CSV export', () => {
  it('writes the documented header and one row per value, the provider nowhere', async () => {
    // Prepare
    const ind = indicator(`[ipv4-addr:value = '45.33.2.1'] OR [file:hashes.'SHA-256' = '${'C'.repeat(64)}']`, {
      name: 'Loader, "stage 2"',
      valid_until: '2026-12-01T00:00:00.000Z',
    });
    // Act
    const out = await text([ind], csvExport);
    // Assess
    expect(parseCsv(out)).toEqual([
      ['object_id', 'type', 'value', 'hash_algorithm', 'tlp', 'valid_from', 'valid_until', 'modified', 'name'],
      [
        ind.id,
        'ipv4-addr',
        '45.33.2.1',
        '',
        'TLP:GREEN',
        '2026-01-10T09:00:00.000Z',
        '2026-12-01T00:00:00.000Z',
        '2026-01-10T09:00:00.000Z',
        'Loader, "stage 2"',
      ],
      [
        ind.id,
        'file-hash',
        'c'.repeat(64),
        'SHA-256',
        'TLP:GREEN',
        '2026-01-10T09:00:00.000Z',
        '2026-12-01T00:00:00.000Z',
        '2026-01-10T09:00:00.000Z',
        'Loader, "stage 2"',
      ],
    ]);
    expect(out).not.toContain(PROVIDER_ID);
  });

  it.each(['=HYPERLINK("http://x","y")', '+1+cmd', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])('neutralises the formula %j', async (name) => {
    // Act
    const records = parseCsv(await text([indicator("[ipv4-addr:value = '45.33.2.2']", { name })], csvExport));
    // Assess
    expect(records[1]![8]).toBe(`'${name}`);
  });

  it('round-trips any text through one field, never starting a formula', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const [record] = parseCsv(`${csvField(value)},x\r\n`);
        expect(record).toHaveLength(2);
        const read = record![0]!;
        expect(/^[=+\-@\t\r]/.test(read)).toBe(false);
        expect(read === value || read === `'${value}`).toBe(true);
      }),
    );
  });
});
