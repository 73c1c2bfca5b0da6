// The query layer: the one filter language (validate, compile to parameterised SQL, evaluate in
// memory with the same meaning), sorts, and the formula language of formula fields. Other domains
// describe their objects through a QueryCatalog; this module exposes no extension points.
export type { QueryCatalog, QueryField, QueryObject, QueryValueType } from './catalog.ts';
export { createQueryContext } from './query-context.ts';
export type { CreateQueryContextOptions, QueryContext } from './query-context.ts';
export { filterProblemCodes, formulaProblemCodes } from './query-errors.ts';
export type { FilterProblem, FilterProblemCode, FormulaProblem, FormulaProblemCode } from './query-errors.ts';
export { compileJoins, compileRootTenantPredicate, createQueryScope, tableOf } from './paths/query-scope.ts';
export type { PathBase, QueryJoin, QueryScope } from './paths/query-scope.ts';
export { compileFieldValue } from './paths/compile-field-value.ts';
export { restrictCatalog } from './paths/restrict-catalog.ts';
export type { FieldReadCheck } from './paths/restrict-catalog.ts';
export { validateFilter } from './filter/validate-filter.ts';
export { compileFilter } from './filter/compile-filter.ts';
export { evaluateFilter } from './filter/evaluate-filter.ts';
export type { ValidFilter } from './filter/filter-model.ts';
export type { RecordData } from './values/record-values.ts';
export { compileSort, validateSort } from './sort/sort.ts';
export type { CompiledSort, CompiledSortKey, ValidSort } from './sort/sort.ts';
export { formulaLimits, parseFormula } from './formula/formula-parser.ts';
export { checkFormula, checkFieldFormula } from './formula/check-formula.ts';
export type { CheckFormulaOptions } from './formula/check-formula.ts';
export { compileFormula } from './formula/compile-formula.ts';
export { evaluateFormula } from './formula/evaluate-formula.ts';
export type { FormulaResult } from './formula/evaluate-formula.ts';
export type { CheckedFormula, FormulaAst, FormulaNode, FormulaType, SourceSpan } from './formula/formula-ast.ts';
export { formulaFunctionNames } from './formula/formula-signatures.ts';
export { addMonthsClamped, daysInMonth, formatIsoDate, fromEpochDay, parseIsoDate, parseIsoDateTime, toEpochDay, weekdayFromMonday } from './calendar/civil-date.ts';
export type { CivilDate } from './calendar/civil-date.ts';
export { canonicalTimeZone, localEpochDay, startOfLocalDay } from './calendar/time-zone.ts';
