// The errors the query layer throws. Every message is written here once; problems carry stable
// codes that clients translate (docs/reference/filter-language.md and formula-language.md list them).

import { DaichoError, errors } from '../errors/index.ts';

/** Why part of a filter or sort is refused; `path` in a problem is a JSON pointer into the input. */
export const filterProblemCodes = [
  'invalidNode',
  'unknownKey',
  'invalidPath',
  'unknownField',
  'notFilterable',
  'notSortable',
  'tooManyLookups',
  'unknownOperator',
  'operatorNotAllowed',
  'missingValue',
  'invalidValue',
  'unknownVariable',
  'variableUnavailable',
  'valueTooLong',
  'listTooLong',
  'tooDeep',
  'tooManyConditions',
  'invalidDirection',
  'tooManySortKeys',
  'invalidFormulaField',
] as const;
export type FilterProblemCode = (typeof filterProblemCodes)[number];

/** One problem in a filter or a sort. */
export interface FilterProblem {
  /** JSON pointer into the filter (or sort), e.g. `/and/1/value`. */
  path: string;
  code: FilterProblemCode;
  message: string;
}

/** Why a formula is refused. */
export const formulaProblemCodes = [
  'syntax',
  'tooLong',
  'tooDeep',
  'tooComplex',
  'unknownFunction',
  'wrongArgumentCount',
  'typeMismatch',
  'unknownField',
  'unsupportedField',
  'tooManyLookups',
  'circularReference',
  'invalidReferencedFormula',
  'noType',
] as const;
export type FormulaProblemCode = (typeof formulaProblemCodes)[number];

/** One problem in a formula, at a character offset (0-based) and a line and column (1-based). */
export interface FormulaProblem {
  position: number;
  line: number;
  column: number;
  code: FormulaProblemCode;
  message: string;
}

function summarise(what: string, problems: readonly { message: string }[]): string {
  // Problem messages are sentences of their own; inside this one they continue it in lower case.
  const first = (problems[0]?.message ?? 'unknown problem').replace(/^[A-Z](?=[a-z ])/, (letter) => letter.toLowerCase());
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return `The ${what} is not valid: ${first}${more}`;
}

/** Shortens user text quoted in a message. */
export function quoteInput(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

export const queryErrors = {
  invalidFilter: (problems: FilterProblem[]) =>
    new DaichoError('INVALID_FILTER', summarise('filter', problems), { details: { problems } }),
  invalidSort: (problems: FilterProblem[]) => new DaichoError('INVALID_SORT', summarise('sort', problems), { details: { problems } }),
  invalidFormula: (problems: FormulaProblem[]) =>
    new DaichoError('INVALID_FORMULA', summarise('formula', problems), { details: { problems } }),
  invalidTimeZone: (timeZone: string) => errors.invalidQuery('timeZone', `names no known IANA time zone: ${quoteInput(timeZone)}`),
  variableUnavailable: (name: string, path: string) =>
    queryErrors.invalidFilter([
      { path, code: 'variableUnavailable', message: `The variable ${quoteInput(name)} has no value where this filter runs` },
    ]),
} as const;
