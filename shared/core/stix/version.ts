import { isStixTimestamp } from './timestamp';

/**
 * The version of an object (STIX 2.1 §3.6; TAXII 2.1 §3.4.1 match[version]): its `modified`, else its `created`.
 * Objects with neither (SCOs are not versioned) take `fallback`: the submission time in the pipeline, '' where there
 * is none. Only a STIX timestamp counts as one: a version becomes part of storage keys and statuses, so no other
 * text a client sent may become one.
 */
export function versionOf(object: Readonly<Record<string, unknown>>, fallback: string): string {
  return [object.modified, object.created].find(isStixTimestamp) ?? fallback;
}
