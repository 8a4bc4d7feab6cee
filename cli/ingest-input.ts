/**
 * What `kyoyu ingest` reads from a file: STIX objects, or indicator values for the pipeline to recognise.
 *
 * STIX, in the forms analysts have on disk:
 *  1. a bundle (STIX 2.1 §8) or a TAXII envelope (TAXII 2.1 §3.7): its "objects" list, STIX 2.0 or 2.1;
 *  2. a single STIX object (STIX 2.1 §3.1: "type", and an "id" that is `type--UUID`, §2.7), as the OASIS examples
 *     and most tools' "export object" write;
 *  3. a JSON array of objects (a bundle's "objects" saved alone);
 *  4. JSON Lines: one object, bundle or envelope per line (how feeds and `jq -c` write streams).
 *  In an array or JSON Lines, a bundle or envelope item contributes its objects.
 * Anything else in JSON is refused with what was expected, rather than posted for the pipeline to reject object by
 * object. Text that is not JSON is a plain list (one value per line) or, for .csv, CSV with a header.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { CliError } from './errors';

export type Shareable =
  | { kind: 'stix'; form: 'bundle' | 'envelope' | 'object' | 'array' | 'json-lines'; objects: unknown[] }
  | { kind: 'list'; format: 'text/plain' | 'text/csv'; parts: string[] };

/** Values per POST of a plain list or CSV: well under the API's body limit at any realistic line length. */
const LINES_PER_PART = 20000;

const EXPECTED =
  'expected a STIX bundle or TAXII envelope (an "objects" list), a STIX object ("type" and an "id" of type--UUID), ' +
  'a JSON array of objects, or JSON Lines';

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export function isStixObject(value: unknown): value is Json & { type: string; id: string } {
  return isRecord(value) && typeof value.type === 'string' && typeof value.id === 'string' && value.id.startsWith(`${value.type}--`);
}

/** The objects of a bundle or envelope, or undefined when `value` is neither. */
function containerObjects(value: Json): unknown[] | undefined {
  if (Array.isArray(value.objects)) return value.objects;
  // STIX 2.1 §8: a bundle's "objects" is optional; an empty bundle shares nothing.
  if (value.type === 'bundle' && value.objects === undefined && isStixObject(value)) return [];
  return undefined;
}

/** One item of an array or a JSON line: an object, or a bundle or envelope whose objects it contributes. */
function itemObjects(item: unknown, where: string): unknown[] {
  if (isRecord(item)) {
    const contained = containerObjects(item);
    if (contained) return contained;
    if (isStixObject(item)) return [item];
  }
  throw new CliError(`${where} is not a STIX object, bundle or envelope (no "type" and "id" of type--UUID)`);
}

function fromJson(file: string, value: unknown): Shareable {
  if (Array.isArray(value)) {
    return { kind: 'stix', form: 'array', objects: value.flatMap((item, i) => itemObjects(item, `${file}: item ${i}`)) };
  }
  if (isRecord(value)) {
    const contained = containerObjects(value);
    if (contained) return { kind: 'stix', form: value.type === 'bundle' ? 'bundle' : 'envelope', objects: contained };
    if (isStixObject(value)) return { kind: 'stix', form: 'object', objects: [value] };
  }
  throw new CliError(`${file}: not STIX: ${EXPECTED}`);
}

function fromJsonLines(file: string, text: string): Shareable {
  const objects: unknown[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let item: unknown;
    try {
      item = JSON.parse(line);
    } catch (error) {
      throw new CliError(`${file}: line ${i + 1} is not JSON (${error instanceof Error ? error.message : String(error)}); ${EXPECTED}`);
    }
    objects.push(...itemObjects(item, `${file}: line ${i + 1}`));
  });
  return { kind: 'stix', form: 'json-lines', objects };
}

function fromList(file: string, text: string): Shareable {
  const format = extname(file).toLowerCase() === '.csv' ? 'text/csv' : 'text/plain';
  const lines = text.split(/\r?\n/);
  const header = format === 'text/csv' ? (lines.shift() ?? '') : undefined;
  const parts: string[] = [];
  for (let start = 0; start < lines.length; start += LINES_PER_PART) {
    parts.push([...(header === undefined ? [] : [header]), ...lines.slice(start, start + LINES_PER_PART)].join('\n'));
  }
  return { kind: 'list', format, parts };
}

/** What a file holds, by its content (its name only tells CSV from a plain list, and that .json must be JSON). */
export function shareableOf(file: string, text: string): Shareable {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const extension = extname(file).toLowerCase();
    // No indicator value begins with "{", so such a first line means JSON Lines, whatever the file is called.
    if (text.trimStart().startsWith('{') || extension === '.jsonl' || extension === '.ndjson') return fromJsonLines(file, text);
    if (extension === '.json') throw new CliError(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    return fromList(file, text);
  }
  return fromJson(file, value);
}

export const readShareable = (file: string): Shareable => shareableOf(file, readFileSync(file, 'utf8'));
