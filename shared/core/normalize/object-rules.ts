import { identifierType } from '../stix/identifier';
import { isStixTimestamp } from '../stix/timestamp';

/**
 * STIX 2.1 rules about an object as a whole, after its properties one by one (validate.ts): the properties each type
 * requires, the orderings the spec states (modified ≥ created, valid_until > valid_from, last_seen ≥ first_seen,
 * last_observed ≥ first_observed, a network-traffic end ≥ its start) and its co-occurrence rules (location
 * coordinates, observed-data object_refs or objects, relationship ends, an artifact's payload_bin or url with
 * hashes, an active network-traffic without end).
 */

/** Required properties beyond the common ones; `a|b` means one of them. */
const REQUIRED: Record<string, string[]> = {
  'attack-pattern': ['name'],
  campaign: ['name'],
  'course-of-action': ['name'],
  grouping: ['context', 'object_refs'],
  identity: ['name'],
  incident: ['name'],
  indicator: ['pattern', 'pattern_type', 'valid_from'],
  infrastructure: ['name'],
  'intrusion-set': ['name'],
  location: ['region|country|latitude'],
  malware: ['is_family'],
  'malware-analysis': ['product'],
  note: ['content', 'object_refs'],
  'observed-data': ['first_observed', 'last_observed', 'number_observed', 'object_refs|objects'],
  opinion: ['opinion', 'object_refs'],
  report: ['name', 'published', 'object_refs'],
  'threat-actor': ['name'],
  tool: ['name'],
  vulnerability: ['name'],
  relationship: ['relationship_type', 'source_ref', 'target_ref'],
  sighting: ['sighting_of_ref'],
  'language-content': ['object_ref', 'contents'],
  'extension-definition': ['name', 'schema', 'version', 'extension_types'],
  artifact: ['payload_bin|url'],
  'autonomous-system': ['number'],
  directory: ['path'],
  'domain-name': ['value'],
  'email-addr': ['value'],
  'email-message': ['is_multipart'],
  file: ['hashes|name'],
  'ipv4-addr': ['value'],
  'ipv6-addr': ['value'],
  'mac-addr': ['value'],
  mutex: ['name'],
  'network-traffic': ['protocols', 'src_ref|dst_ref'], // STIX 2.1 §6.12
  software: ['name'],
  url: ['value'],
};

const SDO = new Set([
  'attack-pattern',
  'campaign',
  'course-of-action',
  'grouping',
  'identity',
  'incident',
  'indicator',
  'infrastructure',
  'intrusion-set',
  'location',
  'malware',
  'malware-analysis',
  'note',
  'observed-data',
  'opinion',
  'report',
  'threat-actor',
  'tool',
  'vulnerability',
]);
const SRO = new Set(['relationship', 'sighting']);
const META = new Set(['marking-definition', 'language-content', 'extension-definition']);

const RELATIONSHIP_TYPE = /^[a-z0-9-]+$/;

const present = (object: Record<string, unknown>, key: string) => object[key] !== undefined && object[key] !== null && object[key] !== '';

const before = (object: Record<string, unknown>, earlier: string, later: string, strict: boolean): boolean => {
  const a = object[earlier];
  const b = object[later];
  if (!isStixTimestamp(a) || !isStixTimestamp(b)) return false;
  return strict ? Date.parse(b) <= Date.parse(a) : Date.parse(b) < Date.parse(a);
};

/** The object-level issues of an object of `type` (isCustom: a type STIX 2.1 does not define). */
export function objectRules(type: string, object: Record<string, unknown>, isCustom: boolean): Array<{ path: string; message: string }> {
  const issues: Array<{ path: string; message: string }> = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const needsTimestamps = SDO.has(type) || SRO.has(type) || META.has(type) || (isCustom && type.startsWith('x-'));
  if (needsTimestamps && object.created === undefined) add('created', 'is required');
  if (needsTimestamps && type !== 'marking-definition' && object.modified === undefined) add('modified', 'is required');
  if (before(object, 'created', 'modified', false)) add('modified', 'must not be earlier than created');
  if (before(object, 'valid_from', 'valid_until', true)) add('valid_until', 'must be later than valid_from');
  if (before(object, 'first_seen', 'last_seen', false)) add('last_seen', 'must not be earlier than first_seen');
  if (before(object, 'first_observed', 'last_observed', false)) add('last_observed', 'must not be earlier than first_observed');

  for (const requirement of Object.hasOwn(REQUIRED, type) ? REQUIRED[type]! : []) {
    const options = requirement.split('|');
    if (!options.some((key) => present(object, key)))
      add(options[0]!, options.length > 1 ? `one of ${options.join(', ')} is required` : 'is required');
  }
  if (type === 'malware' && object.is_family === true && !present(object, 'name')) add('name', 'is required when is_family is true');
  if (type === 'relationship' && typeof object.relationship_type === 'string' && !RELATIONSHIP_TYPE.test(object.relationship_type)) {
    add('relationship_type', 'must be lower-case letters, digits and hyphens');
  }
  if (type === 'relationship') {
    // STIX 2.1 §5.1: a relationship links SDOs and SCOs, never another relationship, a sighting or a meta object.
    for (const key of ['source_ref', 'target_ref']) {
      const target = identifierType(object[key]);
      if (target !== undefined && (SRO.has(target) || META.has(target))) add(key, `must name an SDO or SCO, not a ${target}`);
    }
  }
  // STIX 2.1 §4.10 location: latitude and longitude come together, and precision only with them.
  if (type === 'location' && (object.latitude === undefined) !== (object.longitude === undefined))
    add(object.latitude === undefined ? 'latitude' : 'longitude', 'is required with the other coordinate');
  if (type === 'location' && object.precision !== undefined && object.latitude === undefined)
    add('precision', 'is only allowed with latitude and longitude');
  // STIX 2.1 §4.14: observed-data has object_refs or the deprecated objects, not both.
  if (type === 'observed-data' && object.object_refs !== undefined && object.objects !== undefined)
    add('objects', 'must not be present with object_refs');
  // STIX 2.1 §6.12 network-traffic: end not before start, and no end while is_active is true.
  if (type === 'network-traffic' && before(object, 'start', 'end', false)) add('end', 'must not be earlier than start');
  if (type === 'network-traffic' && object.is_active === true && object.end !== undefined)
    add('end', 'must not be present while is_active is true (STIX 2.1 §6.12)');
  // STIX 2.1 §6.1 artifact: payload_bin or url, not both; a url comes with the hashes of what it points at.
  if (type === 'artifact' && object.payload_bin !== undefined && object.url !== undefined)
    add('url', 'must not be present with payload_bin (STIX 2.1 §6.1)');
  if (type === 'artifact' && object.url !== undefined && object.hashes === undefined) add('hashes', 'is required with url (STIX 2.1 §6.1)');
  return issues;
}
