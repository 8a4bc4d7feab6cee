import { tlpLabel, type ItemSource } from './items';

/**
 * JSON Lines (one JSON object per line, `\n` after each): the CSV's fields with the same names, absent rather
 * than empty when an object has none. JSON.stringify escapes line breaks inside strings, so a value never
 * splits a line.
 */
export async function* jsonLinesExport(items: ItemSource): AsyncGenerator<string> {
  for await (const item of items) {
    const line = {
      object_id: item.objectId,
      type: item.type,
      value: item.value,
      hash_algorithm: item.hashAlgorithm,
      tlp: tlpLabel(item.tlp),
      valid_from: item.validFrom,
      valid_until: item.validUntil,
      modified: item.modified || undefined,
      name: item.name,
    };
    yield `${JSON.stringify(line)}\n`;
  }
}
