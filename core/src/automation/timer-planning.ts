// Due times of automation timers, as pure functions: the offsets of a date-relative trigger
// from a record's date, and the steps of an escalation rule from a business-time clock that
// stops while the record is paused. The planner (automation-timers.ts) stores what these return.

import { businessCalendarDefaults, type DateRelativeTrigger, type EscalationRuleDefinition, type EscalationStep } from '@daicho/sdk';
import { addBusinessTime, businessTimeBetween, instantOfWallTime, openInstantsOfDay, zoneOffsetAt, type CompiledCalendar } from '../calendars/index.ts';
import { daysInMonth, fromEpochDay, parseIsoDate, parseIsoDateTime, toEpochDay } from '../query/index.ts';

const minute = 60_000;
const day = 86_400_000;

/**
 * One planned timer: its slot (offset or step index) and due time; null while an escalation clock
 * is paused. `keep`: a step the clock passed before a pause; whatever it did stands.
 */
export interface PlannedSlot {
  slot: number;
  dueAt: Date | null;
  keep?: boolean;
}

/** A field value as a local day (`YYYY-MM-DD`) or an instant; undefined when it is neither. */
export function readDateValue(value: unknown): { day: number } | { instant: number } | undefined {
  if (typeof value !== 'string') return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const epochDay = parseIsoDate(value);
    return epochDay === undefined ? undefined : { day: epochDay };
  }
  const instant = parseIsoDateTime(value);
  return instant === undefined ? undefined : { instant };
}

const timeOfDayMinutes = (text: string | undefined): number => {
  const [hours, minutes] = (text ?? '09:00').split(':').map(Number);
  return hours! * 60 + minutes!;
};

/** The time zone a date-relative trigger reads dates in. */
export function triggerTimeZone(trigger: DateRelativeTrigger, calendar: CompiledCalendar | undefined): string {
  return trigger.timeZone ?? calendar?.timeZone ?? businessCalendarDefaults.timeZone;
}

/**
 * The day `amount` open days after (or before) `epochDay`; 0 is the day itself, open or not.
 * Days are the calendar's own (its time zone): a day counts when it has open hours.
 */
export function addOpenDays(calendar: CompiledCalendar, epochDay: number, amount: number): number {
  let at = epochDay;
  const direction = Math.sign(amount);
  for (let left = Math.abs(amount), closed = 0; left > 0;) {
    at += direction;
    if (openInstantsOfDay(calendar, at).length > 0) {
      left--;
      closed = 0;
    } else if (++closed > 3660) {
      throw new Error(`business calendar "${calendar.name}" has no open day for ten years`);
    }
  }
  return at;
}

/** A date's anniversary in a year; 29 February falls on 28 February in other years. */
export function anniversaryIn(epochDay: number, year: number): number {
  const { month, day: dayOfMonth } = fromEpochDay(epochDay);
  return toEpochDay(year, month, Math.min(dayOfMonth, daysInMonth(year, month)));
}

/** The due time of one offset from a base (a local day at the time of day, or an instant). */
function offsetDue(base: { day: number } | { instant: number }, offset: DateRelativeTrigger['offsets'][number], timeZone: string, timeOfDay: number, calendar: CompiledCalendar | undefined): number {
  // The base as local wall-clock time ("the local date and time written as if it were UTC").
  const wall = 'day' in base ? base.day * day + timeOfDay * minute : base.instant + zoneOffsetAt(base.instant, timeZone);
  switch (offset.unit) {
    case 'minutes':
    case 'hours': {
      const instant = 'day' in base ? instantOfWallTime(wall, timeZone) : base.instant;
      return instant + offset.amount * (offset.unit === 'hours' ? 60 : 1) * minute;
    }
    case 'days':
      // Local days: 09:00 stays 09:00 across a change of daylight-saving time.
      return instantOfWallTime(wall + offset.amount * day, timeZone);
    case 'businessDays': {
      const localDay = Math.floor(wall / day);
      const target = addOpenDays(calendar!, localDay, offset.amount);
      return instantOfWallTime(wall + (target - localDay) * day, timeZone);
    }
  }
}

/**
 * The due time of each offset of a date-relative trigger for a date value, or [] when the value
 * is empty or not a date. With `recurrence: "yearly"` each offset is due around the first
 * anniversary that puts it after `now`; otherwise due times may be past (the planner does not
 * fire those).
 */
