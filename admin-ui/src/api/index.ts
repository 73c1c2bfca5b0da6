// Talking to the Daichō server: the fetch wrapper, its error type and the typed calls.
// Errors carry stable codes; the UI translates codes (errors.<code>), never server messages.
export { ApiError, clientErrorCodes, errorMessageKey } from './api-error.ts';
export type { ApiErrorCode, ApiErrorInit, ClientErrorCode } from './api-error.ts';
export { fetchHealth } from './health.ts';
export { onUnauthenticated, requestJson, requestWithHeaders, sendJson, setCsrfToken } from './http-client.ts';
export type { JsonAnswer } from './http-client.ts';
export { fetchAccess, fetchObjects } from './meta.ts';
export {
  addFieldDefinition, createObjectDefinition, deleteFieldDefinition, fetchDesignedObject, fetchDesignedObjects, previewFieldChange, replaceFieldDefinition,
  replaceObjectDefinition, restoreFieldDefinition,
} from './object-design.ts';
export type { ConversionReport, DesignedObject, FieldChangePreview } from './object-design.ts';
export type { AccessSummary, ObjectAccess } from './meta.ts';
export { createRecord, exportCsvUrl, getRecord, listRecords, listSearchParams, updateRecord } from './records.ts';
export type { ListRecordsQuery, RecordData, RecordPage, VersionedRecord } from './records.ts';
export { fetchMe, signIn, signInWithTotp, signOut, updateMe } from './session.ts';
export type { Principal, SignInInput, SignInResult } from './session.ts';
