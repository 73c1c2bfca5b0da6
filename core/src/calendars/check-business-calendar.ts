// The rules of a business calendar that its meta-schema cannot state: the time zone exists, a
// day's intervals are ordered and do not overlap, ranges run forward, the calendar opens at all.

import { weekdays, type BusinessCalendarDefinition, type TimeInterval } from '@daicho/sdk';
import type { InputProblem } from '../errors/index.ts';
import { canonicalTimeZone, daysInMonth, parseIsoDate, weekdayFromMonday } from '../query/index.ts';

/** `HH:MM` → minutes after midnight (0–1440), or undefined. */
export function parseTimeOfDay(text: string): number | undefined {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return Number(match[2]) < 60 && minutes <= 1440 ? minutes : undefined;
}

/** `MM-DD` → month * 100 + day, or undefined (02-29 is a day of the year). */
export function parseMonthDay(text: string): number | undefined {
  const match = /^(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const month = Number(match[1]);
  const day = Number(match[2]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(2024, month) ? month * 100 + day : undefined;
}

/** Open-day ranges are expanded day by day; longer ones are refused. */
export const maxOpenDaysRange = 366;

function checkIntervals(intervals: readonly TimeInterval[] | undefined, path: string, problems: InputProblem[]): void {
  let previousEnd = -1;
  (intervals ?? []).forEach((interval, index) => {
    const start = parseTimeOfDay(interval.start);
    const end = parseTimeOfDay(interval.end);
    if (start === undefined || start === 1440) problems.push({ path: `${path}/${index}/start`, code: 'time', message: 'must be a time of day, 00:00 to 23:59' });
    if (end === undefined) problems.push({ path: `${path}/${index}/end`, code: 'time', message: 'must be a time of day, 00:00 to 24:00' });
    if (start === undefined || end === undefined) return;
    if (end <= start) problems.push({ path: `${path}/${index}/end`, code: 'intervalOrder', message: `must be after the start (${interval.start})` });
    else if (start < previousEnd) problems.push({ path: `${path}/${index}/start`, code: 'intervalOverlap', message: 'overlaps the interval before it, or comes before it; list the intervals of a day in order' });
    previousEnd = Math.max(previousEnd, end);
  });
}

function checkRange(entry: { date: string; through?: string }, path: string, problems: InputProblem[]): { from: number; through: number } | undefined {
  const from = parseIsoDate(entry.date);
  const through = entry.through === undefined ? from : parseIsoDate(entry.through);
  if (from === undefined) problems.push({ path: `${path}/date`, code: 'format', message: 'must be a date, YYYY-MM-DD' });
  if (through === undefined) problems.push({ path: `${path}/through`, code: 'format', message: 'must be a date, YYYY-MM-DD' });
  if (from === undefined || through === undefined) return undefined;
  if (through < from) {
    problems.push({ path: `${path}/through`, code: 'rangeOrder', message: `must not be before the date (${entry.date})` });
    return undefined;
  }
  return { from, through };
}

/**
 * Checks a business calendar that satisfies its meta-schema against the rules the schema cannot
 * state; returns problems with JSON pointers (empty when valid).
 */
export function checkBusinessCalendar(definition: BusinessCalendarDefinition): InputProblem[] {
  const problems: InputProblem[] = [];
  if (definition.timeZone !== undefined && canonicalTimeZone(definition.timeZone) === undefined) {
    problems.push({ path: '/timeZone', code: 'timeZone', message: `"${definition.timeZone}" is not a known IANA time zone (Asia/Tokyo, America/New_York)` });
  }
  for (const weekday of weekdays) checkIntervals(definition.weeklyHours[weekday], `/weeklyHours/${weekday}`, problems);
  if (!weekdays.some((weekday) => (definition.weeklyHours[weekday] ?? []).length > 0)) {
    problems.push({ path: '/weeklyHours', code: 'neverOpen', message: 'needs open hours on at least one weekday' });
  }
  if (definition.yearEndClosure) {
    for (const key of ['from', 'through'] as const) {
      if (parseMonthDay(definition.yearEndClosure[key]) === undefined) problems.push({ path: `/yearEndClosure/${key}`, code: 'format', message: 'must be a day of the year, MM-DD' });
    }
  }
  (definition.closures ?? []).forEach((closure, index) => {
    checkRange(closure, `/closures/${index}`, problems);
    checkIntervals(closure.times, `/closures/${index}/times`, problems);
  });
  const openDaySeen = new Map<number, number>();
  (definition.openDays ?? []).forEach((openDay, index) => {
    const path = `/openDays/${index}`;
    const range = checkRange(openDay, path, problems);
    checkIntervals(openDay.hours, `${path}/hours`, problems);
    if (!range) return;
    if (range.through - range.from >= maxOpenDaysRange) {
      problems.push({ path: `${path}/through`, code: 'rangeLength', message: `an open-day range covers at most ${maxOpenDaysRange} days` });
      return;
    }
    for (let day = range.from; day <= range.through; day++) {
      const earlier = openDaySeen.get(day);
      if (earlier !== undefined) {
        problems.push({ path: `${path}/date`, code: 'duplicateDay', message: `covers a day that open day ${earlier} covers already` });
        return;
      }
      openDaySeen.set(day, index);
    }
    if (openDay.hours === undefined) {
      for (let day = range.from; day <= range.through; day++) {
        const weekday = weekdays[weekdayFromMonday(day)]!;
        if ((definition.weeklyHours[weekday] ?? []).length === 0) {
          problems.push({ path: `${path}/hours`, code: 'required', message: `is required: a ${weekday} in the range has no weekly hours to use` });
          break;
        }
      }
    }
  });
  return problems;
}
