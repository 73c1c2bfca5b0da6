// Relative dates (`{ "$date": "thisMonth" }`) as ranges of calendar days [start, end).
// Weeks start on Monday; quarters are calendar quarters; lastNDays / nextNDays cover n days
// that include today.

import type { RelativeDateName } from '@daicho/sdk';
import { addMonthsClamped, fromEpochDay, toEpochDay, weekdayFromMonday } from './civil-date.ts';

/** Calendar days from `start` (included) to `end` (excluded), as epoch days. */
export interface DayRange {
  start: number;
  end: number;
}

function monthRange(today: number, monthsPerPeriod: number, periodOffset: number): DayRange {
  const { year, month } = fromEpochDay(today);
  const firstMonth = Math.floor((month - 1) / monthsPerPeriod) * monthsPerPeriod + 1;
  const periodStart = addMonthsClamped(toEpochDay(year, firstMonth, 1), periodOffset * monthsPerPeriod);
  return { start: periodStart, end: addMonthsClamped(periodStart, monthsPerPeriod) };
}

function weekRange(today: number, weekOffset: number): DayRange {
  const start = today - weekdayFromMonday(today) + 7 * weekOffset;
  return { start, end: start + 7 };
}

/**
 * The days a relative date covers, given today's epoch day in the caller's time zone.
 * `n` is used by `lastNDays` (the n days ending with today) and `nextNDays` (the n days
 * starting with today).
 */
export function relativeDateRange(name: RelativeDateName, today: number, n = 1): DayRange {
  switch (name) {
    case 'today':
      return { start: today, end: today + 1 };
    case 'yesterday':
      return { start: today - 1, end: today };
    case 'tomorrow':
      return { start: today + 1, end: today + 2 };
    case 'thisWeek':
      return weekRange(today, 0);
    case 'lastWeek':
      return weekRange(today, -1);
    case 'nextWeek':
      return weekRange(today, 1);
    case 'thisMonth':
      return monthRange(today, 1, 0);
    case 'lastMonth':
      return monthRange(today, 1, -1);
    case 'nextMonth':
      return monthRange(today, 1, 1);
    case 'thisQuarter':
      return monthRange(today, 3, 0);
    case 'lastQuarter':
      return monthRange(today, 3, -1);
    case 'nextQuarter':
      return monthRange(today, 3, 1);
    case 'thisYear':
      return monthRange(today, 12, 0);
    case 'lastYear':
      return monthRange(today, 12, -1);
    case 'nextYear':
      return monthRange(today, 12, 1);
    case 'lastNDays':
      return { start: today - n + 1, end: today + 1 };
    case 'nextNDays':
      return { start: today, end: today + n };
  }
}
