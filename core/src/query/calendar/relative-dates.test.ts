import { describe, expect, it } from 'vitest';
import { createQueryContext, evaluateFilter, validateFilter } from '../index.ts';
import { createSalesCatalog } from '../test-support/sales-catalog.ts';
import { addMonthsClamped, formatIsoDate, parseIsoDate } from './civil-date.ts';
import { relativeDateRange } from './relative-dates.ts';
import { localEpochDay, startOfLocalDay } from './time-zone.ts';
import type { RelativeDateName } from '@daicho/sdk';

function range(name: RelativeDateName, today: string, n?: number): [string, string] {
  const { start, end } = relativeDateRange(name, parseIsoDate(today)!, n);
  return [formatIsoDate(start), formatIsoDate(end)];
}

describe('relative dates', () => {
  it.each<[RelativeDateName, string, [string, string], number?]>([
    ['today', '2026-03-31', ['2026-03-31', '2026-04-01']],
    ['yesterday', '2026-03-01', ['2026-02-28', '2026-03-01']],
    ['tomorrow', '2026-12-31', ['2027-01-01', '2027-01-02']],
    ['thisWeek', '2026-03-31', ['2026-03-30', '2026-04-06']],
    ['thisWeek', '2026-03-29', ['2026-03-23', '2026-03-30']],
    ['thisWeek', '2026-03-30', ['2026-03-30', '2026-04-06']],
    ['lastWeek', '2026-01-01', ['2025-12-22', '2025-12-29']],
    ['nextWeek', '2026-12-31', ['2027-01-04', '2027-01-11']],
    ['thisMonth', '2026-02-14', ['2026-02-01', '2026-03-01']],
    ['lastMonth', '2026-03-31', ['2026-02-01', '2026-03-01']],
    ['lastMonth', '2026-01-15', ['2025-12-01', '2026-01-01']],
    ['nextMonth', '2026-12-31', ['2027-01-01', '2027-02-01']],
    ['thisQuarter', '2026-03-31', ['2026-01-01', '2026-04-01']],
    ['thisQuarter', '2026-04-01', ['2026-04-01', '2026-07-01']],
    ['lastQuarter', '2026-02-10', ['2025-10-01', '2026-01-01']],
    ['nextQuarter', '2026-11-30', ['2027-01-01', '2027-04-01']],
    ['thisYear', '2026-07-04', ['2026-01-01', '2027-01-01']],
    ['lastYear', '2026-01-01', ['2025-01-01', '2026-01-01']],
    ['nextYear', '2026-12-31', ['2027-01-01', '2028-01-01']],
    ['lastNDays', '2026-03-02', ['2026-02-24', '2026-03-03'], 7],
    ['lastNDays', '2026-03-02', ['2026-03-02', '2026-03-03'], 1],
    ['nextNDays', '2026-12-30', ['2026-12-30', '2027-01-06'], 7],
  ])('%s on %s covers %j', (name, today, expected, n) => {
    expect(range(name, today, n)).toEqual(expected);
  });

  it('clamps month arithmetic to the end of shorter months', () => {
    const plus = (date: string, months: number) => formatIsoDate(addMonthsClamped(parseIsoDate(date)!, months));
    expect(plus('2026-01-31', 1)).toBe('2026-02-28');
    expect(plus('2024-01-31', 1)).toBe('2024-02-29');
    expect(plus('2024-02-29', 12)).toBe('2025-02-28');
    expect(plus('2026-03-31', -1)).toBe('2026-02-28');
    expect(plus('2026-05-31', -13)).toBe('2025-04-30');
  });
});

