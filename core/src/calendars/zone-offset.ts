// Local wall-clock time ↔ instants in an IANA time zone, with Intl (the ICU data Node ships).
// Business hours are local times; a day's hours become instants here, once per calendar day.

import { toEpochDay } from '../query/index.ts';

export const millisecondsPerMinute = 60_000;
export const millisecondsPerDay = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClockFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone, calendar: 'gregory', numberingSystem: 'latn', hourCycle: 'h23', era: 'short',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's offset from UTC at an instant, in milliseconds (Tokyo: +9 h; New York in July: −4 h). */
export function zoneOffsetAt(epochMs: number, timeZone: string): number {
  let year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  let beforeCommonEra = false;
  for (const part of wallClockFormatter(timeZone).formatToParts(epochMs)) {
    switch (part.type) {
      case 'year': year = Number(part.value); break;
      case 'month': month = Number(part.value); break;
      case 'day': day = Number(part.value); break;
      case 'hour': hour = Number(part.value); break;
      case 'minute': minute = Number(part.value); break;
      case 'second': second = Number(part.value); break;
      case 'era': beforeCommonEra = part.value.startsWith('B'); break;
      default: break;
    }
  }
  const wall = toEpochDay(beforeCommonEra ? 1 - year : year, month, day) * millisecondsPerDay + ((hour * 60 + minute) * 60 + second) * 1000;
  return wall - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant of a local wall-clock time (`wall`: the local date and time written as if it were
 * UTC, in ms). A time that occurs twice (the hour repeated when daylight-saving time ends) is its
 * first occurrence; a time that does not occur (skipped when it starts) is the first instant after
 * the gap, so an interval of local time never counts the hour that did not exist.
 */
export function instantOfWallTime(wall: number, timeZone: string): number {
  const before = zoneOffsetAt(wall - millisecondsPerDay, timeZone);
  const after = zoneOffsetAt(wall + millisecondsPerDay, timeZone);
  if (before === after) return wall - before;
  const candidates = [wall - before, wall - after].filter((instant) => instant + zoneOffsetAt(instant, timeZone) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  // In the gap: local time rises monotonically across it; find the first instant at or after `wall`.
  let low = wall - Math.max(before, after);
  let high = wall - Math.min(before, after);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (middle + zoneOffsetAt(middle, timeZone) >= wall) high = middle;
    else low = middle;
  }
  return high;
}

/**
 * Converts minutes of one local day to instants, with two offset look-ups on an ordinary day:
 * the transitions of daylight-saving time are the only days that take the slow path.
 */
export function instantsOfLocalDay(epochDay: number, minutes: readonly number[], timeZone: string): number[] {
  const midnight = epochDay * millisecondsPerDay;
  const before = zoneOffsetAt(midnight - millisecondsPerDay, timeZone);
  const after = zoneOffsetAt(midnight + 2 * millisecondsPerDay, timeZone);
  if (before === after) return minutes.map((minute) => midnight + minute * millisecondsPerMinute - before);
  return minutes.map((minute) => instantOfWallTime(midnight + minute * millisecondsPerMinute, timeZone));
}
