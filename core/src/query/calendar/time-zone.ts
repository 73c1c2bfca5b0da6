// Calendar days in an IANA time zone, computed with Intl (the ICU time-zone data Node ships), so
// that "today" and the bounds of relative dates are computed once, in memory, and then bound as
// parameters: SQL and in-memory evaluation compare with the very same instants.

import { toEpochDay, utcMidnightOf } from './civil-date.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

// Building an Intl.DateTimeFormat costs tens of microseconds, and every request asks: remember answers.
const canonicalNames = new Map<string, string | undefined>();
const canonicalNamesLimit = 1024;

/** The canonical name of an IANA time zone (`asia/tokyo` → `Asia/Tokyo`), or undefined when unknown. */
export function canonicalTimeZone(name: string): string | undefined {
  if (name.length === 0 || name.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(name)) return undefined;
  if (canonicalNames.has(name)) return canonicalNames.get(name);
  let canonical: string | undefined;
  try {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    canonical = undefined;
  }
  if (canonicalNames.size >= canonicalNamesLimit) canonicalNames.clear();
  canonicalNames.set(name, canonical);
  return canonical;
}

/** The calendar day (epoch day) that an instant falls on in a time zone. */
export function localEpochDay(epochMs: number, timeZone: string): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let beforeCommonEra = false;
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    if (part.type === 'year') year = Number(part.value);
    else if (part.type === 'month') month = Number(part.value);
    else if (part.type === 'day') day = Number(part.value);
    else if (part.type === 'era') beforeCommonEra = part.value.startsWith('B');
  }
  return toEpochDay(beforeCommonEra ? 1 - year : year, month, day);
}

const startOfDayCache = new Map<string, number>();
const startOfDayCacheLimit = 4096;
/** Time-zone offsets stay within ±16 hours (historic local mean times included). */
const searchMargin = 16 * 3_600_000;

/**
 * The first instant (epoch ms) of a calendar day in a time zone: local midnight, or the end of a
 * daylight-saving gap when midnight does not exist that day.
 */
export function startOfLocalDay(epochDay: number, timeZone: string): number {
  const key = `${timeZone} ${epochDay}`;
  const cached = startOfDayCache.get(key);
  if (cached !== undefined) return cached;
  // Binary search for the first millisecond whose local day is epochDay.
  let low = utcMidnightOf(epochDay) - searchMargin;
  let high = utcMidnightOf(epochDay) + searchMargin;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (localEpochDay(middle, timeZone) >= epochDay) high = middle;
    else low = middle;
  }
  if (startOfDayCache.size >= startOfDayCacheLimit) startOfDayCache.clear();
  startOfDayCache.set(key, high);
  return high;
}