export function dateRelativeDueTimes(trigger: DateRelativeTrigger, value: unknown, now: Date, calendar: CompiledCalendar | undefined): PlannedSlot[] {
  const base = readDateValue(value);
  if (!base) return [];
  const timeZone = triggerTimeZone(trigger, calendar);
  const timeOfDay = timeOfDayMinutes(trigger.timeOfDay);
  return trigger.offsets.map((offset, slot) => {
    if (trigger.recurrence !== 'yearly') return { slot, dueAt: new Date(offsetDue(base, offset, timeZone, timeOfDay, calendar)) };
    const localDay = 'day' in base ? base.day : Math.floor((base.instant + zoneOffsetAt(base.instant, timeZone)) / day);
    const timeOfBase = 'day' in base ? timeOfDay : Math.round(((base.instant + zoneOffsetAt(base.instant, timeZone)) - localDay * day) / minute);
    const thisYear = fromEpochDay(Math.floor((now.getTime() + zoneOffsetAt(now.getTime(), timeZone)) / day)).year;
    // The earliest year whose anniversary, shifted by a positive offset, can still be ahead.
    // Years an offset reaches (a business day is at most a few calendar days, closures included).
    const size = Math.abs(offset.amount);
    const reachYears = Math.ceil((offset.unit === 'days' ? size : offset.unit === 'businessDays' ? size * 3 + 30 : size / (offset.unit === 'hours' ? 24 : 1440)) / 365);
    const from = thisYear - (offset.amount > 0 ? reachYears : 0) - 1;
    const through = thisYear + (offset.amount < 0 ? reachYears : 0) + 2;
    for (let year = from; year <= through; year++) {
      const due = offsetDue({ day: anniversaryIn(localDay, year) }, offset, timeZone, timeOfBase, calendar);
      if (due > now.getTime()) return { slot, dueAt: new Date(due) };
    }
    return { slot, dueAt: null };
  });
}

/** The business time one step waits for, in ms. */
export function stepAgeMs(rule: Pick<EscalationRuleDefinition, 'businessDayHours'>, step: Pick<EscalationStep, 'after'>): number {
  const unitMs = step.after.unit === 'businessMinutes' ? minute : step.after.unit === 'businessHours' ? 60 * minute : (rule.businessDayHours ?? 8) * 60 * minute;
  return step.after.amount * unitMs;
}

/**
 * The business-time clock of one record under an escalation rule: when it started, the open
 * time it ran before the current pause, and since when it runs (null while paused).
 */
export interface EscalationClock {
  startedAt: Date;
  elapsedMs: number;
  runningSince: Date | null;
}

/**
 * The clock after something happened to the record at `at`: a new start (`startedAt` differs)
 * starts the clock again; entering a pause banks the open time run so far; leaving one runs the
 * clock on from `at`. The same input twice changes nothing.
 */
export function nextClock(calendar: CompiledCalendar, previous: EscalationClock | undefined, state: { startedAt: Date; paused: boolean; at: Date }): EscalationClock {
  if (!previous || previous.startedAt.getTime() !== state.startedAt.getTime()) {
    if (!state.paused) return { startedAt: state.startedAt, elapsedMs: 0, runningSince: state.startedAt };
    // Starting in a pause: the time from the start to now counts (it is the best we know of it).
    const elapsedMs = state.at > state.startedAt ? businessTimeBetween(calendar, state.startedAt, state.at) : 0;
    return { startedAt: state.startedAt, elapsedMs, runningSince: null };
  }
  if (previous.runningSince && state.paused) {
    const ran = state.at > previous.runningSince ? businessTimeBetween(calendar, previous.runningSince, state.at) : 0;
    return { startedAt: previous.startedAt, elapsedMs: previous.elapsedMs + ran, runningSince: null };
  }
  if (!previous.runningSince && !state.paused) {
    // A clock that starts in the future (a due-date field) runs from its start, not from now.
    return { startedAt: previous.startedAt, elapsedMs: previous.elapsedMs, runningSince: state.at > previous.startedAt ? state.at : previous.startedAt };
  }
  return previous;
}

/** The due time of each step of a rule on a clock: null for all while the clock is paused. */
export function escalationDueTimes(calendar: CompiledCalendar, rule: Pick<EscalationRuleDefinition, 'businessDayHours' | 'steps'>, clock: EscalationClock): PlannedSlot[] {
  return rule.steps.map((step, slot) => {
    const age = stepAgeMs(rule, step);
    if (clock.elapsedMs > 0 && age <= clock.elapsedMs) return { slot, dueAt: null, keep: true };
    if (!clock.runningSince) return { slot, dueAt: null };
    const left = Math.max(0, age - clock.elapsedMs);
    return { slot, dueAt: addBusinessTime(calendar, clock.runningSince, left) };
  });
}

/** Where an escalation clock starts for a record: its `from` field as an instant (a date at the start of its day in `timeZone`). */
export function clockStartOf(value: unknown, timeZone: string): Date | undefined {
  if (value instanceof Date) return value;
  const base = readDateValue(value);
  if (!base) return undefined;
  return new Date('day' in base ? instantOfWallTime(base.day * day, timeZone) : base.instant);
}
