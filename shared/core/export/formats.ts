import { BadRequestError } from '../errors';
import { STIX_MEDIA_TYPE } from '../taxii/media-types';
import type { StixObject } from '../taxii/model';
import { blockList, fortinetThreatFeed, paloAltoEdl, type BlockListKind, type EdlKind, type FortinetFeedKind } from './block-lists';
import { exportObjects, stixBundle } from './bundle';
import { csvExport } from './csv';
import { snort3Rules, suricataRules } from './ids-rules';
import { exportItems, type ExportOptions } from './items';
import { jsonLinesExport } from './json-lines';
import { yaraRules } from './yara';
import { zeekIntel } from './zeek-intel';

/**
 * Every export format by the name a URL or `kyoyu export --format` uses: its media type, a file extension for the
 * download, and how the latest visible objects become lines. One table, so the routes, the CLI's help, the
 * OpenAPI description and docs/exports.md name the same formats.
 *
 * Lists and rules are `text/plain; charset=utf-8`: what firewalls (PAN-OS EDLs, FortiGate threat feeds) and IDS
 * rule updaters expect, and what a browser shows rather than downloads.
 */

const TEXT = 'text/plain; charset=utf-8';

export interface ExportFormat {
  name: string;
  mediaType: string;
  extension: string;
  description: string;
  /** The lines of the export; `bundleId` names a STIX bundle (the other formats ignore it). */
  lines(objects: AsyncIterable<StixObject>, options: ExportOptions, bundleId: string): AsyncIterable<string>;
}

const items = (objects: AsyncIterable<StixObject>, options: ExportOptions) => exportItems(objects, options);

const format = (name: string, mediaType: string, extension: string, description: string, lines: ExportFormat['lines']): ExportFormat => ({
  name,
  mediaType,
  extension,
  description,
  lines,
});

/** The JSON Lines objects as one JSON array, one element per line. */
async function* jsonArray(lines: AsyncIterable<string>): AsyncGenerator<string> {
  yield '[';
  let first = true;
  for await (const line of lines) {
    yield `${first ? '\n' : ',\n'}${line.trimEnd()}`;
    first = false;
  }
  yield '\n]\n';
}

/**
 * What the export left out as false positives, said inside the file where the format has comments (IDS rules, YARA,
 * Zeek): a note after the last line, once the count is known. Plain lists, EDLs and threat feeds have no comment
 * syntax every device accepts, and CSV, JSON and STIX bundles no place for it: for them the `X-Kyoyu-Export-Stats`
 * header carries the count (`flagged=…`), as it does for every format (docs/exports.md).
 */
async function* withFlaggedNote(lines: AsyncIterable<string>, options: ExportOptions, comment: string): AsyncGenerator<string> {
  yield* lines;
  const flagged = options.stats?.flagged ?? 0;
  if (flagged > 0)
    yield `${comment} kyoyu: ${flagged} object(s) left out: flagged as false positives by members or a moderator (include=flagged lists them)\n`;
}

const BLOCK_LISTS: Array<[BlockListKind, string]> = [
  ['ip', 'IPv4 and IPv6 addresses and networks (CIDR)'],
  ['domain', 'domain names'],
  ['url', 'URLs, scheme included'],
  ['email', 'e-mail addresses'],
  ['md5', 'MD5 file hashes'],
  ['sha1', 'SHA-1 file hashes'],
  ['sha256', 'SHA-256 file hashes'],
  ['sha512', 'SHA-512 file hashes'],
];
const EDLS: Array<[EdlKind, string]> = [
  ['ip', 'IP addresses and networks'],
  ['domain', 'domains'],
  ['url', 'URLs without scheme'],
];
const FORTINET: Array<[FortinetFeedKind, string]> = [...EDLS, ['hash', 'MD5, SHA-1 and SHA-256 hashes']];

export const EXPORT_FORMATS: readonly ExportFormat[] = [
  format('stix', STIX_MEDIA_TYPE, 'json', 'STIX 2.1 bundle of the objects themselves', (objects, options, bundleId) =>
    stixBundle(exportObjects(objects, options), bundleId),
  ),
  format('csv', 'text/csv; charset=utf-8; header=present', 'csv', 'CSV, one row per value (columns in docs/exports.md)', (o, options) =>
    csvExport(items(o, options)),
  ),
  format('json', 'application/json', 'json', 'JSON array, one object per value, the CSV columns as fields', (o, options) =>
    jsonArray(jsonLinesExport(items(o, options))),
  ),
  format('jsonl', 'application/x-ndjson', 'jsonl', 'JSON Lines, one object per value, the CSV columns as fields', (o, options) =>
    jsonLinesExport(items(o, options)),
  ),
  ...BLOCK_LISTS.map(([kind, what]) =>
    format(`list-${kind}`, TEXT, 'txt', `plain block list: ${what}, one per line`, (o, options) => blockList(items(o, options), kind)),
  ),
  ...EDLS.map(([kind, what]) =>
    format(`paloalto-${kind}`, TEXT, 'txt', `Palo Alto Networks external dynamic list: ${what}`, (o, options) =>
      paloAltoEdl(items(o, options), kind, { stats: options.stats }),
    ),
  ),
  ...FORTINET.map(([kind, what]) =>
    format(`fortinet-${kind}`, TEXT, 'txt', `Fortinet FortiGate external threat feed: ${what}`, (o, options) =>
      fortinetThreatFeed(items(o, options), kind, { stats: options.stats }),
    ),
  ),
  format('suricata', TEXT, 'rules', 'Suricata 7 rules', (o, options) =>
    withFlaggedNote(suricataRules(items(o, options), { stats: options.stats }), options, '#'),
  ),
  format('snort3', TEXT, 'rules', 'Snort 3 rules', (o, options) =>
    withFlaggedNote(snort3Rules(items(o, options), { stats: options.stats }), options, '#'),
  ),
  format('yara', TEXT, 'yar', 'YARA rules', (o, options) =>
    withFlaggedNote(yaraRules(items(o, options), { stats: options.stats }), options, '//'),
  ),
  format('zeek', TEXT, 'intel', 'Zeek Intelligence Framework file', (o, options) =>
    withFlaggedNote(zeekIntel(items(o, options)), options, '#'),
  ),
];

export const EXPORT_FORMAT_NAMES: readonly string[] = EXPORT_FORMATS.map((f) => f.name);

export function exportFormat(name: string): ExportFormat {
  const found = EXPORT_FORMATS.find((f) => f.name === name);
  if (!found) {
    const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
    throw new BadRequestError(`format: "${shown}" is not an export format; use one of ${EXPORT_FORMAT_NAMES.join(', ')}`);
  }
  return found;
}
