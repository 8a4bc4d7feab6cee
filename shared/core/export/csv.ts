import { tlpLabel, type ExportItem, type ItemSource } from './items';

/**
 * CSV (RFC 4180): a header row, then one row per value; CRLF after every row (§2.1), a field quoted when it holds
 * a comma, a double quote, CR or LF, with its quotes doubled (§2.6, §2.7).
 *
 * Columns, in this order (documented here and in the header row itself):
 * - `object_id`: the STIX id of the indicator or observable the value comes from
 * - `type`: ipv4-addr, ipv6-addr, domain-name, url, email-addr or file-hash
 * - `value`: the canonical value (a network keeps its /prefix; hashes in lower-case hex)
 * - `hash_algorithm`: MD5, SHA-1, SHA-256 or SHA-512 for a file-hash, else empty
 * - `tlp`: TLP:CLEAR … TLP:RED
 * - `valid_from`, `valid_until`, `modified`: STIX timestamps, empty when the object has none
 * - `name`: the indicator's name, else empty
 *
 * Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (and tab or CR, which some treat the same way)
 * as a formula: a shared name such as `=HYPERLINK(...)` would run on the member's desktop. Such a cell is written
 * with a leading apostrophe, and quoted (OWASP "CSV Injection"). A value of type ip/domain/url/hash never
 * starts with one of those characters; `name` and an e-mail local part can.
 */

export const CSV_COLUMNS = [
  'object_id',
  'type',
  'value',
  'hash_algorithm',
  'tlp',
  'valid_from',
  'valid_until',
  'modified',
  'name',
] as const;

export function csvField(text: string): string {
  const neutral = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(neutral) || neutral !== text ? `"${neutral.replace(/"/g, '""')}"` : neutral;
}

function row(item: ExportItem): string[] {
  return [
    item.objectId,
    item.type,
    item.value,
    item.hashAlgorithm ?? '',
    tlpLabel(item.tlp),
    item.validFrom ?? '',
    item.validUntil ?? '',
    item.modified,
    item.name ?? '',
  ];
}

export async function* csvExport(items: ItemSource): AsyncGenerator<string> {
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  for await (const item of items) yield `${row(item).map(csvField).join(',')}\r\n`;
}
