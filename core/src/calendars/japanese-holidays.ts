// Japanese public holidays (祝日, 振替休日, 国民の休日) from @holiday-jp/holiday_jp, which keeps the
// Cabinet Office's list and its computed future years (1970–2050 in 2.5.1). Days outside the
// package's years are not holidays.

import holidayJp from '@holiday-jp/holiday_jp';
import { parseIsoDate } from '../query/index.ts';

let holidays: Map<number, { ja: string; en: string }> | undefined;

function holidaysByDay(): Map<number, { ja: string; en: string }> {
  if (!holidays) {
    holidays = new Map();
    for (const [date, holiday] of Object.entries(holidayJp.holidays)) {
      const day = parseIsoDate(date);
      if (day !== undefined) holidays.set(day, { ja: holiday.name, en: holiday.name_en });
    }
  }
  return holidays;
}

/** The holiday's names on an epoch day, or undefined when it is not a Japanese public holiday. */
export function japaneseHolidayOn(epochDay: number): { ja: string; en: string } | undefined {
  return holidaysByDay().get(epochDay);
}

/** The years the holiday package covers. */
export function japaneseHolidayYears(): { first: number; last: number } {
  const dates = Object.keys(holidayJp.holidays).sort();
  return { first: Number(dates[0]!.slice(0, 4)), last: Number(dates.at(-1)!.slice(0, 4)) };
}
