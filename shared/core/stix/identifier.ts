/**
 * STIX 2.1 §2.9 identifiers: `object-type--UUID`, where the UUID MUST be RFC 4122-compliant. Compliance means the
 * RFC 4122 variant (bits 10xx: the first hex digit of the fourth group is 8, 9, a or b) and one of the versions
 * RFC 4122 defines, 1 to 5 — the nil UUID and version 0 are not RFC 4122 UUIDs. SDOs, SROs and SMOs SHOULD use v4
 * and SCOs v5 (a SHOULD, so any of 1–5 is accepted, as the OASIS identifier schema does).
 *
 * The type part follows STIX 2.1 §3.1 type names: a–z, 0–9 and hyphen, 3–250 characters; like the OASIS schemas,
 * a type starts with a letter and has no empty hyphen-separated part. Hex digits may be upper case (the schema
 * allows them; normalize lower-cases identifiers).
 *
 * Everything that becomes part of a storage key or a URL goes through this first, so no identifier can carry a
 * path-like or otherwise surprising character sequence.
 */
const TYPE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** STIX 2.1 §3.1: a type name (3–250 characters of a–z, 0–9, single hyphens, starting with a letter). */
export function isStixTypeName(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 3 && value.length <= 250 && TYPE.test(value);
}

/** The type part of a STIX 2.1 identifier, or undefined when the value is not one. */
export function identifierType(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 250 + 2 + 36) return undefined;
  const at = value.lastIndexOf('--');
  if (at < 0) return undefined;
  const type = value.slice(0, at);
  return isStixTypeName(type) && UUID.test(value.slice(at + 2)) ? type : undefined;
}

/** A STIX 2.1 identifier, optionally of one of `types`. */
export function isStixIdentifier(value: unknown, types?: readonly string[]): value is string {
  const type = identifierType(value);
  return type !== undefined && (types === undefined || types.includes(type));
}
