import { parsePattern, PatternError } from './pattern';
import { nestedProperties, predefinedExtension, stixPropertiesOf, type PropertySet, type PropertyShape } from '../stix/properties';
import { OBJECT_PROPERTIES } from '../stix/properties-table';
import { identifierType, isStixIdentifier, isStixTypeName } from '../stix/identifier';
import { isStixTimestamp } from '../stix/timestamp';
import { objectRules } from './object-rules';
import { valueRule, type ValueRule } from '../stix/value-types';
import { hashProblem, observableProblem } from '../stix/observable-values';

/**
 * STIX 2.1 validation, to the letter, before anything is stored. Each refusal names the property (a path into the
 * object) and the rule, e.g. `confidence: must be an integer from 0 to 100`.
 *
 * 1. Identifiers (§2.9): `type--UUID`, an RFC 4122 UUID (variant 10xx, version 1–5), the type part equal to `type`.
 *    References are identifiers too, of the type the spec requires where it requires one (value-types.ts).
 * 2. Type names (§3.1): 3–250 of a–z, 0–9, hyphen; `bundle` is not an object (§8: a bundle only carries objects).
 * 3. Property names (§3.1, §11.1): a property the table does not define for the type is custom and its name MUST be
 *    3–250 ASCII characters of a–z, 0–9 and underscore. `__proto__` is stricter than the spec: it spells the same
 *    as the property every JavaScript reader of the object treats as its prototype.
 * 4. Values: the type of each predefined property (value-types.ts), a plain property of the table otherwise being a
 *    string; each SCO's value and id-contributing properties in their form (observable-values.ts: `999.1.1.1` is
 *    not an IPv4 address), hashes of the length their algorithm gives; custom values any JSON but `null`, a custom
 *    `*_ref` an identifier and `*_refs` a list of them; no `null` anywhere (no STIX type has it; an optional property is omitted instead); no empty list (§2:
 *    empty lists are prohibited); no empty dictionary, and dictionary keys of 1–250 ASCII a–z, A–Z, 0–9, `-`, `_`.
 * 5. Timestamps are real UTC dates (§2 timestamp, RFC 3339 §5.7), which the OASIS schemas do not check.
 * 6. Markings (§7.2): object_marking_refs name marking-definitions; a granular marking has a non-empty selectors
 *    list and exactly one of marking_ref and lang; a marking definition without extensions has definition_type and
 *    a definition of that type.
 * 7. Extensions (§7.3): each key is a predefined extension or an extension-definition id; values are non-empty
 *    objects; the predefined ones are checked like any nested structure.
 * 8. Each type's required properties, orderings and co-occurrence rules (object-rules.ts); indicator patterns of
 *    type stix parse (§9).
 */

export interface ValidationIssue {
  path: string;
  message: string;
}

/** Nested structures whose property holds a list of them; the others hold one. */
const NESTED_LISTS = new Set([
  'external_references',
  'kill_chain_phases',
  'granular_markings',
  'body_multipart',
  'values',
  'alternate_data_streams',
  'sections',
]);

/** Every property name STIX 2.1 defines on some object type: a custom object's common properties are these. */
const DEFINED_NAMES: ReadonlySet<string> = new Set(Object.values(OBJECT_PROPERTIES).flatMap((set) => Object.keys(set)));

const CUSTOM_PROPERTY_NAME = /^[a-z0-9_]{3,250}$/;
const DICTIONARY_KEY = /^[a-zA-Z0-9_-]{1,250}$/;
const LANGUAGE_TAG = /^[a-zA-Z]{2,8}(?:-[a-zA-Z0-9]{1,8})*$/; // RFC 5646 shape
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX = /^(?:[a-fA-F0-9]{2})+$/;
/** STIX 2.1 §7.2.3.1 selector syntax: property names joined by dots, list indexes as [n]. */
const SELECTOR = /^(?:[a-z0-9_-]{3,249}(?:\.(?:\[\d+\]|[a-z0-9_-]{1,250}))*|id)$/;
const TLP_LEVELS = ['white', 'green', 'amber', 'red'];

const MAX_PATH = 300;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const join = (path: string, name: string) => (path ? `${path}.${name}` : name);
const describe = (value: unknown) =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'a list'
      : typeof value === 'object'
        ? 'an object'
        : typeof value === 'number' && !Number.isFinite(value)
          ? 'a number out of range'
          : `a ${typeof value}`;

class Checker {
  readonly issues: ValidationIssue[] = [];
  constructor(private readonly type: string) {}

