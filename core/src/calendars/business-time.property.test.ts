import holidayJp from '@holiday-jp/holiday_jp';
import { weekdays, type BusinessCalendarDefinition, type TimeInterval } from '@daicho/sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBusinessTime, businessDueTime, businessTimeBetween, checkBusinessCalendar, compileCalendar, isOpen, nextOpening, subtractBusinessTime } from './index.ts';

const minute = 60_000;
const hour = 60 * minute;
const runs = { numRuns: 200 };

const time = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
/** 0–3 ordered, disjoint intervals on quarter hours. */
const intervalsArb: fc.Arbitrary<TimeInterval[]> = fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 6 }).map((points) => {
  const sorted = [...points].sort((a, b) => a - b);
  const intervals: TimeInterval[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 2) intervals.push({ start: time(sorted[i]! * 15), end: time(sorted[i + 1]! * 15) });
  return intervals;
});
const dateArb = fc.integer({ min: Date.UTC(2025, 11, 1), max: Date.UTC(2027, 0, 31) }).map((ms) => new Date(ms).toISOString().slice(0, 10));
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function calendarArb(timeZones: string[]): fc.Arbitrary<BusinessCalendarDefinition> {
  return fc.record({
    name: fc.constant('generated'),
    labels: fc.constant({ en: 'Generated' }),
    timeZone: fc.constantFrom(...timeZones),
    weeklyHours: fc.record(Object.fromEntries(weekdays.map((weekday) => [weekday, intervalsArb])) as Record<(typeof weekdays)[number], fc.Arbitrary<TimeInterval[]>>),
    closedOnJapaneseHolidays: fc.boolean(),
    yearEndClosure: fc.constantFrom<BusinessCalendarDefinition['yearEndClosure']>(undefined, false, { from: '12-29', through: '01-03' }, { from: '08-13', through: '08-16' }),
    closures: fc.array(fc.record({ date: dateArb, length: fc.integer({ min: 0, max: 4 }), times: fc.option(intervalsArb, { nil: undefined }) }).map(({ date, length, times }) => ({ date, through: addDays(date, length), ...(times ? { times } : {}) })), { maxLength: 3 }),
    openDays: fc.array(fc.record({ date: dateArb, hours: intervalsArb }), { maxLength: 2 }),
  }, { requiredKeys: ['name', 'labels', 'weeklyHours', 'timeZone', 'closures', 'openDays'] })
    .filter((definition) => checkBusinessCalendar(definition).length === 0);
}

const instantArb = fc.integer({ min: Date.UTC(2025, 11, 1), max: Date.UTC(2027, 0, 31) });
const durationArb = fc.integer({ min: 0, max: 200 * hour });
const allZones = ['Asia/Tokyo', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'UTC'];

