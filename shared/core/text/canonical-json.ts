/**
 * Canonical JSON, RFC 8785 (JCS) for the values this platform hashes: object keys sorted by UTF-16 code units at
 * every level, no whitespace, strings and numbers as ECMAScript's JSON.stringify writes them (RFC 8785 §3.2.2).
 * STIX 2.1 §2.9 names JCS for the deterministic ids of SCOs; the audit chain hashes its entries with it, so a hash
 * does not depend on how a store orders attributes.
 *
 * `undefined` is treated as JSON.stringify treats it: a member whose value is undefined is left out, and an undefined
 * array element or value is `null`. What is hashed is then what a JSON store keeps, so a value read back from a
 * store hashes as it did before it was written.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