  /** A path is cut short: a property name may be as long as the object allows, and the reason goes into the status. */
  add(path: string, message: string): void {
    this.issues.push({ path: path.length > MAX_PATH ? `${path.slice(0, MAX_PATH)}…` : path, message });
  }

  /** The properties of one object or nested structure against its property set (undefined: a custom type). */
  properties(object: Record<string, unknown>, set: PropertySet | undefined, path: string, topLevel: boolean): void {
    for (const [name, value] of Object.entries(object)) {
      const where = join(path, name);
      const defined = set !== undefined ? Object.hasOwn(set, name) : topLevel && DEFINED_NAMES.has(name);
      if (!defined && !this.propertyName(name, where)) continue;
      const shape = set !== undefined && Object.hasOwn(set, name) ? set[name] : undefined;
      if (defined) this.value(value, name, shape, where, topLevel && set !== undefined);
      else this.custom(value, name, where);
    }
  }

  /** STIX 2.1 §3.1, §11.1: the name of a property the spec does not define. */
  propertyName(name: string, where: string): boolean {
    if (name === '__proto__') this.add(where, 'is not accepted as a property name: JavaScript readers take it for the object prototype');
    else if (!CUSTOM_PROPERTY_NAME.test(name)) this.add(where, 'property names must be 3–250 characters of a–z, 0–9 and _ (STIX 2.1 §3.1)');
    else return true;
    return false;
  }

  value(value: unknown, name: string, shape: PropertyShape | undefined, where: string, predefinedTopLevel: boolean): void {
    if (value === null) return this.add(where, 'must not be null (omit an optional property instead)');
    const rule = valueRule(name, this.type);
    if (rule) return this.rule(value, rule, where);
    if (shape?.kind === 'dictionary') return this.dictionary(value, where);
    if (shape?.kind === 'nested') {
      if (name === 'extensions') return this.extensions(value, where);
      const set = nestedProperties(shape.shape);
      if (NESTED_LISTS.has(name)) {
        if (!this.nonEmptyList(value, where)) return;
        (value as unknown[]).forEach((item, i) => this.nested(item, shape.shape, set, `${where}[${i}]`));
      } else this.nested(value, shape.shape, set, where);
      return;
    }
    if (predefinedTopLevel) return this.rule(value, { kind: 'string' }, where);
    this.free(value, where);
  }

  /**
   * A custom property (STIX 2.1 §11.1): a value of a STIX type, so not an empty list; a name ending in `_bin` holds
   * binary and one ending in `_hex` hex (STIX 2.1 §2, binary and hex), as the OASIS schemas check too.
   */
  custom(value: unknown, name: string, where: string): void {
    if (Array.isArray(value) && value.length === 0)
      return this.add(where, 'must not be an empty list (STIX 2.1 §2: omit the property instead)');
    if (name.endsWith('_bin')) return this.rule(value, { kind: 'binary' }, where);
    if (name.endsWith('_hex')) return this.rule(value, { kind: 'hex' }, where);
    if (this.customRef(value, name, where)) return;
    this.free(value, where, true);
  }

  /**
   * STIX 2.1 §3.1: a property named `*_ref` holds an identifier and `*_refs` a list of them, custom ones too (what
   * follows references — anonymize, visibility — must not meet a name or an address there). `""` alone is let
   * through as "no reference": it names nothing, and ATT&CK ships it (x_mitre_data_source_ref).
   */
  customRef(value: unknown, name: string, where: string): boolean {
    if (name.endsWith('_ref') && value !== '') this.rule(value, { kind: 'identifier' }, where);
    else if (name.endsWith('_refs')) this.rule(value, { kind: 'identifiers' }, where);
    else return false;
    return true;
  }

  /**
   * Inside a custom value (or a dictionary's): any JSON but null. Not held to the rules of the spec's types — an empty list
   * inside a custom value (CAPEC's x_capec_consequences) is the producer's business, as the spec types only its own
   * properties — except that inside a custom value (`properties`, not a dictionary, whose keys are data) a `*_ref`
   * is still a reference.
   */
  free(value: unknown, where: string, properties = false): void {
    if (value === null) return this.add(where, 'must not be null (omit an optional property instead)');
    if (Array.isArray(value)) {
      value.forEach((item, i) => this.free(item, `${where}[${i}]`, properties));
    } else if (isRecord(value)) {
      for (const [key, inner] of Object.entries(value)) {
        if (key === '__proto__')
          this.add(join(where, key), 'is not accepted as a property name: JavaScript readers take it for the object prototype');
        else if (!properties || !this.customRef(inner, key, join(where, key))) this.free(inner, join(where, key), properties);
      }
    }
  }

