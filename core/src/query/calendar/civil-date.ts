// Calendar days as integers (days since 1970-01-01, proleptic Gregorian), so that date
// arithmetic in memory matches PostgreSQL's `date` exactly. Filters and formulas only deal with
// years 0001-9999: the range that `YYYY-MM-DD` can write.

const millisecondsPerDay = 86_400_000;

/** Days since 1970-01-01 of a calendar date (month 1-12); any day of month, overflowing naturally. */
export function toEpochDay(year: number, month: number, day: number): number {
  // Howard Hinnant's days_from_civil.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** The calendar date of an epoch day. */
export function fromEpochDay(epochDay: number): CivilDate {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** First and last day that filters and formulas handle: 0001-01-01 and 9999-12-31. */
export const minEpochDay = toEpochDay(1, 1, 1);
export const maxEpochDay = toEpochDay(9999, 12, 31);

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Adds months, clamping to the end of a shorter month (Jan 31 + 1 month = Feb 28 or 29). */
export function addMonthsClamped(epochDay: number, months: number): number {
  const { year, month, day } = fromEpochDay(epochDay);
  const monthIndex = year * 12 + (month - 1) + months;
  const newYear = Math.floor(monthIndex / 12);
  const newMonth = monthIndex - newYear * 12 + 1;
  return toEpochDay(newYear, newMonth, Math.min(day, daysInMonth(newYear, newMonth)));
}

/** 0 for Monday through 6 for Sunday (1970-01-01 was a Thursday). */
export function weekdayFromMonday(epochDay: number): number {
  return (((epochDay + 3) % 7) + 7) % 7;
}

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a strict `YYYY-MM-DD` (years 0001-9999) into an epoch day, or undefined. */
export function parseIsoDate(text: string): number | undefined {
  const match = isoDatePattern.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return toEpochDay(year, month, day);
}

/** `YYYY-MM-DD` of an epoch day. */
export function formatIsoDate(epochDay: number): string {
  const { year, month, day } = fromEpochDay(epochDay);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const isoDateTimePattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses an ISO 8601 date-time with a `Z` or `±hh:mm` offset (seconds and fraction optional)
 * into epoch milliseconds, or undefined; fractions beyond milliseconds are truncated.
 */
export function parseIsoDateTime(text: string): number | undefined {
  const match = isoDateTimePattern.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, offset] = match;
  const day = parseIsoDate(`${y}-${mo}-${d}`);
  const hours = Number(h);
  const minutes = Number(mi);
  const seconds = s === undefined ? 0 : Number(s);
  if (day === undefined || hours > 23 || minutes > 59 || seconds > 59) return undefined;
  let offsetMinutes = 0;
  if (offset !== undefined && offset !== 'Z') {
    const offsetHours = Number(offset.slice(1, 3));
    const offsetMins = Number(offset.slice(4, 6));
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (offset.startsWith('-') ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const milliseconds = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  return day * millisecondsPerDay + ((hours * 60 + minutes - offsetMinutes) * 60 + seconds) * 1000 + milliseconds;
}

/** Epoch milliseconds of an epoch day's UTC midnight. */
export function utcMidnightOf(epochDay: number): number {
  return epochDay * millisecondsPerDay;
}
