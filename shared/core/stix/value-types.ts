import type { ObservableForm } from './observable-values';

/**
 * What the property table (properties-table.ts, generated from the OASIS schemas) cannot say: the STIX 2.1 data
 * type of each property's value, the ranges the spec gives, the enumerations it closes (an `-enum`, never an open
 * `-ov` vocabulary), and the object types a reference MUST point at. Written from the spec's property tables; the
 * names are the same wherever a property appears, so one entry serves every type that has the property.
 *
 * Rules found by name, for properties the spec defines but this file does not list (nested extension properties
 * among them): `*_ref` is an identifier, `*_refs` a list of identifiers (STIX 2.1 §3.1 naming), `is_*` a boolean,
 * `*_hex` hex.
 */
export type ValueRule =
  | { kind: 'string' }
  | { kind: 'boolean' }
  | { kind: 'integer'; min?: number; max?: number }
  | { kind: 'number'; min?: number; max?: number }
  | { kind: 'timestamp' }
  | { kind: 'identifier'; types?: readonly string[] }
  | { kind: 'identifiers'; types?: readonly string[] }
  | { kind: 'strings'; values?: readonly string[] }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'language-tag' }
  | { kind: 'binary' }
  | { kind: 'hex' }
  | { kind: 'selectors' }
  | { kind: 'observable'; form: ObservableForm }
  | { kind: 'hashes' };

const STRING: ValueRule = { kind: 'string' };
const BOOLEAN: ValueRule = { kind: 'boolean' };
const TIMESTAMP: ValueRule = { kind: 'timestamp' };
const STRINGS: ValueRule = { kind: 'strings' };
const INTEGER: ValueRule = { kind: 'integer' };
const HEX: ValueRule = { kind: 'hex' };
const COUNT: ValueRule = { kind: 'integer', min: 0 };
const ref = (...types: string[]): ValueRule => ({ kind: 'identifier', types });
const refs = (...types: string[]): ValueRule => ({ kind: 'identifiers', types });
const observable = (form: ObservableForm): ValueRule => ({ kind: 'observable', form });

const TIMESTAMPS = [
  'account_created',
  'account_expires',
  'account_first_login',
  'account_last_login',
  'analysis_ended',
  'analysis_started',
  'atime',
  'created',
  'created_time',
  'credential_last_changed',
  'ctime',
  'date',
  'end',
  'first_observed',
  'first_seen',
  'last_observed',
  'last_seen',
  'modified',
  'modified_time',
  'mtime',
  'object_modified',
  'published',
  'start',
  'start_time',
  'stop_time',
  'submitted',
  'time_date_stamp',
  'private_key_usage_period_not_after',
  'private_key_usage_period_not_before',
  'valid_from',
  'valid_until',
  'validity_not_after',
  'validity_not_before',
];

const STRING_LISTS = [
  'aliases',
  'architecture_execution_envs',
  'authors',
  'capabilities',
  'descriptions',
  'extension_properties',
  'goals',
  'groups',
  'implementation_languages',
  'indicator_types',
  'infrastructure_types',
  'labels',
  'languages',
  'malware_types',
  'modules',
  'personal_motivations',
  'protocols',
  'received_lines',
  'report_types',
  'roles',
  'secondary_motivations',
  'sectors',
  'threat_actor_types',
  'tool_types',
];

