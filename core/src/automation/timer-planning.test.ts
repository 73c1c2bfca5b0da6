import type { BusinessCalendarDefinition, DateRelativeTrigger, EscalationRuleDefinition } from '@daicho/sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBusinessTime, businessDueTime, compileCalendar } from '../calendars/index.ts';
import { dateRelativeDueTimes, escalationDueTimes, nextClock, type EscalationClock } from './timer-planning.ts';

// Due times of automation timers with a fixed "now" (the planner's fake clock): date offsets in a
// zone without daylight-saving time and in one with it, business days across Japanese holidays
// and the year-end closure, yearly anniversaries, and escalation clocks that stop while paused.

const hours = (start: string, end: string) => [{ start, end }];
const weekdaysNineToSix: BusinessCalendarDefinition['weeklyHours'] = Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((day) => [day, hours('09:00', '18:00')]));
/** Mon–Fri 09:00–18:00 in Tokyo, closed on Japanese holidays and 29 Dec – 3 Jan (the defaults). */
const support = compileCalendar({ name: 'support', labels: { en: 'Support' }, weeklyHours: weekdaysNineToSix });
const hour = 3_600_000;

const trigger = (offsets: DateRelativeTrigger['offsets'], extra: Partial<DateRelativeTrigger> = {}): DateRelativeTrigger => ({ type: 'dateRelative', object: 'contract', field: 'endDate', offsets, ...extra });
const iso = (slots: Array<{ dueAt: Date | null }>) => slots.map((slot) => slot.dueAt?.toISOString() ?? null);

describe('date-relative due times', () => {
  const now = new Date('2026-01-01T00:00:00Z');

  it('puts three day offsets at 09:00 Tokyo time on the right days', () => {
    const due = dateRelativeDueTimes(trigger([{ amount: -120, unit: 'days' }, { amount: -90, unit: 'days' }, { amount: 0, unit: 'days' }]), '2026-09-30', now, undefined);
    expect(iso(due)).toEqual(['2026-06-02T00:00:00.000Z', '2026-07-02T00:00:00.000Z', '2026-09-30T00:00:00.000Z']);
    expect(due.map((slot) => slot.slot)).toEqual([0, 1, 2]);
  });

  it('keeps the local time of day across a change of daylight-saving time', () => {
    const due = dateRelativeDueTimes(trigger([{ amount: -2, unit: 'days' }, { amount: 0, unit: 'days' }], { timeZone: 'America/New_York', timeOfDay: '09:30' }), '2026-03-09', now, undefined);
    // New York moves to EDT on 8 March 2026: 09:30 is 14:30 UTC on the 7th and 13:30 UTC on the 9th.
    expect(iso(due)).toEqual(['2026-03-07T14:30:00.000Z', '2026-03-09T13:30:00.000Z']);
  });

  it('counts business days over Golden Week and the year-end closure, and 0 is the day itself', () => {
    const offsets = trigger([{ amount: -3, unit: 'businessDays' }, { amount: 0, unit: 'businessDays' }, { amount: 1, unit: 'businessDays' }], { calendar: 'support' });
    // 29 Apr (Shōwa Day) and 3–6 May 2026 are holidays: three open days before Thu 7 May are 28, 30 Apr and 1 May.
    expect(iso(dateRelativeDueTimes(offsets, '2026-05-07', now, support))).toEqual(['2026-04-28T00:00:00.000Z', '2026-05-07T00:00:00.000Z', '2026-05-08T00:00:00.000Z']);
    // From Mon 28 Dec 2026 one business day on is Mon 4 Jan 2027; from 4 Jan three back is 24 Dec.
    expect(iso(dateRelativeDueTimes(trigger([{ amount: 1, unit: 'businessDays' }], { calendar: 'support' }), '2026-12-28', now, support))).toEqual(['2027-01-04T00:00:00.000Z']);
    expect(iso(dateRelativeDueTimes(trigger([{ amount: -3, unit: 'businessDays' }], { calendar: 'support' }), '2027-01-04', now, support))).toEqual(['2026-12-24T00:00:00.000Z']);
  });

  it('reads datetimes as instants and adds hours to them', () => {
    const due = dateRelativeDueTimes(trigger([{ amount: -2, unit: 'hours' }, { amount: 1, unit: 'days' }]), '2026-06-10T15:00:00+09:00', now, undefined);
    expect(iso(due)).toEqual(['2026-06-10T04:00:00.000Z', '2026-06-11T06:00:00.000Z']);
  });

  it('plans nothing for an empty or malformed value', () => {
    expect(dateRelativeDueTimes(trigger([{ amount: 0, unit: 'days' }]), null, now, undefined)).toEqual([]);
    expect(dateRelativeDueTimes(trigger([{ amount: 0, unit: 'days' }]), 'soon', now, undefined)).toEqual([]);
  });

  it('with recurrence yearly, fires around the next anniversary, 29 February on 28 February in other years', () => {
    const birthday = trigger([{ amount: -7, unit: 'days' }, { amount: 0, unit: 'days' }], { field: 'birthday', recurrence: 'yearly' });
    expect(iso(dateRelativeDueTimes(birthday, '1980-03-10', new Date('2026-03-05T00:00:00Z'), undefined))).toEqual(['2027-03-03T00:00:00.000Z', '2026-03-10T00:00:00.000Z']);
    expect(iso(dateRelativeDueTimes(birthday, '1992-02-29', new Date('2026-01-01T00:00:00Z'), undefined))).toEqual(['2026-02-21T00:00:00.000Z', '2026-02-28T00:00:00.000Z']);
    expect(iso(dateRelativeDueTimes(birthday, '1992-02-29', new Date('2027-12-01T00:00:00Z'), undefined))).toEqual(['2028-02-22T00:00:00.000Z', '2028-02-29T00:00:00.000Z']);
  });

  it('plans the same due times when planned again with the same data (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 11, 31) }),
      fc.array(fc.record({ amount: fc.integer({ min: -400, max: 400 }), unit: fc.constantFrom('days' as const, 'hours' as const, 'businessDays' as const) }), { minLength: 1, maxLength: 4 }),
      fc.boolean(),
      (ms, offsets, yearly) => {
        const date = new Date(ms).toISOString().slice(0, 10);
        const planned = trigger(offsets, { calendar: 'support', ...(yearly ? { recurrence: 'yearly' as const } : {}) });
        const first = iso(dateRelativeDueTimes(planned, date, new Date('2026-06-01T00:00:00Z'), support));
        expect(iso(dateRelativeDueTimes(planned, date, new Date('2026-06-01T00:00:00Z'), support))).toEqual(first);
        if (yearly) for (const due of first) expect(Date.parse(due!)).toBeGreaterThan(Date.parse('2026-06-01T00:00:00Z'));
      },
    ), { numRuns: 100 });
  });
});

