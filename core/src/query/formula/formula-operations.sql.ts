// Every operator and function as PostgreSQL SQL, the counterpart of formula-operations.memory.ts.
// Numbers are `numeric`; every value is a bound parameter; no expression is repeated (so SQL size
// grows linearly with the formula) and no input can make the statement fail: division uses
// NULLIF, integer arguments and dates are range-checked with least/greatest + NULLIF.

import { sql, type RawBuilder } from 'kysely';
import { formatIsoDate } from '../calendar/civil-date.ts';
import { checkedTimeZone, todayOf, type QueryContext } from '../query-context.ts';
import { numberTextPattern, trimmedCharacters } from '../values/text-rules.ts';
import type { FormulaType } from './formula-ast.ts';
import { integerArgumentRanges } from './integer-arguments.ts';

type Sql = RawBuilder<unknown>;
type SqlOperation = (args: Sql[], types: readonly FormulaType[], context: QueryContext) => Sql;

/** Below 0001-01-01 and above 9999-12-31: dates outside become blank. */
const dateSentinels = { low: '0001-12-31 BC', high: '10000-01-01' };

/** An integer argument: truncated, blank outside [low, high] or when blank, without repeating it. */
function integerArgumentSql(value: Sql, [low, high]: readonly [number, number]): Sql {
  const below = String(low - 1);
  const above = String(high + 1);
  return sql`(nullif(nullif(least(greatest(trunc(${value}), ${below}::numeric), ${above}::numeric), ${below}::numeric), ${above}::numeric)::int)`;
}

function dateInRangeSql(value: Sql): Sql {
  const { low, high } = dateSentinels;
  return sql`nullif(nullif(least(greatest(${value}, ${low}::date), ${high}::date), ${low}::date), ${high}::date)`;
}

/** `NULL` of the SQL type that matches a formula type. */
export function typedNullSql(type: FormulaType): Sql {
  switch (type) {
    case 'number':
      return sql`null::numeric`;
    case 'boolean':
      return sql`null::boolean`;
    case 'date':
      return sql`null::date`;
    case 'datetime':
      return sql`null::timestamptz`;
    default:
      return sql`null::text`;
  }
}

function commonTypeOf(types: readonly FormulaType[]): FormulaType {
  return types.find((type) => type !== 'null') ?? 'null';
}

const comparisons = {
  EQ: (a: Sql, b: Sql) => sql`(${a} = ${b})`,
  NE: (a: Sql, b: Sql) => sql`(${a} <> ${b})`,
  LT: (a: Sql, b: Sql) => sql`(${a} < ${b})`,
  LE: (a: Sql, b: Sql) => sql`(${a} <= ${b})`,
  GT: (a: Sql, b: Sql) => sql`(${a} > ${b})`,
  GE: (a: Sql, b: Sql) => sql`(${a} >= ${b})`,
};

function comparison(name: keyof typeof comparisons): SqlOperation {
  return ([a, b], types) => {
    // Text orders by code point (collation "C"), as in memory; equality is byte equality anyway.
    const ordered = commonTypeOf(types) === 'text' && name !== 'EQ' && name !== 'NE';
    return comparisons[name](ordered ? sql`${a} collate "C"` : a!, b!);
  };
}

function textOf(value: Sql, type: FormulaType): Sql {
  switch (type) {
    case 'number':
      return sql`(trim_scale(${value})::text)`;
    case 'boolean':
      return sql`(${value}::text)`;
    case 'date':
      return sql`to_char(${value}, ${'YYYY-MM-DD'}::text)`;
    case 'datetime':
      return sql`to_char(${value} at time zone 'UTC', ${'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'}::text)`;
    case 'null':
      return sql`null::text`;
    default:
      return value;
  }
}

const ranges = integerArgumentRanges;

