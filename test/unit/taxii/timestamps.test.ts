import {
  compareTimestamps,
  formatDateAdded,
  formatDateAddedForHeader,
  isStixTimestamp,
  millisOf,
  nextDateAdded,
  parseTaxiiTimestamp,
  sameInstant,
  toMicrosecondTimestamp,
} from '../../../shared/core/taxii/timestamps';

describe('parseTaxiiTimestamp (TAXII-CLIENTS #14)', () => {
  it.each([
    ['2026-01-02T03:04:05Z', '2026-01-02T03:04:05.000000Z'],
    ['2026-01-02T03:04:05.3Z', '2026-01-02T03:04:05.300000Z'],
    ['2026-01-02T03:04:05.302Z', '2026-01-02T03:04:05.302000Z'],
    ['2026-01-02T03:04:05.3456Z', '2026-01-02T03:04:05.345600Z'],
    ['2026-01-02T03:04:05.000000Z', '2026-01-02T03:04:05.000000Z'],
    ['2026-01-02T03:04:05.123456Z', '2026-01-02T03:04:05.123456Z'],
    ['2024-02-29t23:59:59.999z', '2024-02-29T23:59:59.999000Z'],
  ])('reads %s as %s', (input, canonical) => {
    expect(parseTaxiiTimestamp(input)).toBe(canonical);
  });

  it.each([
    ['seven fractional digits', '2026-01-02T03:04:05.1234567Z'],
    ['an offset instead of Z', '2026-01-02T03:04:05+00:00'],
    ['no zone', '2026-01-02T03:04:05'],
    ['a date only', '2026-01-02'],
    ['month 13', '2026-13-02T03:04:05Z'],
    ['30 February', '2026-02-30T03:04:05Z'],
    ['29 February of a common year', '2025-02-29T00:00:00Z'],
    ['29 February 1900 (not a leap year)', '1900-02-29T00:00:00Z'],
    ['hour 24', '2026-01-02T24:00:00Z'],
    ['a leap second', '2016-12-31T23:59:60Z'],
    ['a dot without digits', '2026-01-02T03:04:05.Z'],
    ['epoch milliseconds', '1767322800000'],
    ['an opaque next token (old XSOAR)', 'AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA_-9'],
    ['surrounding space', ' 2026-01-02T03:04:05Z'],
  ])('refuses %s', (_what, input) => {
    expect(parseTaxiiTimestamp(input)).toBeUndefined();
  });

  it('accepts 29 February 2000 (divisible by 400)', () => {
    expect(parseTaxiiTimestamp('2000-02-29T00:00:00Z')).toBe('2000-02-29T00:00:00.000000Z');
  });
});

describe('compareTimestamps', () => {
  it('treats the same instant at different precisions as equal', () => {
    expect(compareTimestamps('2026-01-02T03:04:05.1Z', '2026-01-02T03:04:05.100000Z')).toBe(0);
    expect(compareTimestamps('2026-01-02T03:04:05Z', '2026-01-02T03:04:05.000Z')).toBe(0);
    expect(sameInstant('2026-01-02T03:04:05.120Z', '2026-01-02T03:04:05.12Z')).toBe(true);
  });

  it('orders exactly below the microsecond and across seconds, where floats would not', () => {
    expect(compareTimestamps('2026-01-02T03:04:05.1234567Z', '2026-01-02T03:04:05.1234568Z')).toBeLessThan(0);
    expect(compareTimestamps('2026-01-02T03:04:05.999999Z', '2026-01-02T03:04:06Z')).toBeLessThan(0);
    expect(compareTimestamps('2026-01-02T03:04:05.000001Z', '2026-01-02T03:04:05Z')).toBeGreaterThan(0);
    expect(compareTimestamps('0999-12-31T23:59:59Z', '1000-01-01T00:00:00Z')).toBeLessThan(0);
  });

  it('refuses a value that is not a timestamp', () => {
    expect(() => compareTimestamps('yesterday', '2026-01-02T03:04:05Z')).toThrow(/"yesterday" is not a STIX timestamp/);
  });

  it('knows STIX timestamps of any precision', () => {
    expect(isStixTimestamp('2026-01-02T03:04:05.123456789Z')).toBe(true);
    expect(isStixTimestamp('2026-01-02 03:04:05Z')).toBe(false);
  });
});

describe('date_added forms', () => {
  const ms = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

  it('stores date_added at millisecond precision, fixed width', () => {
    expect(formatDateAdded(ms)).toBe('2026-01-02T03:04:05.678Z');
    expect(formatDateAdded(0)).toBe('1970-01-01T00:00:00.000Z');
  });

  it('writes headers with six fractional digits (TAXII-CLIENTS #16)', () => {
    expect(formatDateAddedForHeader(ms)).toBe('2026-01-02T03:04:05.678000Z');
    expect(toMicrosecondTimestamp('2026-01-02T03:04:05Z')).toBe('2026-01-02T03:04:05.000000Z');
    expect(toMicrosecondTimestamp('2026-01-02T03:04:05.12345678Z')).toBe('2026-01-02T03:04:05.123456Z');
  });

  it('round-trips: a header truncated to milliseconds gives back the same millisecond (TAXII-CLIENTS #17)', () => {
    const header = formatDateAddedForHeader(ms);
    const truncatedByClient = `${header.slice(0, 23)}Z`;

    expect(truncatedByClient).toBe('2026-01-02T03:04:05.678Z');
    expect(millisOf(truncatedByClient)).toBe(ms);
    expect(millisOf(header)).toBe(ms);
  });

  it('truncates, never rounds, below the millisecond', () => {
    expect(millisOf('2026-01-02T03:04:05.678999Z')).toBe(ms);
    expect(millisOf('2026-01-02T03:04:05.6Z')).toBe(ms - 78);
  });

  it('handles years before 100 without the Date.UTC century shift', () => {
    expect(formatDateAdded(millisOf('0042-03-04T05:06:07.008Z'))).toBe('0042-03-04T05:06:07.008Z');
  });

  it('refuses positions that are not whole milliseconds or beyond year 9999', () => {
    expect(() => formatDateAdded(1.5)).toThrow(RangeError);
    expect(() => formatDateAdded(millisOf('9999-12-31T23:59:59.999Z') + 1)).toThrow(/outside years 0000–9999/);
  });
});

describe('nextDateAdded: millisecond-quantised, strictly increasing per collection (TAXII-CLIENTS #15, #17)', () => {
  it('takes the clock for the first version of a collection', () => {
    expect(nextDateAdded(undefined, 1_000)).toBe(1_000);
  });

  it('takes the clock when it is ahead of the last date_added', () => {
    expect(nextDateAdded(999, 1_000)).toBe(1_000);
  });

  it('moves one millisecond past the last date_added when the clock stands still or steps back', () => {
    expect(nextDateAdded(1_000, 1_000)).toBe(1_001);
    expect(nextDateAdded(5_000, 1_000)).toBe(5_001);
  });

  it('gives a burst of commits in one millisecond distinct, increasing values', () => {
    let last: number | undefined;
    const assigned: number[] = [];
    for (let i = 0; i < 5; i++) {
      last = nextDateAdded(last, 1_000);
      assigned.push(last);
    }

    expect(assigned).toEqual([1_000, 1_001, 1_002, 1_003, 1_004]);
  });

  it('refuses a clock that is not whole milliseconds', () => {
    expect(() => nextDateAdded(undefined, 1.25)).toThrow(RangeError);
    expect(() => nextDateAdded(Number.NaN, 1)).toThrow(RangeError);
  });
});
