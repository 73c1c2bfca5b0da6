// Storage: from object definitions to physical tables. Plans DDL as a diff (old → new
// definition), applies it in the caller's transaction, builds indexes concurrently after commit,
// and converts columns on a type change. Physical names are generated here, never taken from input.
export { applyConcurrentSteps, applyTableChanges, DDL_LOCK_TIMEOUT, ensureWorkspaceSchema } from './apply-table-change.ts';
export { columnsForField, computedFieldTypes, indexCapableTypes, needsNewColumn, uniqueCapableTypes } from './column-types.ts';
export type { ColumnSpec } from './column-types.ts';
export { conversionExpression, conversionReportQuery, conversionUpdate } from './convert-column.ts';
export type { ConversionReport } from './convert-column.ts';
export { columnNameFor, columnsInUse, tableNameFor, workspaceSchemaName } from './physical-names.ts';
export { autoNumberSequence, constraintName, ddlPhases, planTableChange } from './plan-table-change.ts';
export type { DdlPhase, DdlStep, PlanContext, TableRef } from './plan-table-change.ts';
