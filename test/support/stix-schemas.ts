import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { STIX_SCHEMAS } from './fixtures';

/**
 * Reads the OASIS STIX 2.1 JSON schemas (test/fixtures/stix-2.1-schemas) for the property table's
 * generator and its oracle test. A schema names a property wherever a `properties` block applies to the object:
 * its own, and those reached through `$ref`, `allOf`, `oneOf`, `anyOf`, `then`/`else` (a union: oneOf branches such
 * as external-reference's cve/capec/other all name properties the object may carry). `not` and `if` only test
 * values, so the names inside them (extension-definition's `if: { not: { properties } }`) are not properties.
 */
export const SCHEMA_ROOT = STIX_SCHEMAS;

export type Json = { [key: string]: unknown };

const files = new Map<string, Json>();

function load(file: string): Json {
  let schema = files.get(file);
  if (!schema) {
    schema = JSON.parse(readFileSync(file, 'utf8')) as Json;
    files.set(file, schema);
  }
  return schema;
}

/** A schema node and the file it lives in (to resolve its relative `$ref`s). */
export interface Node {
  file: string;
  schema: Json;
}

export function schemaFile(file: string): Node {
  return { file, schema: load(file) };
}

/** Every object schema file by folder: common/, sdos/, sros/, observables/. */
export function schemaFiles(root = SCHEMA_ROOT): string[] {
  return ['common', 'sdos', 'sros', 'observables'].flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((name) => name.endsWith('.json'))
      .map((name) => join(root, dir, name)),
  );
}

/** Follows one `$ref`: "../common/x.json", "x.json#/definitions/y" or "#/definitions/y". */
export function deref(node: Node, ref: string): Node {
  const [path = '', fragment] = ref.split('#');
  const file = path === '' ? node.file : resolve(dirname(node.file), path);
  let schema: unknown = load(file);
  for (const part of (fragment ?? '').split('/').filter(Boolean)) schema = (schema as Json)[part];
  if (!schema || typeof schema !== 'object') throw new Error(`unresolved $ref ${ref} from ${node.file}`);
  return { file, schema: schema as Json };
}

/** Where a `$ref` points, as "file.json" or "file.json#/definitions/y" (the name a generator keys shapes on). */
export function refTarget(node: Node, ref: string): string {
  const [path = '', fragment] = ref.split('#');
  const file = path === '' ? node.file : resolve(dirname(node.file), path);
  return fragment ? `${basename(file)}#${fragment}` : basename(file);
}

const COMBINATORS = ['allOf', 'oneOf', 'anyOf', 'then', 'else'] as const;

/** The sub-schemas that apply to the same value as `node` (itself first). */
export function applicable(node: Node): Node[] {
  const out: Node[] = [node];
  const ref = node.schema.$ref;
  if (typeof ref === 'string') out.push(...applicable(deref(node, ref)));
  for (const key of COMBINATORS) {
    const value = node.schema[key];
    const list = Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : [];
    for (const sub of list as Json[]) out.push(...applicable({ file: node.file, schema: sub }));
  }
  return out;
}

/** Property name → every schema node that defines it, over all applicable sub-schemas. */
export function propertiesOf(node: Node): Map<string, Node[]> {
  const found = new Map<string, Node[]>();
  for (const part of applicable(node)) {
    const properties = part.schema.properties;
    if (!properties || typeof properties !== 'object') continue;
    for (const [name, schema] of Object.entries(properties as Record<string, Json>)) {
      found.set(name, [...(found.get(name) ?? []), { file: part.file, schema }]);
    }
  }
  return found;
}

/** The object type a schema file defines: the `enum` of its `type` property, if it has one. */
export function typeOf(file: string): string | undefined {
  for (const node of propertiesOf(schemaFile(file)).get('type') ?? []) {
    const values = node.schema.enum;
    if (Array.isArray(values) && values.length === 1 && typeof values[0] === 'string') return values[0];
  }
  return undefined;
}
