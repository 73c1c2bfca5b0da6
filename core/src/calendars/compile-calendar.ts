// A business calendar compiled for arithmetic: the definition's rules resolved once, and each
// local day's open hours turned into instants on first use and remembered, so that computing due
// times for many records costs a few map look-ups each.

import { businessCalendarDefaults, weekdays, type BusinessCalendarDefinition, type TimeInterval } from '@daicho/sdk';
import { errors } from '../errors/index.ts';
import { canonicalTimeZone, fromEpochDay, parseIsoDate, weekdayFromMonday } from '../query/index.ts';
import { checkBusinessCalendar, parseMonthDay, parseTimeOfDay } from './check-business-calendar.ts';
import { japaneseHolidayOn } from './japanese-holidays.ts';
import { instantsOfLocalDay } from './zone-offset.ts';

/** Minutes of a local day, as flat [start, end, start, end, …] pairs, ordered and disjoint. */
type Minutes = readonly number[];

interface DayRule {
  from: number;
  through: number;
  minutes: Minutes | undefined;
}

interface CalendarRules {
  weekly: readonly Minutes[];
  closedOnJapaneseHolidays: boolean;
  yearEnd: { from: number; through: number } | undefined;
  closures: readonly DayRule[];
  openDays: ReadonlyMap<number, Minutes | undefined>;
}

/** A business calendar ready for business-time arithmetic; build it with {@link compileCalendar}. */
export interface CompiledCalendar {
  readonly name: string;
  /** Canonical IANA name. */
  readonly timeZone: string;
  readonly definition: BusinessCalendarDefinition;
}

interface CalendarState {
  rules: CalendarRules;
  days: Map<number, readonly number[]>;
}

const states = new WeakMap<CompiledCalendar, CalendarState>();
/** About 55 years of days per calendar; past that the cache starts over. */
const dayCacheLimit = 20_000;

const toMinutes = (intervals: readonly TimeInterval[] | undefined): number[] =>
  (intervals ?? []).flatMap((interval) => [parseTimeOfDay(interval.start)!, parseTimeOfDay(interval.end)!]);

/**
 * Resolves a business calendar definition (already valid against its meta-schema) for arithmetic.
 * Throws INVALID_DEFINITION when it breaks a rule of {@link checkBusinessCalendar}.
 *
 * @example
 * const calendar = compileCalendar({ name: 'support', labels: { ja: 'サポート' }, weeklyHours: { monday: [{ start: '09:00', end: '18:00' }] } });
 * addBusinessTime(calendar, new Date('2026-06-01T08:00:00+09:00'), 3_600_000); // 2026-06-01T10:00+09:00
 */
export function compileCalendar(definition: BusinessCalendarDefinition): CompiledCalendar {
  const problems = checkBusinessCalendar(definition);
  if (problems.length > 0) throw errors.invalidDefinition(problems);
  const timeZone = canonicalTimeZone(definition.timeZone ?? businessCalendarDefaults.timeZone)!;
  const yearEnd = definition.yearEndClosure === false ? undefined : (definition.yearEndClosure ?? businessCalendarDefaults.yearEndClosure);
  const openDays = new Map<number, Minutes | undefined>();
  for (const openDay of definition.openDays ?? []) {
    const from = parseIsoDate(openDay.date)!;
    const through = openDay.through === undefined ? from : parseIsoDate(openDay.through)!;
    for (let day = from; day <= through; day++) openDays.set(day, openDay.hours && toMinutes(openDay.hours));
  }
  const rules: CalendarRules = {
    weekly: weekdays.map((weekday) => toMinutes(definition.weeklyHours[weekday])),
    closedOnJapaneseHolidays: definition.closedOnJapaneseHolidays ?? businessCalendarDefaults.closedOnJapaneseHolidays,
    yearEnd: yearEnd && { from: parseMonthDay(yearEnd.from)!, through: parseMonthDay(yearEnd.through)! },
    closures: (definition.closures ?? []).map((closure) => {
      const from = parseIsoDate(closure.date)!;
      return { from, through: closure.through === undefined ? from : parseIsoDate(closure.through)!, minutes: closure.times && toMinutes(closure.times) };
    }),
    openDays,
  };
  const calendar: CompiledCalendar = Object.freeze({ name: definition.name, timeZone, definition });
  states.set(calendar, { rules, days: new Map() });
  return calendar;
}

