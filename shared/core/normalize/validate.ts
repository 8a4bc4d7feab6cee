import { parsePattern, PatternError } from './pattern';

/**
 * STIX 2.1 validation of what the pipeline relies on: common properties (§3.2), each type's required properties,
 * and indicator patterns (§9). Messages name the property and say what is wrong, e.g.
 * `pattern: expected a comparison operator after ipv4-addr:value at 17`.
 */

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const ID = /^([a-z0-9][a-z0-9-]*[a-z0-9])--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const SDO = new Set([
  'attack-pattern', 'campaign', 'course-of-action', 'grouping', 'identity', 'incident', 'indicator', 'infrastructure',
  'intrusion-set', 'location', 'malware', 'malware-analysis', 'note', 'observed-data', 'opinion', 'report',
  'threat-actor', 'tool', 'vulnerability',
]);
const SRO = new Set(['relationship', 'sighting']);
const META = new Set(['marking-definition', 'language-content', 'extension-definition']);

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
  'network-traffic': ['protocols'],
  software: ['name'],
  url: ['value'],
};

export interface ValidationIssue {
  path: string;
  message: string;
}

const present = (object: Record<string, unknown>, key: string) => object[key] !== undefined && object[key] !== null && object[key] !== '';

export function validateStix21(object: Record<string, unknown>): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const type = object.type;
  if (typeof type !== 'string' || !/^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$/.test(type) || type.includes('--')) {
    return [{ path: 'type', message: 'must be 3–250 lower-case letters, digits and single hyphens' }];
  }
  const id = typeof object.id === 'string' ? ID.exec(object.id) : null;
  if (!id) issues.push({ path: 'id', message: `must be ${type}--<UUID>` });
  else if (id[1] !== type) issues.push({ path: 'id', message: `names type ${id[1]} but the object is a ${type}` });
  if (object.spec_version !== '2.1') issues.push({ path: 'spec_version', message: 'must be "2.1"' });

  const isCustom = type.startsWith('x-');
  const needsTimestamps = SDO.has(type) || SRO.has(type) || META.has(type) || isCustom;
  for (const key of ['created', 'modified']) {
    if (object[key] === undefined) {
      if (needsTimestamps && (key === 'created' || type !== 'marking-definition')) issues.push({ path: key, message: 'is required' });
    } else if (typeof object[key] !== 'string' || !TIMESTAMP.test(object[key] as string)) {
      issues.push({ path: key, message: 'must be an RFC 3339 UTC timestamp such as 2026-01-02T03:04:05.678Z' });
    }
  }
  if (typeof object.created === 'string' && typeof object.modified === 'string' && Date.parse(object.modified) < Date.parse(object.created)) {
    issues.push({ path: 'modified', message: 'must not be earlier than created' });
  }
  for (const requirement of REQUIRED[type] ?? []) {
    const options = requirement.split('|');
    if (!options.some((key) => present(object, key))) issues.push({ path: options[0]!, message: options.length > 1 ? `one of ${options.join(', ')} is required` : 'is required' });
  }
  if (type === 'malware' && object.is_family === true && !present(object, 'name')) issues.push({ path: 'name', message: 'is required when is_family is true' });
  for (const key of ['object_marking_refs', 'object_refs']) {
    if (object[key] !== undefined && (!Array.isArray(object[key]) || (object[key] as unknown[]).some((r) => typeof r !== 'string' || !ID.test(r)))) {
      issues.push({ path: key, message: 'must be a list of STIX identifiers' });
    }
  }
  if (Array.isArray(object.external_references)) {
    (object.external_references as Array<Record<string, unknown>>).forEach((ref, i) => {
      if (!ref || typeof ref.source_name !== 'string') issues.push({ path: `external_references[${i}].source_name`, message: 'is required' });
    });
  }
  if (type === 'indicator' && object.pattern_type === 'stix' && typeof object.pattern === 'string') {
    try {
      parsePattern(object.pattern);
    } catch (error) {
      if (error instanceof PatternError) issues.push({ path: 'pattern', message: error.message });
      else throw error;
    }
  }
  return issues;
}
