import type { BusinessCalendarDefinition, TimeInterval } from '@daicho/sdk';
import { describe, expect, it } from 'vitest';
import { DaichoError } from '../errors/index.ts';
import {
  addBusinessTime, businessDueTime, businessTimeBetween, checkBusinessCalendar, compileCalendar, computeBusinessTime, formatDuration, isOpen, nextOpening, openSpansBetween,
  parseBusinessDuration, subtractBusinessTime,
} from './index.ts';

const hour = 3_600_000;
const nineToSix: TimeInterval[] = [{ start: '09:00', end: '18:00' }];
const weekdaysOnly = (hours: TimeInterval[]) => ({ monday: hours, tuesday: hours, wednesday: hours, thursday: hours, friday: hours });
const tokyo = (overrides: Partial<BusinessCalendarDefinition> = {}) =>
  compileCalendar({ name: 'support', labels: { ja: 'サポート', en: 'Support' }, weeklyHours: weekdaysOnly(nineToSix), ...overrides });
const at = (text: string) => new Date(text);
const iso = (date: Date) => date.toISOString();

describe('business time on a Tokyo calendar (Mon–Fri 09:00–18:00, holidays and 年末年始 closed)', () => {
  const calendar = tokyo();

  it('carries Friday 17:30 + 1 h over the weekend to Monday 09:30', () => {
    expect(iso(addBusinessTime(calendar, at('2026-06-05T17:30:00+09:00'), hour))).toBe(iso(at('2026-06-08T09:30:00+09:00')));
    expect(iso(subtractBusinessTime(calendar, at('2026-06-08T09:30:00+09:00'), hour))).toBe(iso(at('2026-06-05T17:30:00+09:00')));
    expect(businessTimeBetween(calendar, at('2026-06-05T17:30:00+09:00'), at('2026-06-08T09:30:00+09:00'))).toBe(hour);
  });

  it('ends at the closing time rather than the next opening when the time runs out exactly then', () => {
    expect(iso(addBusinessTime(calendar, at('2026-06-05T17:00:00+09:00'), hour))).toBe(iso(at('2026-06-05T18:00:00+09:00')));
  });

  it('skips Golden Week 2026 (昭和の日 4/29, 5/3–5/5 and the 振替休日 on 5/6)', () => {
    expect(isOpen(calendar, at('2026-04-29T10:00:00+09:00'))).toBe(false);
    expect(isOpen(calendar, at('2026-04-30T10:00:00+09:00'))).toBe(true);
    for (const day of ['2026-05-04', '2026-05-05', '2026-05-06']) expect(isOpen(calendar, at(`${day}T10:00:00+09:00`))).toBe(false);
    expect(iso(addBusinessTime(calendar, at('2026-05-01T17:00:00+09:00'), 2 * hour))).toBe(iso(at('2026-05-07T10:00:00+09:00')));
    expect(businessTimeBetween(calendar, at('2026-04-28T00:00:00+09:00'), at('2026-05-08T00:00:00+09:00'))).toBe(4 * 9 * hour); // 4/28, 4/30, 5/1, 5/7
    expect(iso(nextOpening(calendar, at('2026-05-02T12:00:00+09:00')))).toBe(iso(at('2026-05-07T09:00:00+09:00')));
  });

  it('closes 年末年始 2026–2027 from Dec 29 through Jan 3', () => {
    expect(iso(addBusinessTime(calendar, at('2026-12-28T17:00:00+09:00'), 2 * hour))).toBe(iso(at('2027-01-04T10:00:00+09:00')));
    expect(businessTimeBetween(calendar, at('2026-12-29T00:00:00+09:00'), at('2027-01-04T00:00:00+09:00'))).toBe(0);
    expect(iso(subtractBusinessTime(calendar, at('2027-01-04T09:30:00+09:00'), hour))).toBe(iso(at('2026-12-28T17:30:00+09:00')));
  });

  it('lets the year-end closure be changed or dropped', () => {
    const shorter = tokyo({ yearEndClosure: { from: '12-30', through: '01-03' } });
    expect(isOpen(shorter, at('2026-12-29T10:00:00+09:00'))).toBe(true);
    const none = tokyo({ yearEndClosure: false });
    expect(isOpen(none, at('2026-12-30T10:00:00+09:00'))).toBe(true);
    expect(isOpen(none, at('2027-01-01T10:00:00+09:00'))).toBe(false); // 元日 is a public holiday still
  });

  it('counts holidays as open days when told to', () => {
    const open = tokyo({ closedOnJapaneseHolidays: false });
    expect(isOpen(open, at('2026-05-04T10:00:00+09:00'))).toBe(true);
  });

  it('counts several intervals a day (a lunch break) and stops at the interval ends', () => {
    const lunch = tokyo({ weeklyHours: weekdaysOnly([{ start: '09:00', end: '12:00' }, { start: '13:00', end: '18:00' }]) });
    expect(iso(addBusinessTime(lunch, at('2026-06-01T11:30:00+09:00'), hour))).toBe(iso(at('2026-06-01T13:30:00+09:00')));
    expect(businessTimeBetween(lunch, at('2026-06-01T00:00:00+09:00'), at('2026-06-02T00:00:00+09:00'))).toBe(8 * hour);
    expect(isOpen(lunch, at('2026-06-01T12:00:00+09:00'))).toBe(false);
    expect(isOpen(lunch, at('2026-06-01T13:00:00+09:00'))).toBe(true);
  });

  it('applies custom closures, whole days and partial, and extra open days', () => {
    const custom = tokyo({
      closures: [{ date: '2026-08-12', through: '2026-08-14', labels: { ja: 'お盆休み' } }, { date: '2026-06-03', times: [{ start: '14:00', end: '18:00' }] }],
      openDays: [{ date: '2026-07-20', labels: { ja: '海の日も営業' } }, { date: '2026-06-13', hours: [{ start: '10:00', end: '12:00' }] }, { date: '2026-05-05', hours: [{ start: '09:00', end: '10:00' }] }],
    });
    expect(businessTimeBetween(custom, at('2026-08-12T00:00:00+09:00'), at('2026-08-15T00:00:00+09:00'))).toBe(0);
    expect(businessTimeBetween(custom, at('2026-06-03T00:00:00+09:00'), at('2026-06-04T00:00:00+09:00'))).toBe(5 * hour);
    // 海の日 (a Monday) open with the Monday hours; a Saturday with hours of its own; a holiday with short hours.
    expect(businessTimeBetween(custom, at('2026-07-20T00:00:00+09:00'), at('2026-07-21T00:00:00+09:00'))).toBe(9 * hour);
    expect(businessTimeBetween(custom, at('2026-06-13T00:00:00+09:00'), at('2026-06-14T00:00:00+09:00'))).toBe(2 * hour);
    expect(businessTimeBetween(custom, at('2026-05-05T00:00:00+09:00'), at('2026-05-06T00:00:00+09:00'))).toBe(hour);
    expect(openSpansBetween(custom, at('2026-06-13T00:00:00+09:00'), at('2026-06-14T00:00:00+09:00')).map((span) => [iso(span.start), iso(span.end)]))
      .toEqual([[iso(at('2026-06-13T10:00:00+09:00')), iso(at('2026-06-13T12:00:00+09:00'))]]);
  });

  it('stops the clock during pauses, and gives no due time while a pause is still open', () => {
    const start = at('2026-06-01T09:00:00+09:00');
    const pauses = [{ start: at('2026-06-01T10:00:00+09:00'), end: at('2026-06-01T12:00:00+09:00') }];
    expect(businessTimeBetween(calendar, start, at('2026-06-01T13:00:00+09:00'), pauses)).toBe(2 * hour);
    expect(iso(businessDueTime(calendar, start, 4 * hour, pauses)!)).toBe(iso(at('2026-06-01T15:00:00+09:00')));
    const waiting = [{ start: at('2026-06-01T10:00:00+09:00'), end: null }];
    expect(businessDueTime(calendar, start, 4 * hour, waiting)).toBeNull();
    expect(iso(businessDueTime(calendar, start, hour, waiting)!)).toBe(iso(at('2026-06-01T10:00:00+09:00')));
    expect(businessTimeBetween(calendar, start, at('2026-06-02T18:00:00+09:00'), waiting)).toBe(hour);
  });

  it('returns negative time when the instants are reversed, and subtracts for negative durations', () => {
    expect(businessTimeBetween(calendar, at('2026-06-01T12:00:00+09:00'), at('2026-06-01T10:00:00+09:00'))).toBe(-2 * hour);
    expect(iso(addBusinessTime(calendar, at('2026-06-01T12:00:00+09:00'), -2 * hour))).toBe(iso(at('2026-06-01T10:00:00+09:00')));
  });
});

