// Business-time arithmetic: durations counted only while a calendar is open. The open time is a
// union of half-open intervals [start, end); every function steps through it interval by
// interval, day by day, never minute by minute.

import { errors } from '../errors/index.ts';
import { localEpochDay } from '../query/index.ts';
import { openInstantsOfDay, type CompiledCalendar } from './compile-calendar.ts';

/** A span of time when the clock stops (e.g. while a case waits on the customer); no end: still paused. */
export interface Pause {
  start: Date;
  end?: Date | null;
}

/** An interval of instants, start included, end excluded. */
export interface TimeSpan {
  start: Date;
  end: Date;
}

/** A calendar closed this many days in a row is taken to never open again. */
const maxClosedDays = 3660;

type Span = [number, number];

function instantOf(value: Date, path: string): number {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw errors.validationFailed([{ path, code: 'date', message: 'must be a valid date-time' }]);
  return ms;
}

function durationOf(ms: number): number {
  if (!Number.isFinite(ms)) throw errors.validationFailed([{ path: '/ms', code: 'duration', message: 'must be a finite number of milliseconds' }]);
  return Math.trunc(ms);
}

function neverOpens(calendar: CompiledCalendar): never {
  throw errors.validationFailed([{ path: '', code: 'neverOpen', message: `Business calendar "${calendar.name}" is closed for ${maxClosedDays} days in a row from here` }], `Business calendar "${calendar.name}" does not open again`);
}

/** Open spans at or after `from`, in order, clipped to start no earlier than `from`. */
function* spansAfter(calendar: CompiledCalendar, from: number): Generator<Span> {
  let closedDays = 0;
  for (let day = localEpochDay(from, calendar.timeZone); ; day++) {
    const instants = openInstantsOfDay(calendar, day);
    closedDays = instants.length === 0 ? closedDays + 1 : 0;
    if (closedDays > maxClosedDays) neverOpens(calendar);
    for (let i = 0; i < instants.length; i += 2) {
      if (instants[i + 1]! > from) yield [Math.max(instants[i]!, from), instants[i + 1]!];
    }
  }
}

/** Open spans before `to`, latest first, clipped to end no later than `to`. */
function* spansBefore(calendar: CompiledCalendar, to: number): Generator<Span> {
  let closedDays = 0;
  for (let day = localEpochDay(to, calendar.timeZone); ; day--) {
    const instants = openInstantsOfDay(calendar, day);
    closedDays = instants.length === 0 ? closedDays + 1 : 0;
    if (closedDays > maxClosedDays) neverOpens(calendar);
    for (let i = instants.length - 2; i >= 0; i -= 2) {
      if (instants[i]! < to) yield [instants[i]!, Math.min(instants[i + 1]!, to)];
    }
  }
}

/** Pauses as ordered, merged spans (an open-ended pause runs to +∞). */
function normalisePauses(pauses: readonly Pause[]): Span[] {
  const spans = pauses
    .map((pause, index): Span => [instantOf(pause.start, `/pauses/${index}/start`), pause.end == null ? Number.POSITIVE_INFINITY : instantOf(pause.end, `/pauses/${index}/end`)])
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([span[0], span[1]]);
  }
  return merged;
}

/** The parts of [start, end) outside every pause. */
function withoutPauses(start: number, end: number, pauses: readonly Span[]): Span[] {
  const parts: Span[] = [];
  let cursor = start;
  for (const [pauseStart, pauseEnd] of pauses) {
    if (pauseEnd <= cursor) continue;
    if (pauseStart >= end) break;
    if (pauseStart > cursor) parts.push([cursor, pauseStart]);
    cursor = Math.max(cursor, pauseEnd);
    if (cursor >= end) break;
  }
  if (cursor < end) parts.push([cursor, end]);
  return parts;
}

/** Whether the calendar is open at an instant (an interval includes its start, not its end). */
export function isOpen(calendar: CompiledCalendar, instant: Date): boolean {
  const at = instantOf(instant, '/instant');
  const instants = openInstantsOfDay(calendar, localEpochDay(at, calendar.timeZone));
  for (let i = 0; i < instants.length; i += 2) if (instants[i]! <= at && at < instants[i + 1]!) return true;
  return false;
}

/** The instant itself when the calendar is open then, otherwise the next instant it opens. */
export function nextOpening(calendar: CompiledCalendar, instant: Date): Date {
  const first = spansAfter(calendar, instantOf(instant, '/instant')).next().value as Span;
  return new Date(first[0]);
}

