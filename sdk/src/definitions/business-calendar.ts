import type { Labels } from './object-definition.ts';

/**
 * Business-hours calendars, validated by `business-calendar.schema.json`: when a workspace is
 * open for business. Escalation rules and SLA due times count time only while a calendar is open.
 * The admin guide page `docs/admin-guide/business-calendars.md` explains how the parts combine.
 */

/** The weekdays, in the order of the ISO week (Monday first). */
export const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof weekdays)[number];

/** An interval of local time of day: `HH:MM`, the end after the start (`24:00` is the end of the day). */
export interface TimeInterval {
  start: string;
  end: string;
}

/** Days closed, whole or only some hours of each. Dates are `YYYY-MM-DD` in the calendar's time zone. */
export interface CalendarClosure {
  date: string;
  /** The last day of a range (included); absent for one day. */
  through?: string;
  /** Only these hours are closed on each day; absent for whole days. */
  times?: TimeInterval[];
  labels?: Labels;
}

/** Days open although the weekly hours, a holiday or the year-end closure say closed. */
export interface CalendarOpenDay {
  date: string;
  through?: string;
  /** The hours of these days; absent for the weekday's usual hours. */
  hours?: TimeInterval[];
  labels?: Labels;
}

/** The year-end closure (年末年始): `MM-DD` to `MM-DD`, both included, every year. */
export interface YearEndClosure {
  from: string;
  through: string;
}

export interface BusinessCalendarDefinition {
  name: string;
  labels: Labels;
  description?: Labels;
  /** IANA time zone; default `Asia/Tokyo`. */
  timeZone?: string;
  /** Open hours per weekday in local time; a weekday left out is closed. */
  weeklyHours: Partial<Record<Weekday, TimeInterval[]>>;
  /** Closed on Japanese public holidays; default true. */
  closedOnJapaneseHolidays?: boolean;
  /** Default Dec 29 through Jan 3; false for none. */
  yearEndClosure?: YearEndClosure | false;
  closures?: CalendarClosure[];
  openDays?: CalendarOpenDay[];
}

/** The defaults the platform applies to what a definition leaves out. */
export const businessCalendarDefaults = {
  timeZone: 'Asia/Tokyo',
  closedOnJapaneseHolidays: true,
  yearEndClosure: { from: '12-29', through: '01-03' },
} as const satisfies Pick<Required<BusinessCalendarDefinition>, 'timeZone' | 'closedOnJapaneseHolidays'> & { yearEndClosure: YearEndClosure };