describe('business time across daylight-saving time in America/New_York', () => {
  const newYork = compileCalendar({ name: 'ny', labels: { en: 'New York' }, timeZone: 'America/New_York', closedOnJapaneseHolidays: false, yearEndClosure: false, weeklyHours: weekdaysOnly([{ start: '09:00', end: '17:00' }]) });
  const allDay: TimeInterval[] = [{ start: '00:00', end: '24:00' }];
  const everyDay = compileCalendar({
    name: 'always', labels: { en: 'Always' }, timeZone: 'America/New_York', closedOnJapaneseHolidays: false, yearEndClosure: false,
    weeklyHours: { ...weekdaysOnly(allDay), saturday: allDay, sunday: [{ start: '01:00', end: '03:00' }] },
  });

  it('keeps local opening hours across the spring switch (2026-03-08)', () => {
    expect(iso(addBusinessTime(newYork, at('2026-03-06T16:00:00-05:00'), 2 * hour))).toBe('2026-03-09T14:00:00.000Z');
    expect(businessTimeBetween(newYork, at('2026-03-06T16:00:00-05:00'), at('2026-03-09T10:00:00-04:00'))).toBe(2 * hour);
  });

  it('counts 23 hours on the spring day and 25 on the autumn day, and no hour that does not exist', () => {
    const saturdayToMonday = (saturday: string, monday: string) => businessTimeBetween(everyDay, at(saturday), at(monday));
    // Saturday 24 h + Sunday 01:00–03:00 (one hour in spring, 02:00–03:00 skipped; three in autumn, 01:00–02:00 twice).
    expect(saturdayToMonday('2026-03-07T00:00:00-05:00', '2026-03-09T00:00:00-04:00')).toBe(25 * hour);
    expect(saturdayToMonday('2026-10-31T00:00:00-04:00', '2026-11-02T00:00:00-05:00')).toBe(27 * hour);
    expect(isOpen(everyDay, at('2026-03-08T06:59:59Z'))).toBe(true);
    expect(isOpen(everyDay, at('2026-03-08T07:00:00Z'))).toBe(false);
  });

  it('uses the zone for dates: a New York Monday evening is Tuesday in Tokyo', () => {
    expect(isOpen(newYork, at('2026-06-01T16:30:00-04:00'))).toBe(true);
  });
});

