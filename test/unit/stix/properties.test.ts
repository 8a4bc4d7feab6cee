import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { scoId } from '../../../shared/core/normalize/canonical';
import {
  idContributingProperties,
  nestedProperties,
  predefinedExtension,
  stixPropertiesOf,
  type PropertySet,
  type PropertyShape,
} from '../../../shared/core/stix/properties';
import { NESTED_PROPERTIES, OBJECT_PROPERTIES } from '../../../shared/core/stix/properties-table';
import { STIX_EXAMPLES as EXAMPLES, STIX_SCHEMAS as SCHEMAS } from '../../support/fixtures';
import { applicable, propertiesOf, schemaFile, schemaFiles, typeOf, type Json } from '../../support/stix-schemas';

/** The spec's word against the schemas' (they give every core.json object all SDO common properties). */
const SPEC_NOT_APPLICABLE: Record<string, string[]> = {
  'extension-definition': ['confidence', 'lang', 'extensions'], // STIX 2.1 §7.3 "Not Applicable Properties"
  'language-content': ['lang'], // STIX 2.1 §7.1
};

const PREDEFINED_EXTENSIONS = [
  'archive-ext',
  'http-request-ext',
  'icmp-ext',
  'ntfs-ext',
  'pdf-ext',
  'raster-image-ext',
  'socket-ext',
  'tcp-ext',
  'unix-account-ext',
  'windows-pebinary-ext',
  'windows-process-ext',
  'windows-service-ext',
];

const schemaTypes = schemaFiles(SCHEMAS)
  .map((file) => [typeOf(file), file] as const)
  .filter((entry): entry is readonly [string, string] => entry[0] !== undefined && entry[0] !== 'bundle');

const sorted = (names: Iterable<string>) => [...names].sort();
const keys = (set: PropertySet | undefined) => sorted(Object.keys(set ?? {}));

describe('the property table against the OASIS STIX 2.1 schemas', () => {
  it('has exactly the object types the schemas define (every SDO, SRO and SCO, marking-definition, language-content, extension-definition)', () => {
    expect(sorted(Object.keys(OBJECT_PROPERTIES))).toEqual(sorted(schemaTypes.map(([type]) => type)));
    expect(schemaTypes).toHaveLength(19 + 2 + 18 + 3);
  });

  it.each(schemaTypes)('%s: the property names the schema defines, through allOf/oneOf/$ref, are the table’s', (type, file) => {
    const fromSchema = [...propertiesOf(schemaFile(file)).keys()].filter((name) => !(SPEC_NOT_APPLICABLE[type] ?? []).includes(name));

    expect(keys(stixPropertiesOf(type))).toEqual(sorted(fromSchema));
  });

  it('has, for each predefined extension in the SCO schemas, the property names the schema defines', () => {
    const fromSchemas = new Map<string, string[]>();
    for (const [, file] of schemaTypes) {
      for (const node of propertiesOf(schemaFile(file)).get('extensions') ?? []) {
        for (const part of applicable(node)) {
          for (const [pattern, schema] of Object.entries((part.schema.patternProperties ?? {}) as Record<string, Json>)) {
            const name = /^\^([a-z0-9-]+-ext)\$$/.exec(pattern)?.[1];
            const names = [...propertiesOf({ file: part.file, schema }).keys()];
            if (name && names.length > 0) fromSchemas.set(name, sorted(names));
          }
        }
      }
    }

    expect(sorted(fromSchemas.keys())).toEqual(PREDEFINED_EXTENSIONS);
    for (const [name, names] of fromSchemas) expect([name, keys(predefinedExtension(name))]).toEqual([name, names]);
  });
});

/** Every property of `value` the table does not allow, as paths; x_ properties and extension-definition extensions pass. */
function outside(value: Record<string, unknown>, set: PropertySet, path: string): string[] {
  const found: string[] = [];
  for (const [name, inner] of Object.entries(value)) {
    const shape = set[name];
    if (!Object.hasOwn(set, name) || !shape) {
      if (!name.startsWith('x_') && !/^extension-definition--[0-9a-f-]{36}$/.test(name)) found.push(`${path}.${name}`);
      continue;
    }
    if (shape.kind !== 'nested') continue;
    const nested = nestedProperties(shape.shape)!;
    for (const [i, item] of (Array.isArray(inner) ? inner : [inner]).entries()) {
      if (item && typeof item === 'object')
        found.push(...outside(item as Record<string, unknown>, nested, Array.isArray(inner) ? `${path}.${name}[${i}]` : `${path}.${name}`));
    }
  }
  return found;
}