const RULES: Readonly<Record<string, ValueRule>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, ValueRule>, {
    ...Object.fromEntries(TIMESTAMPS.map((name) => [name, TIMESTAMP])),
    ...Object.fromEntries(STRING_LISTS.map((name) => [name, STRINGS])),
    // STIX 2.1 §3.2: confidence is an integer from 0 to 100.
    confidence: { kind: 'integer', min: 0, max: 100 },
    count: { kind: 'integer', min: 0, max: 999_999_999 }, // sighting
    number_observed: { kind: 'integer', min: 1, max: 999_999_999 }, // observed-data
    src_port: { kind: 'integer', min: 0, max: 65_535 },
    dst_port: { kind: 'integer', min: 0, max: 65_535 },
    size: COUNT,
    number: COUNT,
    pid: INTEGER,
    src_byte_count: COUNT,
    dst_byte_count: COUNT,
    src_packets: COUNT,
    dst_packets: COUNT,
    number_of_subkeys: COUNT,
    subject_public_key_exponent: COUNT,
    message_body_length: COUNT,
    gid: INTEGER,
    // Predefined SCO extensions (STIX 2.1 §6): PE headers, raster images, sockets.
    ...Object.fromEntries(
      [
        'address_of_entry_point',
        'base_of_code',
        'base_of_data',
        'file_alignment',
        'image_base',
        'major_image_version',
        'major_linker_version',
        'major_os_version',
        'major_subsystem_version',
        'minor_image_version',
        'minor_linker_version',
        'minor_os_version',
        'minor_subsystem_version',
        'number_of_rva_and_sizes',
        'section_alignment',
        'size_of_code',
        'size_of_headers',
        'size_of_heap_commit',
        'size_of_heap_reserve',
        'size_of_image',
        'size_of_initialized_data',
        'size_of_stack_commit',
        'size_of_stack_reserve',
        'size_of_uninitialized_data',
        'number_of_sections',
        'number_of_symbols',
        'size_of_optional_header',
        'bits_per_pixel',
        'image_height',
        'image_width',
        'socket_descriptor',
        'socket_handle',
      ].map((name) => [name, INTEGER]),
    ),
    entropy: { kind: 'number' },
    integrity_level: { kind: 'enum', values: ['low', 'medium', 'high', 'system'] }, // windows-integrity-level-enum
    start_type: {
      kind: 'enum',
      values: ['SERVICE_AUTO_START', 'SERVICE_BOOT_START', 'SERVICE_DEMAND_START', 'SERVICE_DISABLED', 'SERVICE_SYSTEM_ALERT'],
    },
    service_type: {
      kind: 'enum',
      values: ['SERVICE_KERNEL_DRIVER', 'SERVICE_FILE_SYSTEM_DRIVER', 'SERVICE_WIN32_OWN_PROCESS', 'SERVICE_WIN32_SHARE_PROCESS'],
    },
    service_status: {
      kind: 'enum',
      values: [
        'SERVICE_CONTINUE_PENDING',
        'SERVICE_PAUSE_PENDING',
        'SERVICE_PAUSED',
        'SERVICE_RUNNING',
        'SERVICE_START_PENDING',
        'SERVICE_STOP_PENDING',
        'SERVICE_STOPPED',
      ],
    },
    data_type: {
      kind: 'enum',
      values: [
        'REG_NONE',
        'REG_SZ',
        'REG_EXPAND_SZ',
        'REG_BINARY',
        'REG_DWORD',
        'REG_DWORD_BIG_ENDIAN',
        'REG_DWORD_LITTLE_ENDIAN',
        'REG_LINK',
        'REG_MULTI_SZ',
        'REG_RESOURCE_LIST',
        'REG_FULL_RESOURCE_DESCRIPTION',
        'REG_RESOURCE_REQUIREMENTS_LIST',
        'REG_QWORD',
        'REG_INVALID_TYPE',
      ],
    },
    address_family: {
      kind: 'enum',
      values: ['AF_UNSPEC', 'AF_INET', 'AF_IPX', 'AF_APPLETALK', 'AF_NETBIOS', 'AF_INET6', 'AF_IRDA', 'AF_BTH'],
    },
    socket_type: { kind: 'enum', values: ['SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_RAW', 'SOCK_RDM', 'SOCK_SEQPACKET'] },
    latitude: { kind: 'number', min: -90, max: 90 },
    longitude: { kind: 'number', min: -180, max: 180 },
    precision: { kind: 'number', min: 0 },
    // Strings wherever they appear, nested structures included (the table types only top-level plain values).
    ...Object.fromEntries(
      ['name', 'description', 'value', 'url', 'source_name', 'external_id', 'kill_chain_name', 'phase_name', 'statement'].map((name) => [
        name,
        STRING,
      ]),
    ),
    defanged: BOOLEAN,
    revoked: BOOLEAN,
    can_escalate_privs: BOOLEAN,
    summary: BOOLEAN,
    aslr_enabled: BOOLEAN,
    dep_enabled: BOOLEAN,
    lang: { kind: 'language-tag' },
    selectors: { kind: 'selectors' },
    payload_bin: { kind: 'binary' },
    // STIX 2.1 §2.7: hashes wherever they appear (file, artifact, x509-certificate, external references, NTFS
    // alternate data streams, PE sections and file headers).
    hashes: { kind: 'hashes' },
    file_header_hashes: { kind: 'hashes' },
    spec_version: { kind: 'enum', values: ['2.1'] },
    opinion: { kind: 'enum', values: ['strongly-disagree', 'disagree', 'neutral', 'agree', 'strongly-agree'] }, // opinion-enum
    encryption_algorithm: { kind: 'enum', values: ['AES-256-GCM', 'ChaCha20-Poly1305', 'mime-type-indicated'] }, // encryption-algorithm-enum
    extension_types: { kind: 'strings', values: ['new-sdo', 'new-sco', 'new-sro', 'property-extension', 'toplevel-property-extension'] }, // extension-type-enum
    extension_type: { kind: 'enum', values: ['new-sdo', 'new-sco', 'new-sro', 'property-extension', 'toplevel-property-extension'] },
    // References whose target type the spec fixes (MUST).
    created_by_ref: ref('identity'),
    object_marking_refs: refs('marking-definition'),
    marking_ref: ref('marking-definition'),
    observed_data_refs: refs('observed-data'),
    where_sighted_refs: refs('identity', 'location'),
    sample_ref: ref('artifact', 'file', 'network-traffic'),
    sample_refs: refs('artifact', 'file'),
    host_vm_ref: ref('software'),
    operating_system_ref: ref('software'),
    operating_system_refs: refs('software'),
    installed_software_refs: refs('software'),
    from_ref: ref('email-addr'),
    sender_ref: ref('email-addr'),
    to_refs: refs('email-addr'),
    cc_refs: refs('email-addr'),
    bcc_refs: refs('email-addr'),
    raw_email_ref: ref('artifact'),
    body_raw_ref: ref('artifact', 'file'),
    parent_directory_ref: ref('directory'),
    content_ref: ref('artifact'),
    creator_user_ref: ref('user-account'),
    image_ref: ref('file'),
    parent_ref: ref('process'),
    child_refs: refs('process'),
    opened_connection_refs: refs('network-traffic'),
    encapsulates_refs: refs('network-traffic'),
    encapsulated_by_ref: ref('network-traffic'),
    src_ref: ref('ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'),
    dst_ref: ref('ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'),
    src_payload_ref: ref('artifact'),
    dst_payload_ref: ref('artifact'),
    message_body_data_ref: ref('artifact'),
    service_dll_refs: refs('file'),
    belongs_to_refs: refs('autonomous-system'),
  }),
);

