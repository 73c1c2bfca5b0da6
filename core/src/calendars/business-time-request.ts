// Business-time computations described in JSON, for the API and the admin UI's preview: ISO 8601
// instants with offsets in, ISO instants and durations out.

import { errors, type InputProblem } from '../errors/index.ts';
import { parseIsoDateTime } from '../query/index.ts';
import { addBusinessTime, businessDueTime, businessTimeBetween, isOpen, nextOpening, openSpansBetween, subtractBusinessTime, type Pause } from './business-time.ts';
import type { CompiledCalendar } from './compile-calendar.ts';

/** A list of open spans covers at most this long a range. */
const maxSpanRangeMs = 62 * 86_400_000;

type Computation =
  | { kind: 'add' | 'subtract'; start: Date; ms: number; pauses: Pause[] }
  | { kind: 'between'; from: Date; to: Date; pauses: Pause[]; spans: boolean }
  | { kind: 'at'; at: Date };

/**
 * Runs one business-time computation described in JSON (what the compute endpoint receives):
 * `{ start, add: "PT4H", pauses? }` → `{ result }` (null while an open pause stops the clock),
 * `{ start, subtract }` → `{ result }`, `{ from, to, pauses?, spans? }` → `{ businessMs, duration, spans? }`,
 * `{ at }` → `{ open, nextOpening }`. Throws VALIDATION_FAILED with a problem per path.
 */
export function computeBusinessTime(calendar: CompiledCalendar, input: unknown): Record<string, unknown> {
  const request = parseComputation(input);
  switch (request.kind) {
    case 'add': {
      const result = request.pauses.length === 0 ? addBusinessTime(calendar, request.start, request.ms) : businessDueTime(calendar, request.start, request.ms, request.pauses);
      return { result: result?.toISOString() ?? null, businessMs: request.ms };
    }
    case 'subtract':
      return { result: subtractBusinessTime(calendar, request.start, request.ms).toISOString(), businessMs: request.ms };
    case 'between': {
      const ms = businessTimeBetween(calendar, request.from, request.to, request.pauses);
      const spans = request.spans ? openSpansBetween(calendar, request.from, request.to).map((span) => ({ start: span.start.toISOString(), end: span.end.toISOString() })) : undefined;
      return { businessMs: ms, duration: formatDuration(ms), ...(spans ? { spans } : {}) };
    }
    case 'at':
      return { open: isOpen(calendar, request.at), nextOpening: nextOpening(calendar, request.at).toISOString() };
  }
}

const durationPattern = /^PT(?=\d)(?:(\d{1,6})H)?(?:(\d{1,7})M)?(?:(\d{1,9})(?:\.(\d{1,3}))?S)?$/;

/** `PT4H`, `PT1H30M`, `PT90S`: hours, minutes and seconds only, since a business "day" has no fixed length. */
export function parseBusinessDuration(text: string): number | undefined {
  const match = durationPattern.exec(text);
  if (!match || text === 'PT') return undefined;
  const [, hours, minutes, seconds, fraction] = match;
  return ((Number(hours ?? 0) * 60 + Number(minutes ?? 0)) * 60 + Number(seconds ?? 0)) * 1000 + Number((fraction ?? '').padEnd(3, '0'));
}

/** Milliseconds as an ISO 8601 duration of hours, minutes and seconds (negative with a leading minus). */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = rest / 1000;
  const text = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  return `${sign}PT${text || '0S'}`;
}

function parseComputation(input: unknown): Computation {
  const problems: InputProblem[] = [];
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw errors.validationFailed([{ path: '', code: 'type', message: 'must be an object' }]);
  const body = input as Record<string, unknown>;
  const instant = (key: string, value: unknown = body[key]): Date => {
    const ms = typeof value === 'string' ? parseIsoDateTime(value) : undefined;
    if (ms === undefined) problems.push({ path: `/${key}`, code: 'format', message: 'must be a date-time with an offset (2026-06-01T09:00:00+09:00)' });
    return new Date(ms ?? 0);
  };
  const pauses = (): Pause[] => {
    if (body.pauses === undefined) return [];
    if (!Array.isArray(body.pauses) || body.pauses.length > 1000) {
      problems.push({ path: '/pauses', code: 'type', message: 'must be an array of at most 1000 { start, end? }' });
      return [];
    }
    return body.pauses.map((pause: unknown, index) => {
      const entry = (pause ?? {}) as Record<string, unknown>;
      return { start: instant(`pauses/${index}/start`, entry.start), end: entry.end === undefined || entry.end === null ? null : instant(`pauses/${index}/end`, entry.end) };
    });
  };
  const keys = ['add', 'subtract', 'to', 'at'].filter((key) => key in body);
  if (keys.length !== 1) {
    throw errors.validationFailed([{ path: '', code: 'oneOf', message: 'must have exactly one of { start, add }, { start, subtract }, { from, to } or { at }' }]);
  }
  let request: Computation;
  if ('add' in body || 'subtract' in body) {
    const kind = 'add' in body ? 'add' : 'subtract';
    const ms = typeof body[kind] === 'string' ? parseBusinessDuration(body[kind]) : undefined;
    if (ms === undefined) problems.push({ path: `/${kind}`, code: 'format', message: 'must be an ISO 8601 duration in hours, minutes and seconds (PT4H, PT1H30M)' });
    if (kind === 'subtract' && body.pauses !== undefined) problems.push({ path: '/pauses', code: 'unsupported', message: 'pauses apply to add and to { from, to } only' });
    request = { kind, start: instant('start'), ms: ms ?? 0, pauses: pauses() };
  } else if ('to' in body) {
    request = { kind: 'between', from: instant('from'), to: instant('to'), pauses: pauses(), spans: body.spans === true };
    if (request.spans && problems.length === 0 && Math.abs(request.to.getTime() - request.from.getTime()) > maxSpanRangeMs) {
      problems.push({ path: '/spans', code: 'range', message: 'open spans are listed for at most 62 days' });
    }
  } else request = { kind: 'at', at: instant('at') };
  if (problems.length > 0) throw errors.validationFailed(problems);
  return request;
}