  nonEmptyList(value: unknown, where: string): value is unknown[] {
    if (!Array.isArray(value)) this.add(where, `must be a list, got ${describe(value)}`);
    else if (value.length === 0) this.add(where, 'must not be an empty list (STIX 2.1 §2: omit the property instead)');
    else return true;
    return false;
  }

  rule(value: unknown, rule: ValueRule, where: string): void {
    switch (rule.kind) {
      case 'string':
        if (typeof value !== 'string') this.add(where, `must be a string, got ${describe(value)}`);
        return;
      case 'boolean':
        if (typeof value !== 'boolean') this.add(where, `must be a boolean, got ${describe(value)}`);
        return;
      case 'integer':
      case 'number': {
        const min = rule.min ?? Number.MIN_SAFE_INTEGER;
        const max = rule.max ?? Number.MAX_SAFE_INTEGER;
        const ok =
          typeof value === 'number' &&
          Number.isFinite(value) &&
          (rule.kind === 'number' || Number.isSafeInteger(value)) &&
          value >= min &&
          value <= max;
        const range =
          rule.min === undefined && rule.max === undefined ? '' : rule.max === undefined ? ` of at least ${min}` : ` from ${min} to ${max}`;
        if (!ok) this.add(where, `must be ${rule.kind === 'integer' ? 'an integer' : 'a number'}${range}`);
        return;
      }
      case 'timestamp':
        if (!isStixTimestamp(value)) this.add(where, 'must be a real UTC date and time, RFC 3339, such as 2026-01-02T03:04:05.678Z');
        return;
      case 'identifier':
        if (!isStixIdentifier(value, rule.types))
          this.add(where, `must be a STIX identifier${rule.types ? ` of ${rule.types.join(' or ')}` : ''} (type--UUID, STIX 2.1 §2.9)`);
        return;
      case 'identifiers':
        if (!this.nonEmptyList(value, where)) return;
        value.forEach((item, i) => this.rule(item, { kind: 'identifier', ...(rule.types ? { types: rule.types } : {}) }, `${where}[${i}]`));
        return;
      case 'strings':
        if (!this.nonEmptyList(value, where)) return;
        value.forEach((item, i) =>
          this.rule(item, rule.values ? { kind: 'enum', values: rule.values } : { kind: 'string' }, `${where}[${i}]`),
        );
        return;
      case 'enum':
        if (typeof value !== 'string' || !rule.values.includes(value))
          this.add(where, `must be one of ${rule.values.map((v) => JSON.stringify(v)).join(', ')}`);
        return;
      case 'language-tag':
        if (typeof value !== 'string' || !LANGUAGE_TAG.test(value))
          this.add(where, 'must be an RFC 5646 language tag such as "en" or "de-CH"');
        return;
      case 'binary':
        if (typeof value !== 'string' || !BASE64.test(value)) this.add(where, 'must be base64');
        return;
      case 'hex':
        if (typeof value !== 'string' || !HEX.test(value)) this.add(where, 'must be hexadecimal octets');
        return;
      case 'observable': {
        const problem = observableProblem(rule.form, value);
        if (problem) this.add(where, problem);
        return;
      }
      case 'hashes':
        if (!isRecord(value) || Object.keys(value).length === 0)
          return this.add(where, `must be a non-empty dictionary of hashes ({"SHA-256": "…"}), got ${describe(value)}`);
        for (const [key, inner] of Object.entries(value)) {
          const problem = key === '__proto__' ? 'is not accepted as a hash name' : hashProblem(key, inner);
          if (problem) this.add(join(where, key), problem);
        }
        return;
      case 'selectors':
        if (!this.nonEmptyList(value, where)) return;
        value.forEach((item, i) => {
          if (typeof item !== 'string' || !SELECTOR.test(item))
            this.add(`${where}[${i}]`, 'must be a selector such as description or external_references.[0].url (STIX 2.1 §7.2.3.1)');
        });
        return;
    }
  }

  /** STIX 2.1 §2 dictionary: at least one key; keys of 1–250 ASCII a–z, A–Z, 0–9, hyphen and underscore. */
  dictionary(value: unknown, where: string): void {
    if (!isRecord(value)) return this.add(where, `must be a dictionary ({…}), got ${describe(value)}`);
    const entries = Object.entries(value);
    if (entries.length === 0) return this.add(where, 'must not be an empty dictionary (omit the property instead)');
    for (const [key, inner] of entries) {
      if (!DICTIONARY_KEY.test(key) || key === '__proto__')
        this.add(join(where, key), 'dictionary keys must be 1–250 characters of a–z, A–Z, 0–9, - and _ (STIX 2.1 §2)');
      else this.free(inner, join(where, key));
    }
  }

