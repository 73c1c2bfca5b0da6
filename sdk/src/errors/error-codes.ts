/**
 * Every error code the platform returns, with its HTTP status and what it means.
 *
 * Codes are stable: clients (the admin UI among them) translate codes, never messages. Adding a
 * code is fine; renaming or removing one is a breaking change of the API. The reference page
 * `docs/reference/error-codes.md` is generated from this table (`pnpm docs:error-codes`) and a
 * test keeps the two in step.
 */
export const errorCodes = {
  BAD_REQUEST: { status: 400, description: 'The request is malformed in a way no more specific code describes.' },
  INVALID_JSON: { status: 400, description: 'The request body is not valid JSON.' },
  INVALID_QUERY: { status: 400, description: 'A query-string parameter is malformed or out of range.' },
  UNAUTHENTICATED: { status: 401, description: 'The request carries no valid session or API token.' },
  PERMISSION_DENIED: { status: 403, description: 'The caller is authenticated but lacks the permission for this operation.' },
  ROUTE_NOT_FOUND: { status: 404, description: 'No API route matches the request path.' },
  NOT_FOUND: { status: 404, description: 'The addressed resource does not exist or is not visible to the caller.' },
  METHOD_NOT_ALLOWED: { status: 405, description: 'The route exists but does not accept this HTTP method.' },
  CONFLICT: { status: 409, description: 'The request conflicts with the current state of the resource.' },
  PAYLOAD_TOO_LARGE: { status: 413, description: 'The request body exceeds the configured size limit.' },
  PRECONDITION_FAILED: { status: 412, description: 'An If-Match precondition did not hold: the resource changed since it was read.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'The request body has a content type this route does not accept.' },
  VALIDATION_FAILED: { status: 422, description: 'The request is well-formed but its content breaks validation rules; `details` lists each problem by path.' },
  PRECONDITION_REQUIRED: { status: 428, description: 'The operation requires an If-Match header.' },
  RATE_LIMITED: { status: 429, description: 'Too many requests; retry after the time given in Retry-After.' },
  INTERNAL_ERROR: { status: 500, description: 'An unexpected server error; the response carries a request id to find it in the logs.' },
  SERVICE_UNAVAILABLE: { status: 503, description: 'A dependency (such as the database) is unavailable; retry after the time given in Retry-After.' },
} as const satisfies Record<string, { status: number; description: string }>;

/** A stable error code, as found in `{ "error": { "code" } }`. */
export type ErrorCode = keyof typeof errorCodes;

/** The body of every failed API response. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: unknown;
    requestId?: string;
  };
}

/** Tells whether a string is a known error code. */
export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(errorCodes, value);
}
