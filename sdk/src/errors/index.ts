// Error codes: the stable vocabulary of failures shared by the server, the admin UI and plugins.
export { errorCodes, isErrorCode } from './error-codes.ts';
export type { ErrorBody, ErrorCode } from './error-codes.ts';