  nested(value: unknown, shape: string, set: PropertySet | undefined, where: string): void {
    if (!isRecord(value)) return this.add(where, `must be an object ({…}), got ${describe(value)}`);
    this.properties(value, set, where, false);
    if (shape === 'external-reference') {
      if (typeof value.source_name !== 'string') this.add(join(where, 'source_name'), 'is required');
      if (value.description === undefined && value.url === undefined && value.external_id === undefined)
        this.add(where, 'needs description, url or external_id besides source_name');
    } else if (shape === 'kill-chain-phase') {
      for (const key of ['kill_chain_name', 'phase_name']) if (value[key] === undefined) this.add(join(where, key), 'is required');
    } else if (shape === 'granular-marking') {
      if (value.selectors === undefined)
        this.add(
          join(where, 'selectors'),
          'is required: a granular marking applies to the properties its selectors name (STIX 2.1 §7.2.3)',
        );
      if ((value.marking_ref === undefined) === (value.lang === undefined))
        this.add(where, 'must have exactly one of marking_ref and lang (STIX 2.1 §7.2.3)');
    }
  }

  /** STIX 2.1 §7.3: extensions is a dictionary of predefined extensions and extension-definition ids. */
  extensions(value: unknown, where: string): void {
    if (!isRecord(value)) return this.add(where, `must be a dictionary of extensions, got ${describe(value)}`);
    const entries = Object.entries(value);
    if (entries.length === 0) return this.add(where, 'must not be an empty dictionary (omit the property instead)');
    for (const [key, inner] of entries) {
      const at = join(where, key);
      const predefined = predefinedExtension(key);
      if (!predefined && !isStixIdentifier(key, ['extension-definition'])) {
        this.add(at, 'extension names must be a predefined extension or an extension-definition id (STIX 2.1 §7.3)');
        continue;
      }
      if (!isRecord(inner) || Object.keys(inner).length === 0) {
        this.add(at, 'must be a non-empty object');
        continue;
      }
      this.properties(inner, predefined, at, false);
    }
  }
}

function validateMarkingDefinition(object: Record<string, unknown>, check: Checker): void {
  if (object.extensions !== undefined && object.definition_type === undefined) return;
  if (typeof object.definition_type !== 'string') return check.add('definition_type', 'is required (STIX 2.1 §7.2.1)');
  if (!isRecord(object.definition)) return check.add('definition', 'is required (STIX 2.1 §7.2.1)');
  if (object.definition_type === 'tlp' && !TLP_LEVELS.includes(object.definition.tlp as string))
    check.add('definition.tlp', `must be one of ${TLP_LEVELS.join(', ')}`);
  if (object.definition_type === 'statement' && typeof object.definition.statement !== 'string')
    check.add('definition.statement', 'must be a string');
}

export function validateStix21(object: Record<string, unknown>): ValidationIssue[] {
  const type = object.type;
  if (!isStixTypeName(type))
    return [
      { path: 'type', message: 'must be 3–250 lower-case letters, digits and single hyphens, starting with a letter (STIX 2.1 §3.1)' },
    ];
  if (type === 'bundle') return [{ path: 'type', message: 'a bundle is not a STIX object; send its objects (STIX 2.1 §8)' }];
  const check = new Checker(type);
  const idType = identifierType(object.id);
  if (idType === undefined) check.add('id', `must be ${type}--<RFC 4122 UUID> (STIX 2.1 §2.9)`);
  else if (idType !== type) check.add('id', `names type ${idType} but the object is a ${type}`);
  if (object.spec_version === undefined) check.add('spec_version', 'is required and must be "2.1"');

  const set = stixPropertiesOf(type);
  check.properties(object, set, '', true);

  for (const issue of objectRules(type, object, set === undefined)) check.add(issue.path, issue.message);
  if (type === 'marking-definition') validateMarkingDefinition(object, check);
  if (type === 'indicator' && object.pattern_type === 'stix' && typeof object.pattern === 'string') {
    try {
      parsePattern(object.pattern);
    } catch (error) {
      if (error instanceof PatternError) check.add('pattern', error.message);
      else throw error;
    }
  }
  return check.issues;
}
