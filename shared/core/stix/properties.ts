import { EXTENSION_PROPERTIES, NESTED_PROPERTIES, OBJECT_PROPERTIES } from './properties-table';

/**
 * The STIX 2.1 property allow-list, as data a walker can follow: anonymize publishes only these properties
 * (custom, unknown and non-predefined extensions are dropped unless a collection's policy names them), and strict
 * input validation checks against the same table. The table itself (properties-table.ts) is generated from the
 * OASIS STIX 2.1 JSON schemas — its header says how — so nobody transcribes the spec by hand.
 *
 * How values are walked:
 * 1. `extensions` is nested 'extensions' on every type: its keys are extension names; nestedProperties('extensions')
 *    lists the STIX 2.1 §7.3 predefined ones, each nested under its own name. An `extension-definition--<uuid>`
 *    key is a custom extension (STIX 2.1 §7.3) and is not in the table: the caller decides by policy.
 * 2. language-content `contents` is a dictionary of dictionaries (language tag → property name → translated text,
 *    STIX 2.1 §7.1). It is modelled as one 'dictionary': both levels of keys are data to this table. A caller
 *    that wants the inner keys to be properties of the translated object resolves `object_ref`'s type itself.
 * 3. marking-definition `definition` is nested 'marking-definition-definition', the union of the statement and
 *    TLP definitions ({statement}, {tlp}; STIX 2.1 §7.2.2); definition_type says which one applies.
 * 4. A list of values or of nested structures has the same shape as one of them.
 */

/** How a property's value is walked: a plain value (string/number/boolean or a list of them), an open dictionary
 *  (keys are data, e.g. hashes, ipfix, environment_variables), or a nested structure with its own property set
 *  (a list of them counts the same). */
export type PropertyShape = { kind: 'value' } | { kind: 'dictionary' } | { kind: 'nested'; shape: string };
export type PropertySet = Readonly<Record<string, PropertyShape>>;

/** Own keys only: a lookup of "constructor" or "__proto__" must not find Object.prototype. */
function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** The STIX 2.1 properties of an object type (common properties included), or undefined for a type STIX 2.1 does not define. */
export function stixPropertiesOf(type: string): PropertySet | undefined {
  return lookup(OBJECT_PROPERTIES, type);
}

/** Properties of a nested structure named by a 'nested' shape: 'external-reference', 'kill-chain-phase',
 *  'granular-marking', 'extensions' (see below), 'alternate-data-stream', 'windows-pe-section', 'mime-part',
 *  'windows-registry-value', 'x509-v3-extensions', 'windows-pe-optional-header', each predefined extension, … */
export function nestedProperties(shape: string): PropertySet | undefined {
  return lookup(NESTED_PROPERTIES, shape);
}

/** STIX 2.1 §7.3 predefined SCO extensions (archive-ext, ntfs-ext, pdf-ext, raster-image-ext,
 *  windows-pebinary-ext, http-request-ext, icmp-ext, socket-ext, tcp-ext, unix-account-ext, windows-process-ext,
 *  windows-service-ext): extension name → its property set. */
export function predefinedExtension(name: string): PropertySet | undefined {
  return lookup(EXTENSION_PROPERTIES, name);
}

/**
 * STIX 2.1 §2.9 and each SCO's "ID Contributing Properties" in §6: the properties a deterministic (UUIDv5) id is
 * computed from. The JSON schemas do not carry them, so they are written here from the spec. process has none
 * (STIX 2.1 §6.11: UUIDv4 SHOULD be used), hence no entry.
 */
const ID_CONTRIBUTING: Readonly<Record<string, readonly string[]>> = {
  artifact: ['hashes', 'payload_bin'],
  'autonomous-system': ['number'],
  directory: ['path'],
  'domain-name': ['value'],
  'email-addr': ['value'],
  'email-message': ['from_ref', 'subject', 'body'],
  file: ['hashes', 'name', 'extensions', 'parent_directory_ref'],
  'ipv4-addr': ['value'],
  'ipv6-addr': ['value'],
  'mac-addr': ['value'],
  mutex: ['name'],
  'network-traffic': ['start', 'end', 'src_ref', 'dst_ref', 'src_port', 'dst_port', 'protocols', 'extensions'],
  software: ['name', 'cpe', 'swid', 'vendor', 'version'],
  url: ['value'],
  'user-account': ['account_type', 'user_id', 'account_login'],
  'windows-registry-key': ['key', 'values'],
  'x509-certificate': ['hashes', 'serial_number'],
};

/** STIX 2.1 §2.9: the id-contributing properties of each SCO type (deterministic UUIDv5 ids). */
export function idContributingProperties(type: string): readonly string[] | undefined {
  return lookup(ID_CONTRIBUTING, type);
}

/** STIX 2.1 §6: the cyber-observable object types. */
const OBSERVABLE_TYPES: ReadonlySet<string> = new Set([...Object.keys(ID_CONTRIBUTING), 'process']);

export const isObservableType = (type: string): boolean => OBSERVABLE_TYPES.has(type);
