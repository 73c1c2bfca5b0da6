// Definitions: the TypeScript shapes of what admins and plugins define, in step with sdk/schemas.
export { fieldTypes, formulaReturnTypes } from './field-types.ts';
export type { AddressValue, AttachmentValue, CurrencyValue, FieldType, FieldValueShapes, FormulaReturnType, PersonNameValue } from './field-types.ts';
export { systemFieldNames } from './object-definition.ts';
export type * from './object-definition.ts';
export { filterLimits, filterOperators, filterVariableNames, relativeDateNames } from './filter.ts';
export type * from './filter.ts';
export { capabilities, objectActions } from './access-definitions.ts';
export type * from './access-definitions.ts';
export { businessCalendarDefaults, weekdays } from './business-calendar.ts';
export type * from './business-calendar.ts';
export { dateOffsetUnits, workflowActionTypes, workflowRunStatuses, workflowTriggerTypes } from './workflow-definition.ts';
export type * from './workflow-definition.ts';
export { escalationAgeUnits } from './escalation-rule.ts';
export type * from './escalation-rule.ts';