export const sqlOperations: Readonly<Record<string, SqlOperation>> = {
  ADD: ([a, b]) => sql`(${a} + ${b})`,
  SUB: ([a, b]) => sql`(${a} - ${b})`,
  MUL: ([a, b]) => sql`(${a} * ${b})`,
  DIV: ([a, b]) => sql`(${a} / nullif(${b}, 0))`,
  NEG: ([a]) => sql`(- ${a})`,
  CONCAT: ([a, b]) => sql`(coalesce(${a}, '') || coalesce(${b}, ''))`,
  EQ: comparison('EQ'),
  NE: comparison('NE'),
  LT: comparison('LT'),
  LE: comparison('LE'),
  GT: comparison('GT'),
  GE: comparison('GE'),
  AND: (args) => sql`(${sql.join(args, sql` and `)})`,
  OR: (args) => sql`(${sql.join(args, sql` or `)})`,
  NOT: ([a]) => sql`(not ${a})`,
  IF: ([condition, then, otherwise]) => sql`(case when ${condition} then ${then} else ${otherwise} end)`,
  CASE: (args) => {
    const branches: Sql[] = [];
    for (let index = 1; index < args.length - 1; index += 2) branches.push(sql`when ${args[index]} then ${args[index + 1]}`);
    return sql`(case ${args[0]} ${sql.join(branches, sql` `)} else ${args[args.length - 1]} end)`;
  },
  ISBLANK: ([a], types) => (types[0] === 'text' ? sql`(coalesce(${a}, '') = '')` : sql`(${a} is null)`),
  BLANKVALUE: ([a, fallback], types) => (types[0] === 'text' ? sql`coalesce(nullif(${a}, ''), ${fallback})` : sql`coalesce(${a}, ${fallback})`),
  LEN: ([a]) => sql`(char_length(${a})::numeric)`,
  UPPER: ([a]) => sql`upper(${a} collate "C")`,
  LOWER: ([a]) => sql`lower(${a} collate "C")`,
  TRIM: ([a]) => sql`btrim(${a}, ${trimmedCharacters}::text)`,
  LEFT: ([a, n]) => sql`left(${a}, ${integerArgumentSql(n!, ranges.count)})`,
  RIGHT: ([a, n]) => sql`right(${a}, ${integerArgumentSql(n!, ranges.count)})`,
  MID: ([a, start, n]) => sql`substr(${a}, ${integerArgumentSql(start!, ranges.position)}, ${integerArgumentSql(n!, ranges.count)})`,
  CONTAINS: ([a, b]) => sql`(strpos(${a}, ${b}) > 0)`,
  BEGINS: ([a, b]) => sql`starts_with(${a}, ${b})`,
  SUBSTITUTE: ([a, old, replacement]) => sql`replace(${a}, ${old}, ${replacement})`,
  TEXT: ([a], types) => textOf(a!, types[0]!),
  VALUE: ([a]) => sql`(substring(${a} from ${numberTextPattern}::text)::numeric)`,
  ROUND: ([a, digits]) => (digits === undefined ? sql`round(${a}, 0)` : sql`round(${a}, ${integerArgumentSql(digits, ranges.roundingDigits)})`),
  ABS: ([a]) => sql`abs(${a})`,
  FLOOR: ([a]) => sql`floor(${a})`,
  CEILING: ([a]) => sql`ceil(${a})`,
  MIN: (args) => sql`least(${sql.join(args)})`,
  MAX: (args) => sql`greatest(${sql.join(args)})`,
  MOD: ([a, b]) => sql`mod(${a}, nullif(${b}, 0))`,
  TODAY: (_args, _types, context) => sql`${formatIsoDate(todayOf(context))}::date`,
  NOW: (_args, _types, context) => sql`${context.now.toISOString()}::timestamptz`,
  DATE: ([year, month, day]) =>
    sql`(make_date(${integerArgumentSql(year!, ranges.year)}, ${integerArgumentSql(month!, ranges.month)}, 1) + (${integerArgumentSql(day!, ranges.dayOfMonth)} - 1))`,
  YEAR: ([a]) => sql`(extract(year from ${a})::numeric)`,
  MONTH: ([a]) => sql`(extract(month from ${a})::numeric)`,
  DAY: ([a]) => sql`(extract(day from ${a})::numeric)`,
  ADDDAYS: ([day, n]) => dateInRangeSql(sql`(${day} + ${integerArgumentSql(n!, ranges.days)})`),
  ADDMONTHS: ([day, n]) => dateInRangeSql(sql`((${day} + make_interval(months => ${integerArgumentSql(n!, ranges.months)}))::date)`),
  DAYSBETWEEN: ([from, to]) => sql`((${to} - ${from})::numeric)`,
  DATEVALUE: ([a], _types, context) => sql`((${a} at time zone ${checkedTimeZone(context)}::text)::date)`,
};
