import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { applicable, propertiesOf, refTarget, schemaFile, schemaFiles, typeOf, type Json, type Node } from './stix-schemas';

/**
 * Writes shared/core/stix/properties-table.ts from the OASIS STIX 2.1 JSON schemas in test/fixtures/stix-2.1-schemas.
 * Run from the repository root:
 *   npx esbuild test/support/generate-stix-properties.ts --bundle --platform=node --log-level=warning | node
 * The product never reads the schemas: the table is committed, and test/unit/stix/properties.test.ts fails when
 * it and the schemas drift apart.
 */
const ROOT = process.cwd();
const SCHEMAS = resolve(ROOT, 'test', 'fixtures', 'stix-2.1-schemas');
const OUT = resolve(ROOT, 'shared', 'core', 'stix', 'properties-table.ts');

/** `bundle` is an envelope, not a STIX object (STIX 2.1 §8); the rest of common/ are types used inside objects. */
const NOT_OBJECTS = new Set(['bundle']);

/**
 * Where the schemas allow more than the specification, the specification wins. The schemas give every object
 * that includes core.json all of the SDO common properties, but:
 * - STIX 2.1 §7.3 (Extension Definition): confidence, lang and extensions are "Not Applicable";
 * - STIX 2.1 §7.1 (Language Content): lang is "Not Applicable" (each entry of contents names its own language).
 */
export const SPEC_NOT_APPLICABLE: Readonly<Record<string, readonly string[]>> = {
  'extension-definition': ['confidence', 'lang', 'extensions'],
  'language-content': ['lang'],
};

/** Names for nested structures the schemas write inline (owner.property), after STIX 2.1 §6's type names. */
const INLINE_NAMES: Record<string, string> = {
  'ntfs-ext.alternate_data_streams': 'alternate-data-stream',
  'marking-definition.definition': 'marking-definition-definition',
};

type Shape = { kind: 'value' } | { kind: 'dictionary' } | { kind: 'nested'; shape: string };
type PropertySet = Record<string, Shape>;

const nested = new Map<string, PropertySet>();
const extensions = new Map<string, PropertySet>();

/** The nodes describing a property's value, and those of its list items (a list of X is walked as X). */
function valueNodes(nodes: Node[]): Node[] {
  const out: Node[] = [];
  for (const node of nodes) {
    for (const part of applicable(node)) {
      out.push(part);
      const items = part.schema.items;
      if (items && typeof items === 'object' && !Array.isArray(items)) out.push(...applicable({ file: part.file, schema: items as Json }));
    }
  }
  return out;
}

const EXTENSION_KEY = /^\^([a-z0-9]+(?:-[a-z0-9]+)*-ext)\$$/;

function shapeOf(owner: string, name: string, nodes: Node[]): Shape {
  const parts = valueNodes(nodes);
  if (name === 'extensions') {
    for (const part of parts) {
      const patterns = (part.schema.patternProperties ?? {}) as Record<string, Json>;
      for (const [key, schema] of Object.entries(patterns)) {
        const ext = EXTENSION_KEY.exec(key)?.[1];
        if (!ext) continue;
        const set = propertySet(ext, propertiesOf({ file: part.file, schema }));
        if (Object.keys(set).length === 0) continue; // core.json's generic "*-ext" pattern
        extensions.set(ext, set);
        nested.set(ext, set);
      }
    }
    return { kind: 'nested', shape: 'extensions' };
  }
  const refs = parts.map((p) => (typeof p.schema.$ref === 'string' ? refTarget(p, p.schema.$ref) : undefined));
  if (refs.includes('dictionary.json') || refs.includes('hashes-type.json')) return { kind: 'dictionary' };
  const withProperties = parts.filter((p) => p.schema.properties && typeof p.schema.properties === 'object');
  if (withProperties.length > 0) {
    const shape = INLINE_NAMES[`${owner}.${name}`] ?? nestedName(parts);
    if (!shape) throw new Error(`${owner}.${name}: an inline nested structure without a name; add it to INLINE_NAMES`);
    const merged = new Map<string, Node[]>();
    for (const part of withProperties) {
      for (const [key, schema] of Object.entries(part.schema.properties as Record<string, Json>)) {
        merged.set(key, [...(merged.get(key) ?? []), { file: part.file, schema }]);
      }
    }
    if (!nested.has(shape)) nested.set(shape, propertySet(shape, merged));
    return { kind: 'nested', shape };
  }
  if (parts.some((p) => p.schema.type === 'object' || p.schema.patternProperties || p.schema.additionalProperties))
    return { kind: 'dictionary' };
  return { kind: 'value' };
}

