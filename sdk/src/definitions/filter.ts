/**
 * The one filter language: the JSON that list views, the records API, workflow conditions,
 * escalation criteria, record-level permissions and segments all use. The meta-schema
 * `sdk/schemas/filter.schema.json` describes the same shape; a core test keeps the operator,
 * variable and relative-date lists of both in step. The reference page is
 * `docs/reference/filter-language.md`.
 */

/** Every comparison operator a condition can use. */
export const filterOperators = [
  'eq',
  'ne',
  'lt',
  'lte',
  'gt',
  'gte',
  'in',
  'notIn',
  'contains',
  'startsWith',
  'isNull',
  'between',
] as const;
export type FilterOperator = (typeof filterOperators)[number];

/** Variables a value can name; the platform fills them in when the filter runs. */
export const filterVariableNames = ['user.id', 'now', 'today'] as const;
export type FilterVariableName = (typeof filterVariableNames)[number];

/**
 * Relative dates: each denotes a range of calendar days in the caller's time zone. Weeks start
 * on Monday; quarters are calendar quarters (January, April, July, October).
 * `lastNDays` and `nextNDays` take `n` (1 to 36,500) and cover n days including today.
 */
export const relativeDateNames = [
  'today',
  'yesterday',
  'tomorrow',
  'thisWeek',
  'lastWeek',
  'nextWeek',
  'thisMonth',
  'lastMonth',
  'nextMonth',
  'thisQuarter',
  'lastQuarter',
  'nextQuarter',
  'thisYear',
  'lastYear',
  'nextYear',
  'lastNDays',
  'nextNDays',
] as const;
export type RelativeDateName = (typeof relativeDateNames)[number];

/** Size limits every filter must respect; exceeding one is an `INVALID_FILTER` problem. */
export const filterLimits = {
  /** Nesting of and/or/not groups, counting the condition itself as level 1. */
  maxDepth: 8,
  maxConditions: 200,
  maxListItems: 1000,
  maxStringLength: 1000,
  /** Lookups one field path may pass through (`account.owner.email` passes through 2). */
  maxLookups: 3,
  /** Largest `n` of `lastNDays` / `nextNDays`. */
  maxRelativeDays: 36_500,
  /** Keys of one sort. */
  maxSortKeys: 8,
} as const;

/** `{ "$var": "user.id" }`: a value taken from the context the filter runs in. */
export interface FilterVariable {
  $var: FilterVariableName;
}

/** `{ "$date": "lastNDays", "n": 30 }`: a range of days relative to today. */
export interface RelativeDate {
  $date: RelativeDateName;
  /** Only for `lastNDays` and `nextNDays`. */
  n?: number;
}

/** A literal: text, number or boolean. Dates are `YYYY-MM-DD`, date-times ISO 8601 with offset. */
export type FilterLiteral = string | number | boolean;

/** One operand: a literal, a variable or a relative date. */
export type FilterScalar = FilterLiteral | FilterVariable | RelativeDate;

/** What a condition compares with: one operand, or a list (`in`, `notIn`, `between`, multi-picklists). */
export type FilterValue = FilterScalar | FilterScalar[];

/**
 * One comparison. `field` is a path of API names through lookups and into components:
 * `stage`, `account.industry`, `account.owner.email`, `billingAddress.city`, `amount.currency`.
 */
export interface FilterCondition {
  field: string;
  op: FilterOperator;
  /** Required for every operator but `isNull`, where it defaults to `true`. */
  value?: FilterValue;
}

export interface AndFilter {
  and: Filter[];
}

export interface OrFilter {
  or: Filter[];
}

export interface NotFilter {
  not: Filter;
}

/** A filter: a condition, or an and/or/not group of filters. `{ "and": [] }` matches every record. */
export type Filter = AndFilter | OrFilter | NotFilter | FilterCondition;

export type SortDirection = 'asc' | 'desc';

/** One key of a sort; `field` is a path like a filter's. */
export interface SortKey {
  field: string;
  direction: SortDirection;
}

/** An ordering of records: keys in order of precedence. Nulls sort last ascending, first descending. */
export type Sort = SortKey[];