describe('business-time arithmetic (properties)', () => {
  it('measures exactly the time it added: businessTimeBetween(s, addBusinessTime(s, d)) = d', () => {
    fc.assert(fc.property(calendarArb(allZones), instantArb, durationArb, (definition, start, duration) => {
      const calendar = compileCalendar(definition);
      expect(businessTimeBetween(calendar, new Date(start), addBusinessTime(calendar, new Date(start), duration))).toBe(duration);
    }), runs);
  });

  it('returns to an open start after adding then subtracting, and to the next opening from a closed one', () => {
    fc.assert(fc.property(calendarArb(allZones), instantArb, durationArb, (definition, start, duration) => {
      const calendar = compileCalendar(definition);
      const there = addBusinessTime(calendar, new Date(start), duration);
      const back = subtractBusinessTime(calendar, there, duration).getTime();
      if (duration === 0 || isOpen(calendar, new Date(start))) expect(back).toBe(start);
      else expect(back).toBe(nextOpening(calendar, new Date(start)).getTime());
    }), runs);
  });

  it('is monotonic in the duration and in the end, and additive over adjacent ranges', () => {
    fc.assert(fc.property(calendarArb(allZones), instantArb, durationArb, durationArb, fc.array(instantArb, { minLength: 3, maxLength: 3 }), (definition, start, d1, d2, points) => {
      const calendar = compileCalendar(definition);
      const [small, large] = d1 <= d2 ? [d1, d2] : [d2, d1];
      expect(addBusinessTime(calendar, new Date(start), small).getTime()).toBeLessThanOrEqual(addBusinessTime(calendar, new Date(start), large).getTime());
      const [a, b, c] = points.sort((x, y) => x - y).map((ms) => new Date(ms)) as [Date, Date, Date];
      const ab = businessTimeBetween(calendar, a, b);
      const ac = businessTimeBetween(calendar, a, c);
      expect(ab).toBeGreaterThanOrEqual(0);
      expect(ab).toBeLessThanOrEqual(ac);
      expect(ab + businessTimeBetween(calendar, b, c)).toBe(ac);
    }), runs);
  });

  it('never counts a Japanese public holiday or a whole-day closure (unless made an open day)', () => {
    const holidays = Object.keys(holidayJp.holidays).filter((date) => date >= '2025-12-01' && date <= '2027-01-31');
    fc.assert(fc.property(calendarArb(['Asia/Tokyo']), fc.constantFrom(...holidays), fc.integer({ min: 0, max: 86_400_000 - 1 }), (definition, holiday, offset) => {
      const calendar = compileCalendar({ ...definition, closedOnJapaneseHolidays: true, openDays: [], closures: [...(definition.closures ?? []), { date: '2026-09-01', through: '2026-09-03' }] });
      const midnight = Date.parse(`${holiday}T00:00:00+09:00`);
      expect(isOpen(calendar, new Date(midnight + offset))).toBe(false);
      expect(businessTimeBetween(calendar, new Date(midnight), new Date(midnight + 86_400_000))).toBe(0);
      const closed = Date.parse('2026-09-01T00:00:00+09:00');
      expect(businessTimeBetween(calendar, new Date(closed), new Date(closed + 3 * 86_400_000))).toBe(0);
    }), runs);
  });

  it('agrees with a quarter-hour by quarter-hour reading of the definition (zones without daylight saving)', () => {
    const quarter = 15 * minute;
    fc.assert(fc.property(calendarArb(['Asia/Tokyo', 'UTC']), instantArb, fc.integer({ min: 0, max: 3 * 24 * 4 }), (definition, start, quarters) => {
      const calendar = compileCalendar(definition);
      // Hours are on quarter hours and these zones' offsets are whole hours: one sample per quarter is exact.
      const from = Math.floor(start / quarter) * quarter;
      let expected = 0;
      for (let t = from; t < from + quarters * quarter; t += quarter) if (naivelyOpen(definition, t)) expected += quarter;
      expect(businessTimeBetween(calendar, new Date(from), new Date(from + quarters * quarter))).toBe(expected);
    }), { numRuns: 100 });
  });

  it('stops the clock during pauses: the due time measures d outside them, and pauses never add time', () => {
    const pauseArb = fc.record({ start: instantArb, length: fc.integer({ min: 0, max: 72 * hour }), open: fc.boolean() });
    fc.assert(fc.property(calendarArb(allZones), instantArb, durationArb, fc.array(pauseArb, { maxLength: 3 }), (definition, start, duration, rawPauses) => {
      const calendar = compileCalendar(definition);
      const pauses = rawPauses.map((pause) => ({ start: new Date(pause.start), end: pause.open ? null : new Date(pause.start + pause.length) }));
      const due = businessDueTime(calendar, new Date(start), duration, pauses);
      if (due) expect(businessTimeBetween(calendar, new Date(start), due, pauses)).toBe(duration);
      else expect(pauses.some((pause) => pause.end === null)).toBe(true);
      const end = new Date(start + duration);
      expect(businessTimeBetween(calendar, new Date(start), end, pauses)).toBeLessThanOrEqual(businessTimeBetween(calendar, new Date(start), end));
    }), runs);
  });
});

/** The definition read literally at one instant: local date and time, then each rule in turn. */
const naiveFormatters = new Map<string, Intl.DateTimeFormat>();
function naivelyOpen(definition: BusinessCalendarDefinition, instant: number): boolean {
  const zone = definition.timeZone!;
  if (!naiveFormatters.has(zone)) naiveFormatters.set(zone, new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }));
  const parts = Object.fromEntries(naiveFormatters.get(zone)!
    .formatToParts(instant).map((part) => [part.type, part.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const clock = `${parts.hour}:${parts.minute}`;
  const within = (intervals: TimeInterval[] | undefined) => (intervals ?? []).some((interval) => interval.start <= clock && clock < interval.end);
  const weekday = weekdays[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7]!;
  const openDay = definition.openDays?.find((entry) => entry.date <= date && date <= (entry.through ?? entry.date));
  let open: boolean;
  if (openDay) open = within(openDay.hours ?? definition.weeklyHours[weekday]);
  else {
    const monthDay = date.slice(5);
    const yearEnd = definition.yearEndClosure === undefined ? { from: '12-29', through: '01-03' } : definition.yearEndClosure;
    const inYearEnd = yearEnd !== false && (yearEnd.from <= yearEnd.through ? monthDay >= yearEnd.from && monthDay <= yearEnd.through : monthDay >= yearEnd.from || monthDay <= yearEnd.through);
    const holiday = definition.closedOnJapaneseHolidays !== false && date in holidayJp.holidays;
    open = !inYearEnd && !holiday && within(definition.weeklyHours[weekday]);
  }
  for (const closure of definition.closures ?? []) {
    if (closure.date <= date && date <= (closure.through ?? closure.date) && (!closure.times || within(closure.times))) open = false;
  }
  return open;
}
