// What a filter or formula needs to know about where it runs: who asks, when, and in which time
// zone. Relative dates, TODAY(), NOW() and DATEVALUE() depend on it.

import { canonicalTimeZone, localEpochDay } from './calendar/time-zone.ts';
import { queryErrors } from './query-errors.ts';

export interface QueryContext {
  /** Values of `{ "$var": ... }`, e.g. `{ 'user.id': '0192…' }`. */
  variables: Readonly<Record<string, string | undefined>>;
  /** The current instant: `now`, `today` and relative dates derive from it. */
  now: Date;
  /** IANA time zone of the caller, e.g. `Asia/Tokyo`. */
  timeZone: string;
}

export interface CreateQueryContextOptions {
  userId?: string;
  now?: Date;
  /** Defaults to `UTC`. */
  timeZone?: string;
  variables?: Readonly<Record<string, string | undefined>>;
}

/**
 * Builds the context filters and formulas run in, checking the time zone (which often comes from
 * a request) against the IANA names.
 * @throws DaichoError `INVALID_QUERY` when the time zone is unknown.
 * @example
 * const context = createQueryContext({ userId: user.id, timeZone: 'Asia/Tokyo' });
 */
export function createQueryContext(options: CreateQueryContextOptions = {}): QueryContext {
  const timeZone = canonicalTimeZone(options.timeZone ?? 'UTC');
  if (timeZone === undefined) throw queryErrors.invalidTimeZone(options.timeZone ?? '');
  const now = options.now ?? new Date();
  if (Number.isNaN(now.getTime())) throw new TypeError('createQueryContext: now is not a valid Date');
  const variables = { ...options.variables };
  if (options.userId !== undefined) variables['user.id'] = options.userId;
  return { variables, now, timeZone };
}

/** The context's time zone, checked: contexts not made by createQueryContext are checked too. */
export function checkedTimeZone(context: QueryContext): string {
  const timeZone = canonicalTimeZone(context.timeZone);
  if (timeZone === undefined) throw queryErrors.invalidTimeZone(context.timeZone);
  return timeZone;
}

/** Today's epoch day in the context's time zone. */
export function todayOf(context: QueryContext): number {
  return localEpochDay(context.now.getTime(), checkedTimeZone(context));
}