describe('checking calendar definitions', () => {
  const base = { name: 'c', labels: { en: 'C' } };

  it('reports an unknown time zone, unordered or overlapping intervals and backward ranges by path', () => {
    const problems = checkBusinessCalendar({
      ...base,
      timeZone: 'Mars/Olympus',
      weeklyHours: { monday: [{ start: '13:00', end: '18:00' }, { start: '09:00', end: '12:00' }], tuesday: [{ start: '18:00', end: '09:00' }], wednesday: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }] },
      closures: [{ date: '2026-08-15', through: '2026-08-13' }],
      openDays: [{ date: '2026-06-06' }],
      yearEndClosure: { from: '12-29', through: '02-30' },
    });
    expect(problems.map((problem) => `${problem.path} ${problem.code}`)).toEqual([
      '/timeZone timeZone',
      '/weeklyHours/monday/1/start intervalOverlap',
      '/weeklyHours/tuesday/0/end intervalOrder',
      '/weeklyHours/wednesday/1/start intervalOverlap',
      '/yearEndClosure/through format',
      '/closures/0/through rangeOrder',
      '/openDays/0/hours required',
    ]);
  });

  it('refuses a calendar that is never open, and compileCalendar throws INVALID_DEFINITION', () => {
    expect(checkBusinessCalendar({ ...base, weeklyHours: {} }).map((problem) => problem.code)).toEqual(['neverOpen']);
    expect(() => compileCalendar({ ...base, weeklyHours: {} })).toThrow(DaichoError);
  });

  it('gives up on a calendar closed for ten years rather than looping forever', () => {
    const closed = compileCalendar({ ...base, weeklyHours: weekdaysOnly(nineToSix), closures: [{ date: '2026-01-01', through: '2099-12-31' }] });
    expect(() => addBusinessTime(closed, at('2026-06-01T10:00:00+09:00'), hour)).toThrow(/does not open again/);
  });
});

describe('business-time requests in JSON', () => {
  it('reads durations in hours, minutes and seconds only, and writes them back', () => {
    expect(['PT4H', 'PT1H30M', 'PT90S', 'PT0.5S', 'P1D', 'PT', 'PT-1H', '4h'].map(parseBusinessDuration)).toEqual([4 * hour, 1.5 * hour, 90_000, 500, undefined, undefined, undefined, undefined]);
    expect([0, 7 * hour, 1.5 * hour + 1500, -hour].map(formatDuration)).toEqual(['PT0S', 'PT7H', 'PT1H30M1.5S', '-PT1H']);
  });

  it('answers each form', () => {
    const calendar = tokyo();
    expect(computeBusinessTime(calendar, { start: '2026-06-05T17:30:00+09:00', add: 'PT1H' })).toEqual({ result: '2026-06-08T00:30:00.000Z', businessMs: hour });
    expect(computeBusinessTime(calendar, { from: '2026-06-08T09:00:00+09:00', to: '2026-06-05T17:00:00+09:00' })).toEqual({ businessMs: -hour, duration: '-PT1H' });
    expect(() => computeBusinessTime(calendar, { from: '2026-06-01T00:00:00Z', to: '2026-12-01T00:00:00Z', spans: true })).toThrow(DaichoError);
  });
});
