// Records: create, read, update, delete (recycle bin), list with the filter language, keyset
// pages and lookup expansion, formulas and roll-ups, idempotent creates, bulk import, global
// search. Validation uses one compiled Ajv validator per definition version.
// Extension point: the record-hook registry (code that runs before and after writes).
export { importRecords, MAX_IMPORT_ROWS } from './bulk-import.ts';
export type { ImportOptions, ImportReport, ImportRowError } from './bulk-import.ts';
export { csvColumnsOf, exportRecordsCsv, importRecordsCsv, LIST_SEPARATOR } from './csv-records.ts';
export type { CsvImportOptions } from './csv-records.ts';
export { searchRecords } from './global-search.ts';
export type { GlobalSearchOptions, SearchHit } from './global-search.ts';
export { assertIdempotencyKey, requestHash } from './idempotency.ts';
export { DEFAULT_PAGE_SIZE, listRecords, MAX_PAGE_SIZE } from './list-records.ts';
export type { ListRecordsQuery, RecordPage } from './list-records.ts';
export { fieldValueSchema, recordInputSchema } from './record-input-schema.ts';
export { fullAccess } from './records-context.ts';
export { createRecordHookRegistry } from './record-hooks.ts';
export type { RecordHook, RecordHookCall, RecordHookOutcome, RecordHookRegistry } from './record-hooks.ts';
export { readableCatalog, redactRecord, visibleDefinition, visibleObjects } from './record-access.ts';
export type { RecordAccess, RecordScope, RecordsActor, RecordsDeps } from './records-context.ts';
export { createRecord, deleteRecord, getRecord, purgeRecord, restoreRecord, updateRecord } from './records.service.ts';
export type { ApiRecord, VersionPrecondition } from './records.service.ts';
export { refreshAllRollups } from './rollups.ts';
export { createRollupHook } from './rollup-hook.ts';