describe('days in a time zone', () => {
  it('puts an instant on different days in Tokyo and in UTC around midnight', () => {
    const tokyoMidnight = Date.parse('2026-03-31T15:00:00Z');
    expect(formatIsoDate(localEpochDay(tokyoMidnight - 1, 'Asia/Tokyo'))).toBe('2026-03-31');
    expect(formatIsoDate(localEpochDay(tokyoMidnight, 'Asia/Tokyo'))).toBe('2026-04-01');
    expect(formatIsoDate(localEpochDay(tokyoMidnight, 'UTC'))).toBe('2026-03-31');
    expect(new Date(startOfLocalDay(parseIsoDate('2026-04-01')!, 'Asia/Tokyo')).toISOString()).toBe('2026-03-31T15:00:00.000Z');
  });

  it('starts a day at the end of a daylight-saving gap, and handles 23- and 25-hour days', () => {
    // São Paulo skipped from 00:00 to 01:00 on 2018-11-04.
    expect(new Date(startOfLocalDay(parseIsoDate('2018-11-04')!, 'America/Sao_Paulo')).toISOString()).toBe('2018-11-04T03:00:00.000Z');
    const newYork = (date: string) => new Date(startOfLocalDay(parseIsoDate(date)!, 'America/New_York')).toISOString();
    expect([newYork('2026-03-08'), newYork('2026-03-09')]).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    expect([newYork('2026-11-01'), newYork('2026-11-02')]).toEqual(['2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z']);
  });

  it('makes "today" in a filter follow the caller, for date-time and date fields', () => {
    const catalog = createSalesCatalog();
    const createdToday = validateFilter({ field: 'createdAt', op: 'eq', value: { $date: 'today' } }, 'deal', catalog);
    const closesThisMonth = validateFilter({ field: 'closeDate', op: 'eq', value: { $date: 'thisMonth' } }, 'deal', catalog);
    const now = new Date('2026-03-31T15:30:00Z');
    const tokyo = createQueryContext({ timeZone: 'Asia/Tokyo', now });
    const utc = createQueryContext({ timeZone: 'UTC', now });
    const justAfterTokyoMidnight = { createdAt: '2026-03-31T15:00:00.000Z', closeDate: '2026-04-01' };
    const justBefore = { createdAt: '2026-03-31T14:59:59.999Z', closeDate: '2026-03-31' };
    expect([evaluateFilter(createdToday, justAfterTokyoMidnight, tokyo), evaluateFilter(createdToday, justBefore, tokyo)]).toEqual([true, false]);
    expect([evaluateFilter(createdToday, justAfterTokyoMidnight, utc), evaluateFilter(createdToday, justBefore, utc)]).toEqual([true, true]);
    expect([evaluateFilter(closesThisMonth, justAfterTokyoMidnight, tokyo), evaluateFilter(closesThisMonth, justBefore, tokyo)]).toEqual([true, false]);
    expect([evaluateFilter(closesThisMonth, justAfterTokyoMidnight, utc), evaluateFilter(closesThisMonth, justBefore, utc)]).toEqual([false, true]);
  });

  it('gives every operator its range meaning: lt before the start, lte before the end, gt at or after the end', () => {
    const catalog = createSalesCatalog();
    const context = createQueryContext({ timeZone: 'UTC', now: new Date('2026-03-31T12:00:00Z') });
    const test = (op: string, closeDate: string) =>
      evaluateFilter(validateFilter({ field: 'closeDate', op, value: { $date: 'thisMonth' } }, 'deal', catalog), { closeDate }, context);
    const days = ['2026-02-28', '2026-03-01', '2026-03-31', '2026-04-01'];
    expect(days.map((day) => test('eq', day))).toEqual([false, true, true, false]);
    expect(days.map((day) => test('ne', day))).toEqual([true, false, false, true]);
    expect(days.map((day) => test('lt', day))).toEqual([true, false, false, false]);
    expect(days.map((day) => test('lte', day))).toEqual([true, true, true, false]);
    expect(days.map((day) => test('gt', day))).toEqual([false, false, false, true]);
    expect(days.map((day) => test('gte', day))).toEqual([false, true, true, true]);
  });
});