/**
 * Rules that depend on the object type as well as the property name: among them the value of each SCO and its
 * id-contributing properties that have a form (STIX 2.1 §6, observable-values.ts).
 */
const BY_TYPE: Readonly<Record<string, Readonly<Record<string, ValueRule>>>> = {
  'email-addr': { belongs_to_ref: ref('user-account'), value: observable('email-addr') },
  'ipv4-addr': { resolves_to_refs: refs('mac-addr'), value: observable('ipv4') },
  'ipv6-addr': { resolves_to_refs: refs('mac-addr'), value: observable('ipv6') },
  'domain-name': { resolves_to_refs: refs('ipv4-addr', 'ipv6-addr', 'domain-name'), value: observable('domain-name') },
  'mac-addr': { value: observable('mac-addr') },
  url: { value: observable('url') },
  artifact: { url: observable('url') },
  // RFC 6793: AS numbers are four octets.
  'autonomous-system': { number: { kind: 'integer', min: 0, max: 4_294_967_295 } },
  software: { cpe: observable('cpe') },
  'windows-registry-key': { key: observable('registry-key') },
  'x509-certificate': { serial_number: observable('x509-serial') },
};

/**
 * The value rule for a property, or undefined where the spec gives none this file knows (then the caller uses the
 * table's shape: a plain value of a predefined top-level property is a string).
 */
export function valueRule(name: string, type?: string): ValueRule | undefined {
  const byType = type !== undefined && Object.hasOwn(BY_TYPE, type) ? BY_TYPE[type]! : undefined;
  if (byType && Object.hasOwn(byType, name)) return byType[name];
  if (Object.hasOwn(RULES, name)) return RULES[name];
  if (name.endsWith('_ref')) return { kind: 'identifier' };
  if (name.endsWith('_refs')) return { kind: 'identifiers' };
  if (name.startsWith('is_')) return BOOLEAN;
  if (name.endsWith('_hex')) return HEX;
  return undefined;
}