describe('the property table against the OASIS examples', () => {
  // examples/interop/ holds interop-profile schemas, not objects; the rest are bundles or single objects.
  const exampleFiles = readdirSync(EXAMPLES, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.json') && !name.startsWith('interop/'))
    .map((name) => join(EXAMPLES, name))
    .filter((file) => statSync(file).isFile());
  const objects = exampleFiles.flatMap((file) => {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const list = parsed.type === 'bundle' ? (parsed.objects as Record<string, unknown>[]) : [parsed];
    return list.map((object) => ({ file: file.slice(EXAMPLES.length + 1), object }));
  });

  const ajv = new Ajv2020({ strict: false, unicodeRegExp: false }); // the OASIS patterns use \- outside classes
  addFormats(ajv);
  for (const file of schemaFiles(SCHEMAS)) ajv.addSchema(JSON.parse(readFileSync(file, 'utf8')) as object);
  const validatorOf = (type: string) => {
    const file = schemaTypes.find(([t]) => t === type)?.[1];
    return file ? ajv.getSchema((JSON.parse(readFileSync(file, 'utf8')) as { $id: string }).$id) : undefined;
  };

  it('finds example objects of many types, and every one of them valid against its schema', () => {
    const invalid = objects
      .filter(({ object }) => !validatorOf(String(object.type))?.(object))
      .map(({ file, object }) => `${file}: ${String(object.id)}`);

    expect(objects.length).toBeGreaterThan(250);
    expect(new Set(objects.map(({ object }) => object.type)).size).toBeGreaterThanOrEqual(14);
    expect(invalid).toEqual([]);
  });

  it('no example object carries a property outside the table, except x_ custom ones and extension-definition extensions', () => {
    const disagreements = objects.flatMap(({ file, object }) => {
      const set = stixPropertiesOf(String(object.type));
      return set ? outside(object, set, `${file}: ${String(object.id)}`) : [`${file}: unknown type ${String(object.type)}`];
    });

    expect(disagreements).toEqual([]);
  });

  it('catches what it must: a custom property, an unknown nested property, an unknown extension', () => {
    const object = {
      ...{ type: 'file', id: 'file--0b0a4a0e-43f3-5a3c-a3b8-4cb6c5d9d8e1', name: 'a.exe', x_ok: 1, secret_owner: 'acme' },
      extensions: { 'ntfs-ext': { sid: 'S-1', alternate_data_streams: [{ name: 'ads', owner: 'acme' }] }, 'acme-ext': { a: 1 } },
    };

    expect(outside(object, stixPropertiesOf('file')!, 'f')).toEqual([
      'f.secret_owner',
      'f.extensions.ntfs-ext.alternate_data_streams[0].owner',
      'f.extensions.acme-ext',
    ]);
  });
});

describe('shapes', () => {
  const allShapes = (): PropertyShape[] =>
    [...Object.values(OBJECT_PROPERTIES), ...Object.values(NESTED_PROPERTIES)].flatMap((set) => Object.values(set));

  it('lists the twelve STIX 2.1 §7.3 predefined extensions under extensions, and nothing else', () => {
    expect(keys(nestedProperties('extensions'))).toEqual(PREDEFINED_EXTENSIONS);
    for (const name of PREDEFINED_EXTENSIONS) {
      expect(nestedProperties('extensions')![name]).toEqual({ kind: 'nested', shape: name });
      expect(nestedProperties(name)).toEqual(predefinedExtension(name));
    }
  });

  it('gives every type extensions as nested "extensions", except extension-definition (STIX 2.1 §7.3)', () => {
    const without = Object.entries(OBJECT_PROPERTIES)
      .filter(([, set]) => set.extensions?.kind !== 'nested' || set.extensions.shape !== 'extensions')
      .map(([type]) => type);

    expect(without).toEqual(['extension-definition']);
  });

  it('names only nested structures the table defines (a walker never meets an unknown shape)', () => {
    const missing = allShapes().flatMap((shape) => (shape.kind === 'nested' && !nestedProperties(shape.shape) ? [shape.shape] : []));

    expect(missing).toEqual([]);
  });

  it('has the STIX 2.1 predefined extension properties, nested where the spec nests', () => {
    expect(predefinedExtension('ntfs-ext')).toEqual({
      sid: { kind: 'value' },
      alternate_data_streams: { kind: 'nested', shape: 'alternate-data-stream' },
    });
    expect(nestedProperties('alternate-data-stream')).toEqual({
      name: { kind: 'value' },
      hashes: { kind: 'dictionary' },
      size: { kind: 'value' },
    });
    expect(predefinedExtension('archive-ext')).toEqual({ contains_refs: { kind: 'value' }, comment: { kind: 'value' } });
    expect(predefinedExtension('windows-pebinary-ext')).toMatchObject({
      optional_header: { kind: 'nested', shape: 'windows-pe-optional-header' },
      sections: { kind: 'nested', shape: 'windows-pe-section' },
      file_header_hashes: { kind: 'dictionary' },
    });
    expect(keys(predefinedExtension('http-request-ext'))).toEqual([
      'message_body_data_ref',
      'message_body_length',
      'request_header',
      'request_method',
      'request_value',
      'request_version',
    ]);
    expect(predefinedExtension('http-request-ext')!.request_header).toEqual({ kind: 'dictionary' });
    expect(predefinedExtension('socket-ext')!.options).toEqual({ kind: 'dictionary' });
    expect(predefinedExtension('windows-process-ext')!.startup_info).toEqual({ kind: 'dictionary' });
    expect(keys(predefinedExtension('unix-account-ext'))).toEqual(['gid', 'groups', 'home_dir', 'shell']);
    expect(predefinedExtension('x509-v3-extensions')).toBeUndefined();
  });

  it('models the common nested types and the open dictionaries of STIX 2.1', () => {
    expect(keys(nestedProperties('external-reference'))).toEqual(['description', 'external_id', 'hashes', 'source_name', 'url']);
    expect(keys(nestedProperties('kill-chain-phase'))).toEqual(['kill_chain_name', 'phase_name']);
    expect(keys(nestedProperties('granular-marking'))).toEqual(['lang', 'marking_ref', 'selectors']);
    expect(keys(nestedProperties('mime-part'))).toEqual(['body', 'body_raw_ref', 'content_disposition', 'content_type']);
    expect(keys(nestedProperties('windows-registry-value'))).toEqual(['data', 'data_type', 'name']);
    expect(stixPropertiesOf('email-message')!.body_multipart).toEqual({ kind: 'nested', shape: 'mime-part' });
    expect(stixPropertiesOf('x509-certificate')!.x509_v3_extensions).toEqual({ kind: 'nested', shape: 'x509-v3-extensions' });
    expect(stixPropertiesOf('indicator')!.external_references).toEqual({ kind: 'nested', shape: 'external-reference' });
    for (const [type, name] of [
      ['file', 'hashes'],
      ['network-traffic', 'ipfix'],
      ['process', 'environment_variables'],
      ['email-message', 'additional_header_fields'],
      ['language-content', 'contents'],
    ]) {
      expect([type, name, stixPropertiesOf(type!)![name!]]).toEqual([type, name, { kind: 'dictionary' }]);
    }
  });

  it('gives marking-definition its definition (statement or TLP) and none of the properties it does not have', () => {
    expect(stixPropertiesOf('marking-definition')!.definition).toEqual({ kind: 'nested', shape: 'marking-definition-definition' });
    expect(nestedProperties('marking-definition-definition')).toEqual({ statement: { kind: 'value' }, tlp: { kind: 'value' } });
    expect(stixPropertiesOf('marking-definition')!.modified).toBeUndefined();
    expect(stixPropertiesOf('marking-definition')!.revoked).toBeUndefined();
  });

  it('knows no type STIX 2.1 does not define, and no property set answers for Object.prototype names', () => {
    for (const name of ['x-acme-thing', 'bundle', 'action', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '']) {
      expect([name, stixPropertiesOf(name), nestedProperties(name), predefinedExtension(name), idContributingProperties(name)]).toEqual([
        name,
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
    }
    const inherited = [...Object.values(OBJECT_PROPERTIES), ...Object.values(NESTED_PROPERTIES)].flatMap((set) =>
      ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'].filter((name) => set[name] !== undefined),
    );
    expect(inherited).toEqual([]);
  });
});

describe('id-contributing properties (STIX 2.1 §2.9)', () => {
  it('lists the spec’s properties for file, network-traffic, email-addr and email-message; none for process', () => {
    expect(idContributingProperties('file')).toEqual(['hashes', 'name', 'extensions', 'parent_directory_ref']);
    expect(idContributingProperties('network-traffic')).toEqual([
      'start',
      'end',
      'src_ref',
      'dst_ref',
      'src_port',
      'dst_port',
      'protocols',
      'extensions',
    ]);
    expect(idContributingProperties('email-addr')).toEqual(['value']);
    expect(idContributingProperties('email-message')).toEqual(['from_ref', 'subject', 'body']);
    expect(idContributingProperties('process')).toBeUndefined();
    expect(idContributingProperties('indicator')).toBeUndefined();
  });

  it('names only properties of the type, for every SCO type but process', () => {
    const scos = Object.keys(OBJECT_PROPERTIES).filter((type) => stixPropertiesOf(type)!.defanged);
    const withIds = scos.filter((type) => idContributingProperties(type));
    const strays = withIds.flatMap((type) =>
      idContributingProperties(type)!
        .filter((name) => !stixPropertiesOf(type)![name])
        .map((name) => `${type}.${name}`),
    );

    expect(sorted(scos.filter((type) => !withIds.includes(type)))).toEqual(['process']);
    expect(strays).toEqual([]);
  });

  it('is the one rule scoId follows: other properties do not move the id', () => {
    const traffic = { src_ref: 'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd', dst_port: 443, protocols: ['ipv4', 'tcp'] };

    expect(scoId('network-traffic', { ...traffic, src_byte_count: 10, x_note: 'acme' })).toBe(scoId('network-traffic', traffic));
    expect(scoId('network-traffic', { ...traffic, dst_port: 80 })).not.toBe(scoId('network-traffic', traffic));
    expect(scoId('email-addr', { value: 'a@example.com', display_name: 'A' })).toBe(scoId('email-addr', { value: 'a@example.com' }));
    expect(scoId('process', { pid: 4 })).toBeUndefined();
  });
});
