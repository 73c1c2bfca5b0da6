// Business calendars: weekly hours in a time zone, Japanese public holidays, the year-end closure
// and custom closures, compiled once and used for business-time arithmetic (SLA clocks that stop
// while closed or paused). Pure functions, no database; exposes no extension points.
export { compileCalendar, compiledCalendarOf, openInstantsOfDay } from './compile-calendar.ts';
export type { CompiledCalendar } from './compile-calendar.ts';
export { checkBusinessCalendar } from './check-business-calendar.ts';
export { addBusinessTime, businessDueTime, businessTimeBetween, isOpen, nextOpening, openSpansBetween, subtractBusinessTime } from './business-time.ts';
export type { Pause, TimeSpan } from './business-time.ts';
export { japaneseHolidayOn } from './japanese-holidays.ts';
export { computeBusinessTime, formatDuration, parseBusinessDuration } from './business-time-request.ts';
export { instantOfWallTime, zoneOffsetAt } from './zone-offset.ts';