/** The spec name of a referenced nested structure: "external-reference.json" → external-reference. */
function nestedName(parts: Node[]): string | undefined {
  for (const part of parts) {
    if (typeof part.schema.$ref !== 'string') continue;
    const target = refTarget(part, part.schema.$ref);
    const definition = /#\/definitions\/(.+)$/.exec(target)?.[1];
    // The schemas suffix some definitions with "-type" (mime-part-type); STIX 2.1 §6 names them without it.
    const name = (definition ?? target.replace(/\.json$/, '')).replace(/-type$/, '');
    if (definition || !['identifier', 'timestamp', 'hex', 'binary', 'url-regex'].includes(name)) return name;
  }
  return undefined;
}

function propertySet(owner: string, properties: Map<string, Node[]>): PropertySet {
  const set: PropertySet = {};
  for (const name of [...properties.keys()].sort()) set[name] = shapeOf(owner, name, properties.get(name)!);
  return set;
}

const types = new Map<string, PropertySet>();
for (const file of schemaFiles(SCHEMAS)) {
  const type = typeOf(file);
  if (!type || NOT_OBJECTS.has(type)) continue;
  const set = propertySet(type, propertiesOf(schemaFile(file)));
  for (const name of SPEC_NOT_APPLICABLE[type] ?? []) delete set[name];
  types.set(type, set);
}
nested.set('extensions', Object.fromEntries([...extensions.keys()].sort().map((ext) => [ext, { kind: 'nested', shape: ext }])));

function literal(set: PropertySet): string {
  const entries = Object.entries(set).map(([name, shape]) => {
    const key = /^[a-z_][a-z0-9_]*$/.test(name) ? name : `'${name}'`;
    const value = shape.kind === 'value' ? 'V' : shape.kind === 'dictionary' ? 'D' : `N('${shape.shape}')`;
    return `    ${key}: ${value},`;
  });
  return `S({\n${entries.join('\n')}\n  })`;
}

function table(name: string, doc: string, sets: Map<string, PropertySet>): string {
  const body = [...sets.keys()].sort().map((key) => `  '${key}': ${literal(sets.get(key)!)},`);
  return `/** ${doc} */\nexport const ${name}: Readonly<Record<string, PropertySet>> = {\n${body.join('\n')}\n};\n`;
}

const text = `/**
 * GENERATED from the OASIS STIX 2.1 JSON schemas (cti-stix2-json-schemas, test/fixtures/stix-2.1-schemas) by
 * test/support/generate-stix-properties.ts; do not edit by hand. To regenerate, from the repository root:
 *   npx esbuild test/support/generate-stix-properties.ts --bundle --platform=node --log-level=warning | node
 * test/unit/stix/properties.test.ts checks this table against the schemas and the OASIS examples.
 *
 * How it was produced: a type's properties are every \`properties\` name that applies to it through $ref, allOf,
 * oneOf, anyOf and then/else (never through \`not\` or \`if\`). A property whose value references dictionary.json
 * or hashes-type.json is a dictionary; one with its own \`properties\` is nested (a list of them too), named after
 * the referenced definition or, when the schema writes it inline, after STIX 2.1 §6 (alternate-data-stream…);
 * \`extensions\` is always nested 'extensions', whose keys are the predefined extensions found as \`^name-ext$\`
 * patterns in the schemas' extension dictionaries. Where the schemas allow more than the specification, the
 * specification wins: extension-definition has no confidence, lang or extensions (STIX 2.1 §7.3) and
 * language-content no lang (STIX 2.1 §7.1).
 */
import type { PropertySet, PropertyShape } from './properties';

const V: PropertyShape = { kind: 'value' };
const D: PropertyShape = { kind: 'dictionary' };
const N = (shape: string): PropertyShape => ({ kind: 'nested', shape });
/** Frozen and without a prototype: a walker's set[name] for "constructor" or "__proto__" must not find Object's. */
const S = (set: Record<string, PropertyShape>): PropertySet => Object.freeze(Object.assign(Object.create(null) as Record<string, PropertyShape>, set));

${table('OBJECT_PROPERTIES', 'STIX 2.1 object type → its properties, common ones included.', types)}
${table('NESTED_PROPERTIES', "Nested structure (a 'nested' shape's name) → its properties.", nested)}
${table('EXTENSION_PROPERTIES', 'STIX 2.1 §7.3 predefined SCO extension name → its properties.', extensions)}`;

writeFileSync(OUT, text);
console.log(`${OUT}: ${types.size} types, ${nested.size} nested structures, ${extensions.size} predefined extensions`);