/**
 * The earliest instant by which `ms` of open time has passed since `start`. From a closed start
 * the clock runs from the next opening; a result may be the end of an open interval (Friday 17:00
 * + 1 h with hours to 18:00 is Friday 18:00, not Monday). Negative `ms` subtracts.
 */
export function addBusinessTime(calendar: CompiledCalendar, start: Date, ms: number): Date {
  const from = instantOf(start, '/start');
  let remaining = durationOf(ms);
  if (remaining < 0) return subtractBusinessTime(calendar, start, -remaining);
  if (remaining === 0) return new Date(from);
  for (const [spanStart, spanEnd] of spansAfter(calendar, from)) {
    if (spanEnd - spanStart >= remaining) return new Date(spanStart + remaining);
    remaining -= spanEnd - spanStart;
  }
  throw new Error('unreachable');
}

/**
 * The latest instant from which `ms` of open time passes by `end`: the inverse of
 * {@link addBusinessTime}. From a closed `end` the clock runs back from the last closing.
 */
export function subtractBusinessTime(calendar: CompiledCalendar, end: Date, ms: number): Date {
  const to = instantOf(end, '/end');
  let remaining = durationOf(ms);
  if (remaining < 0) return addBusinessTime(calendar, end, -remaining);
  if (remaining === 0) return new Date(to);
  for (const [spanStart, spanEnd] of spansBefore(calendar, to)) {
    if (spanEnd - spanStart >= remaining) return new Date(spanEnd - remaining);
    remaining -= spanEnd - spanStart;
  }
  throw new Error('unreachable');
}

/**
 * The open time between two instants, in ms, leaving out the pauses: the elapsed time of an SLA
 * clock that stops while closed and while paused. Negative when `b` is before `a`.
 */
export function businessTimeBetween(calendar: CompiledCalendar, a: Date, b: Date, pauses: readonly Pause[] = []): number {
  const from = instantOf(a, '/from');
  const to = instantOf(b, '/to');
  if (to < from) return -businessTimeBetween(calendar, b, a, pauses);
  const stops = normalisePauses(pauses);
  let total = 0;
  const lastDay = localEpochDay(to, calendar.timeZone);
  for (let day = localEpochDay(from, calendar.timeZone); day <= lastDay; day++) {
    const instants = openInstantsOfDay(calendar, day);
    for (let i = 0; i < instants.length; i += 2) {
      const start = Math.max(instants[i]!, from);
      const end = Math.min(instants[i + 1]!, to);
      if (end <= start) continue;
      for (const [partStart, partEnd] of withoutPauses(start, end, stops)) total += partEnd - partStart;
    }
  }
  return total;
}

/**
 * The due time of an SLA clock that starts at `start`, runs `ms` of open time and stops during
 * the pauses; null while it is stopped by a pause that has not ended before the time runs out.
 */
export function businessDueTime(calendar: CompiledCalendar, start: Date, ms: number, pauses: readonly Pause[] = []): Date | null {
  const from = instantOf(start, '/start');
  let remaining = durationOf(ms);
  if (remaining < 0) throw errors.validationFailed([{ path: '/ms', code: 'duration', message: 'must not be negative' }]);
  const stops = normalisePauses(pauses);
  if (remaining === 0) return new Date(from);
  const stoppedFrom = stops.at(-1)?.[1] === Number.POSITIVE_INFINITY ? stops.at(-1)![0] : Number.POSITIVE_INFINITY;
  for (const [spanStart, spanEnd] of spansAfter(calendar, from)) {
    if (spanStart >= stoppedFrom) return null;
    for (const [partStart, partEnd] of withoutPauses(spanStart, spanEnd, stops)) {
      if (partEnd - partStart >= remaining) return new Date(partStart + remaining);
      remaining -= partEnd - partStart;
    }
  }
  throw new Error('unreachable');
}

/** The open intervals between two instants, clipped to them, in order. */
export function openSpansBetween(calendar: CompiledCalendar, from: Date, to: Date): TimeSpan[] {
  const start = instantOf(from, '/from');
  const end = instantOf(to, '/to');
  const spans: TimeSpan[] = [];
  const lastDay = localEpochDay(end, calendar.timeZone);
  for (let day = localEpochDay(start, calendar.timeZone); day <= lastDay; day++) {
    const instants = openInstantsOfDay(calendar, day);
    for (let i = 0; i < instants.length; i += 2) {
      const spanStart = Math.max(instants[i]!, start);
      const spanEnd = Math.min(instants[i + 1]!, end);
      if (spanEnd > spanStart) spans.push({ start: new Date(spanStart), end: new Date(spanEnd) });
    }
  }
  return spans;
}