function inYearEnd(rules: CalendarRules, epochDay: number): boolean {
  if (!rules.yearEnd) return false;
  const { month, day } = fromEpochDay(epochDay);
  const monthDay = month * 100 + day;
  const { from, through } = rules.yearEnd;
  // Dec 29 – Jan 3 wraps around the new year; a closure within one year does not.
  return from <= through ? monthDay >= from && monthDay <= through : monthDay >= from || monthDay <= through;
}

/** Removes closed minutes from open minutes. */
function subtractMinutes(open: Minutes, closed: Minutes): number[] {
  let result = [...open];
  for (let c = 0; c < closed.length; c += 2) {
    const next: number[] = [];
    for (let o = 0; o < result.length; o += 2) {
      const start = result[o]!;
      const end = result[o + 1]!;
      if (closed[c + 1]! <= start || closed[c]! >= end) {
        next.push(start, end);
        continue;
      }
      if (closed[c]! > start) next.push(start, closed[c]!);
      if (closed[c + 1]! < end) next.push(closed[c + 1]!, end);
    }
    result = next;
  }
  return result;
}

/**
 * The local minutes a day is open. An open day replaces the weekly hours, holidays and the
 * year-end closure for its date; custom closures then apply to every day, open days included.
 */
function openMinutesOf(rules: CalendarRules, epochDay: number): Minutes {
  const weekly = rules.weekly[weekdayFromMonday(epochDay)]!;
  let minutes: Minutes;
  if (rules.openDays.has(epochDay)) minutes = rules.openDays.get(epochDay) ?? weekly;
  else if (weekly.length === 0 || (rules.closedOnJapaneseHolidays && japaneseHolidayOn(epochDay)) || inYearEnd(rules, epochDay)) return [];
  else minutes = weekly;
  for (const closure of rules.closures) {
    if (epochDay < closure.from || epochDay > closure.through) continue;
    if (!closure.minutes) return [];
    minutes = subtractMinutes(minutes, closure.minutes);
  }
  return minutes;
}

/**
 * The open intervals of a local day as instants (epoch ms), flat [start, end, …] pairs in order,
 * disjoint, none empty; adjacent intervals are joined.
 */
export function openInstantsOfDay(calendar: CompiledCalendar, epochDay: number): readonly number[] {
  const state = states.get(calendar);
  if (!state) throw new TypeError('not a compiled calendar: build it with compileCalendar()');
  const cached = state.days.get(epochDay);
  if (cached) return cached;
  const minutes = openMinutesOf(state.rules, epochDay);
  const instants = minutes.length === 0 ? [] : instantsOfLocalDay(epochDay, minutes, calendar.timeZone);
  const joined: number[] = [];
  for (let i = 0; i < instants.length; i += 2) {
    const start = instants[i]!;
    const end = instants[i + 1]!;
    // An interval inside a daylight-saving gap is empty.
    if (end <= start) continue;
    if (joined.length > 0 && joined.at(-1)! >= start) joined[joined.length - 1] = Math.max(joined.at(-1)!, end);
    else joined.push(start, end);
  }
  if (state.days.size >= dayCacheLimit) state.days.clear();
  state.days.set(epochDay, joined);
  return joined;
}

const compiledByDefinition = new WeakMap<BusinessCalendarDefinition, CompiledCalendar>();

/**
 * {@link compileCalendar}, remembered per definition object: a stored definition from the
 * metadata snapshot compiles once, and its days' hours are computed once for every record.
 */
export function compiledCalendarOf(definition: BusinessCalendarDefinition): CompiledCalendar {
  let calendar = compiledByDefinition.get(definition);
  if (!calendar) {
    calendar = compileCalendar(definition);
    compiledByDefinition.set(definition, calendar);
  }
  return calendar;
}