describe('escalation clocks', () => {
  const rule: Pick<EscalationRuleDefinition, 'steps' | 'businessDayHours'> = {
    steps: [
      { after: { amount: 2, unit: 'businessHours' }, actions: [{ type: 'updateFields', values: { priority: 'high' } }] },
      { after: { amount: 1, unit: 'businessDays' }, actions: [{ type: 'updateFields', values: { escalated: 'yes' } }] },
    ],
  };

  it('puts two steps across the year-end closure (年末年始)', () => {
    const opened = new Date('2026-12-28T17:00:00+09:00');
    const clock = nextClock(support, undefined, { startedAt: opened, paused: false, at: opened });
    // 17:00–18:00 on 28 Dec, closed 29 Dec – 3 Jan, then from 09:00 on Mon 4 Jan 2027.
    expect(iso(escalationDueTimes(support, rule, clock))).toEqual(['2027-01-04T01:00:00.000Z', '2027-01-04T07:00:00.000Z']);
  });

  it('stops while paused and goes on where it stopped, keeping steps it passed', () => {
    const opened = new Date('2026-06-01T09:00:00+09:00');
    let clock = nextClock(support, undefined, { startedAt: opened, paused: false, at: opened });
    clock = nextClock(support, clock, { startedAt: opened, paused: true, at: new Date('2026-06-01T12:00:00+09:00') });
    expect(clock.elapsedMs).toBe(3 * hour);
    const paused = escalationDueTimes(support, rule, clock);
    expect(paused[0]).toMatchObject({ keep: true });
    expect(paused[1]!.dueAt).toBeNull();
    clock = nextClock(support, clock, { startedAt: opened, paused: false, at: new Date('2026-06-02T10:00:00+09:00') });
    // 8 h in all: 3 h before the pause, 5 more from 10:00 the next day.
    expect(iso(escalationDueTimes(support, rule, clock).slice(1))).toEqual(['2026-06-02T06:00:00.000Z']);
  });

  it('agrees with the calendar’s due time with pauses, and the same event twice changes nothing (property)', () => {
    const start = Date.parse('2026-11-30T00:00:00Z');
    fc.assert(fc.property(
      fc.uniqueArray(fc.integer({ min: 1, max: 24 * 40 }), { minLength: 0, maxLength: 6 }).map((points) => [...points].sort((a, b) => a - b).map((h) => start + h * hour)),
      fc.integer({ min: 1, max: 60 }),
      (toggles, ageHours) => {
        // Toggles alternate pause on / off; the clock is fed each event twice.
        let clock: EscalationClock = nextClock(support, undefined, { startedAt: new Date(start), paused: false, at: new Date(start) });
        const pauses: Array<{ start: Date; end: Date | null }> = [];
        toggles.forEach((at, index) => {
          const paused = index % 2 === 0;
          for (let twice = 0; twice < 2; twice++) clock = nextClock(support, clock, { startedAt: new Date(start), paused, at: new Date(at) });
          if (paused) pauses.push({ start: new Date(at), end: null });
          else pauses.at(-1)!.end = new Date(at);
        });
        const single = { steps: [{ after: { amount: ageHours, unit: 'businessHours' as const }, actions: [{ type: 'wait', duration: 'PT1S' }] }] };
        const expected = businessDueTime(support, new Date(start), ageHours * hour, pauses);
        const [planned] = escalationDueTimes(support, single, clock);
        if (planned!.keep) {
          // Passed before a pause: the calendar's answer lies before the last toggle.
          expect(expected!.getTime()).toBeLessThanOrEqual(toggles.at(-1)!);
        } else if (expected && expected.getTime() >= (toggles.at(-1) ?? start)) {
          expect(planned!.dueAt?.toISOString()).toBe(expected.toISOString());
        }
        if (toggles.length === 0) expect(planned!.dueAt?.toISOString()).toBe(addBusinessTime(support, new Date(start), ageHours * hour).toISOString());
      },
    ), { numRuns: 150 });
  });
});
