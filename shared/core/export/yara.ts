import { tlpLabel, type ExportItem, type ExportStats, type ItemSource } from './items';

/**
 * YARA rules (YARA 4 "Writing YARA rules"), one rule per indicator or observable, for files at rest.
 *
 * - File hashes become `import "hash"` conditions, `hash.sha256(0, filesize) == "<lower-case hex>"`; the hash
 *   module computes MD5, SHA-1 and SHA-256 only, so a SHA-512 is counted as unsupported.
 * - Domains, URLs, e-mail addresses and IP addresses are strings the file may carry (a dropper's C2, a phishing
 *   kit's drop box): text strings, `ascii wide nocase` for domains and e-mail addresses, `ascii wide` for the rest.
 *   The rule matches when any of its strings or hashes does.
 * - Rule names are identifiers (letters, digits, underscore, at most 128 characters, not starting with a digit):
 *   `kyoyu_` then the object id with `-` as `_`. Ids are unique, so names are.
 * - Metadata: the object id, the TLP and `modified`; never the provider or the indicator's free-text name.
 * - Text strings escape `"` and `\`, and every byte outside printable ASCII as `\xHH` (UTF-8 bytes), the escapes
 *   YARA's text strings accept; a value can therefore not end a string or a line.
 *
 * Items of one object arrive one after another (items.ts), so a rule is written when the object changes and
 * memory holds one object's values.
 */

const HASH_FUNCTION = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256' } as const;

const UTF8 = new TextEncoder();

export function yaraString(text: string): string {
  let out = '';
  for (const byte of UTF8.encode(text)) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte <= 0x7e) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `"${out}"`;
}

export function yaraRuleName(objectId: string): string {
  return `kyoyu_${objectId.replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 128);
}

export interface YaraOptions {
  stats?: ExportStats;
}

function rule(items: ExportItem[], stats: ExportStats | undefined): string[] {
  const strings: string[] = [];
  const conditions: string[] = [];
  for (const item of items) {
    if (item.type === 'file-hash') {
      const fn = item.hashAlgorithm === 'SHA-512' ? undefined : HASH_FUNCTION[item.hashAlgorithm!];
      if (!fn) {
        if (stats) stats.unsupportedByFormat++;
        continue;
      }
      conditions.push(`hash.${fn}(0, filesize) == "${item.value}"`);
    } else {
      const modifiers = item.type === 'domain-name' || item.type === 'email-addr' ? 'ascii wide nocase' : 'ascii wide';
      strings.push(`    $v${strings.length} = ${yaraString(item.value)} ${modifiers}`);
    }
  }
  if (strings.length > 0) conditions.unshift('any of them');
  if (conditions.length === 0) return [];
  const first = items[0]!;
  return [
    `rule ${yaraRuleName(first.objectId)} {\n`,
    '  meta:\n',
    `    id = ${yaraString(first.objectId)}\n`,
    `    tlp = ${yaraString(tlpLabel(first.tlp))}\n`,
    ...(first.modified ? [`    modified = ${yaraString(first.modified)}\n`] : []),
    ...(strings.length > 0 ? ['  strings:\n', ...strings.map((s) => `${s}\n`)] : []),
    '  condition:\n',
    `    ${conditions.join(' or\n    ')}\n`,
    '}\n',
  ];
}

export async function* yaraRules(items: ItemSource, options: YaraOptions = {}): AsyncGenerator<string> {
  yield 'import "hash"\n';
  let group: ExportItem[] = [];
  for await (const item of items) {
    if (group.length > 0 && group[0]!.objectId !== item.objectId) {
      yield* rule(group, options.stats);
      group = [];
    }
    group.push(item);
  }
  if (group.length > 0) yield* rule(group, options.stats);
}
