// Talking to the Daichō server: the fetch wrapper, its error type and the typed calls.
// Errors carry stable codes; the UI translates codes (errors.<code>), never server messages.
export { ApiError, clientErrorCodes, errorMessageKey } from './api-error.ts';
export type { ApiErrorCode, ApiErrorInit, ClientErrorCode } from './api-error.ts';
export { fetchHealth } from './health.ts';
export { requestJson } from './http-client.ts';
