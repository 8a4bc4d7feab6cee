/**
 * STIX 2.1 §2 timestamp type: an RFC 3339 date-time in UTC, `YYYY-MM-DDTHH:mm:ss[.s+]Z`, upper-case `T` and `Z`.
 * The OASIS schema checks the shape only (it lets February 30 and 2023-02-29 through); RFC 3339 §5.7 requires a
 * real calendar date, so this checks the day against the month and leap years. A leap second (:60) is allowed only
 * at 23:59, the only minute one can be inserted (RFC 3339 §5.7, Appendix D).
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z$/;

const daysIn = (year: number, month: number): number =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

export function isStixTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = TIMESTAMP.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  if (hour > 23 || minute > 59) return false;
  return second < 60 || (second === 60 && hour === 23 && minute === 59);
}
