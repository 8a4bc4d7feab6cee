/**
 * TAXII/STIX timestamps (TAXII 2.1 §3.2, STIX 2.1 §3.2): `YYYY-MM-DDTHH:MM:SS[.s+]Z`, always UTC.
 *
 * Three forms are in use, all fixed-width so that string order is time order:
 * - **date_added as stored**: millisecond precision, `YYYY-MM-DDTHH:MM:SS.sssZ` (`formatDateAdded`). date_added is
 *   quantised to the millisecond and strictly increasing within a collection (`nextDateAdded`), so a client that
 *   truncates a header to milliseconds and sends it back as added_after never gets that page again
 *   (TAXII-CLIENTS #15, #17). It doubles as the position of a version in its collection.
 * - **TAXII headers and manifest date_added**: six fractional digits, `…sss000Z` (`toMicrosecondTimestamp`),
 *   the form clients parse most reliably (TAXII-CLIENTS #16).
 * - **what clients send** (added_after, match[version]): 0–6 fractional digits (`parseTaxiiTimestamp`,
 *   TAXII-CLIENTS #14).
 *
 * Comparisons never go through floating point: `compareTimestamps` compares the fixed-width seconds part as a
 * string and the fractions digit by digit, so `.1Z`, `.100Z` and `.100000Z` are equal and `.1234567Z` (STIX allows
 * any precision in `modified`) still orders exactly.
 */

/** What error messages show as a valid example. */
export const TIMESTAMP_EXAMPLE = '2026-01-02T03:04:05.678Z';

/** Any RFC 3339 UTC timestamp as STIX writes it (any number of fractional digits). Lower-case `t`/`z` are
 *  allowed by RFC 3339 §5.6 and cost nothing to accept. */
const STIX_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?[Zz]$/;

interface TimestampParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Fractional digits as written, without trailing zeros ('' for none). */
  fraction: string;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Splits a timestamp into checked calendar fields. Leap seconds (`:60`) are refused: nothing in a TAXII exchange
 * needs them and they cannot be placed on the millisecond line date_added lives on.
 */
function partsOf(text: string): TimestampParts | undefined {
  const m = STIX_TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return { year, month, day, hour, minute, second, fraction: (m[7] ?? '').replace(/0+$/, '') };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function secondsPart(p: TimestampParts): string {
  return `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}T${pad(p.hour, 2)}:${pad(p.minute, 2)}:${pad(p.second, 2)}`;
}

/** True for any STIX 2.1 timestamp (§3.2: RFC 3339, `Z`, any sub-second precision). */
export function isStixTimestamp(text: string): boolean {
  return partsOf(text) !== undefined;
}

/**
 * A timestamp a client sent (added_after, match[version]) in its canonical six-digit form, or undefined when it
 * is not one: UTC `Z` with 0–6 fractional digits and real calendar values (TAXII-CLIENTS #14).
 */
export function parseTaxiiTimestamp(text: string): string | undefined {
  const m = STIX_TIMESTAMP.exec(text);
  if (!m || (m[7] ?? '').length > 6) return undefined;
  const parts = partsOf(text);
  return parts ? `${secondsPart(parts)}.${parts.fraction.padEnd(6, '0')}Z` : undefined;
}

function requireParts(text: string): TimestampParts {
  const parts = partsOf(text);
  if (!parts) throw new TypeError(`"${text}" is not a STIX timestamp (e.g. ${TIMESTAMP_EXAMPLE})`);
  return parts;
}

/**
 * Exact order of two STIX timestamps of any precision: negative, zero or positive. Throws TypeError on a value
 * that is not a timestamp (stored data is validated before it gets here; this is a programming error).
 */
export function compareTimestamps(a: string, b: string): number {
  const [pa, pb] = [requireParts(a), requireParts(b)];
  const [sa, sb] = [secondsPart(pa), secondsPart(pb)];
  if (sa !== sb) return sa < sb ? -1 : 1;
  const width = Math.max(pa.fraction.length, pb.fraction.length);
  const [fa, fb] = [pa.fraction.padEnd(width, '0'), pb.fraction.padEnd(width, '0')];
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

/** The same instant, exactly, whatever the precision each is written with. */
export const sameInstant = (a: string, b: string): boolean => compareTimestamps(a, b) === 0;

/**
 * Six fractional digits, as TAXII headers and manifest `date_added` carry them (TAXII-CLIENTS #16). Digits beyond
 * the microsecond are truncated, which is exact for date_added (milliseconds). Throws TypeError on a non-timestamp.
 */
export function toMicrosecondTimestamp(text: string): string {
  const parts = requireParts(text);
  return `${secondsPart(parts)}.${parts.fraction.padEnd(6, '0').slice(0, 6)}Z`;
}

/**
 * Milliseconds since the epoch, truncated (not rounded) below the millisecond. Because date_added is a whole
 * millisecond D, `D > t` holds exactly when `D > millisOf(t)`: added_after needs no sub-millisecond arithmetic.
 */
export function millisOf(text: string): number {
  const p = requireParts(text);
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  date.setUTCFullYear(p.year, p.month - 1, p.day);
  date.setUTCHours(p.hour, p.minute, p.second, Number(p.fraction.padEnd(3, '0').slice(0, 3)));
  return date.getTime();
}

const MIN_FORMATTABLE_MS = millisOf('0000-01-01T00:00:00Z');
const MAX_FORMATTABLE_MS = millisOf('9999-12-31T23:59:59.999Z');

function assertWholeMillis(ms: number, name: string): void {
  if (!Number.isSafeInteger(ms)) throw new RangeError(`${name} must be a whole number of milliseconds, got ${ms}`);
}

/** date_added as stored and compared: `YYYY-MM-DDTHH:MM:SS.sssZ` (24 characters, years 0000–9999). */
export function formatDateAdded(ms: number): string {
  assertWholeMillis(ms, 'date_added');
  if (ms < MIN_FORMATTABLE_MS || ms > MAX_FORMATTABLE_MS) throw new RangeError(`date_added ${ms} ms is outside years 0000–9999`);
  return new Date(ms).toISOString();
}

/** date_added for headers and manifests: `…sss000Z` (TAXII-CLIENTS #16). */
export const formatDateAddedForHeader = (ms: number): string => toMicrosecondTimestamp(formatDateAdded(ms));

/**
 * The date_added to give the next version committed to a collection: the wall clock, but always at least one
 * millisecond after the collection's previous date_added, so date_added is strictly increasing per collection
 * (TAXII-CLIENTS #15, #17) even when the clock stands still or steps back, and one millisecond is a complete
 * position in the collection (no tie-break needed).
 */
export function nextDateAdded(lastMs: number | undefined, nowMs: number): number {
  assertWholeMillis(nowMs, 'now');
  if (lastMs === undefined) return nowMs;
  assertWholeMillis(lastMs, 'the last date_added');
  return Math.max(nowMs, lastMs + 1);
}
