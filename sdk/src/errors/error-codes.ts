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
  INVALID_FILTER: { status: 400, description: 'A filter is malformed, names an unknown field or operator, compares values of the wrong type, or exceeds a size or depth limit; `details.problems` lists each by path.' },
  INVALID_SORT: { status: 400, description: 'A sort names an unknown or unsortable field, or has a bad direction.' },
  INVALID_CURSOR: { status: 400, description: 'A pagination cursor is malformed, or belongs to a different query.' },
  UNAUTHENTICATED: { status: 401, description: 'The request carries no valid session or API token, or a sign-in failed (the message never says which part was wrong).' },
  TOTP_INVALID: { status: 401, description: 'The one-time code (TOTP) is wrong, outside the accepted time steps, or was already used.' },
  PERMISSION_DENIED: { status: 403, description: 'The caller is authenticated but lacks the permission for this operation. From a plugin host call, `details.permission` names the grant the plugin lacked (the denial is audited).' },
  IP_NOT_ALLOWED: { status: 403, description: "The client address is outside the workspace's or the role's IP allow-list." },
  CSRF_REJECTED: { status: 403, description: 'A cookie-authenticated request that changes state came without the session\'s CSRF token (X-CSRF-Token), with a wrong one, or from another site (Sec-Fetch-Site); `details.reason` says which.' },
  TOTP_ENROLMENT_REQUIRED: { status: 403, description: "The caller's role requires a second factor: enrol a TOTP authenticator (POST /api/v1/auth/totp/enrol) before anything else." },
  ROUTE_NOT_FOUND: { status: 404, description: 'No API route matches the request path.' },
  NOT_FOUND: { status: 404, description: 'The addressed resource does not exist or is not visible to the caller.' },
  PLUGIN_NOT_FOUND: { status: 404, description: 'No plugin with this id is installed in the workspace.' },
  METHOD_NOT_ALLOWED: { status: 405, description: 'The route exists but does not accept this HTTP method.' },
  CONFLICT: { status: 409, description: 'The request conflicts with the current state of the resource.' },
  PLUGIN_CONSENT_REQUIRED: { status: 409, description: 'The plugin (or its upgrade) asks for permissions the admin has not granted yet; `details.permissions` lists them. Grant them with the consent endpoint.' },
  PLUGIN_DEPENDENCY_UNMET: { status: 409, description: 'A plugin this one depends on is missing, disabled or outside the required version range, or an installed plugin depends on this one; `details` says which.' },
  VERSION_CONFLICT: { status: 409, description: 'The request names a version of the record that is no longer current; `details.current` holds the current record.' },
  DUPLICATE_VALUE: { status: 409, description: 'A value must be unique and another record already has it; `details` names the field.' },
  IDEMPOTENCY_KEY_IN_USE: { status: 409, description: 'A request with the same Idempotency-Key is still being processed.' },
  REFERENCE_CONFLICT: { status: 409, description: 'The record is referenced by other records that prevent the change (for example a restricted lookup).' },
  PAYLOAD_TOO_LARGE: { status: 413, description: 'The request body exceeds the configured size limit.' },
  PRECONDITION_FAILED: { status: 412, description: 'An If-Match precondition did not hold: the resource changed since it was read.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'The request body has a content type this route does not accept.' },
  INVALID_PLUGIN_PACKAGE: { status: 422, description: 'A plugin package is not a well-formed archive, or holds an unsafe entry (path outside the package, link, too large, too many files); `details.reason` says which.' },
  INVALID_MANIFEST: { status: 422, description: 'A plugin manifest (daicho-plugin.json) breaks its schema; `details.problems` lists each problem by JSON pointer.' },
  PLUGIN_SIGNATURE_INVALID: { status: 422, description: 'A plugin package\'s digest does not match, or its ed25519 signature does not verify against a trusted, unrevoked key.' },
  PLUGIN_ENGINE_MISMATCH: { status: 422, description: 'The plugin\'s `engines.daicho` range excludes this version of Daichō; `details` has both.' },
  PLUGIN_VERSION_NOT_NEWER: { status: 422, description: 'An upgrade must carry a strictly greater version than the installed one.' },
  PLUGIN_ERROR: { status: 422, description: 'Plugin code threw; `details.plugin` names it and `details.message` is its sanitised message.' },
  WEAK_PASSWORD: { status: 422, description: 'The new password breaks the password policy; `details.reasons` lists each broken rule (tooShort, tooLong, sameAsEmail, common).' },
  VALIDATION_FAILED: { status: 422, description: 'The request is well-formed but its content breaks validation rules; `details.problems` lists each problem by path.' },
  INVALID_DEFINITION: { status: 422, description: 'A definition breaks its meta-schema or a platform rule; `details.problems` lists each problem by JSON pointer.' },
  INVALID_FORMULA: { status: 422, description: 'A formula does not parse or does not type-check; `details.problems` says where.' },
  UNSAFE_PATTERN: { status: 422, description: 'A validation pattern is not a valid Unicode regular expression or could take exponential time (ReDoS).' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, description: 'The Idempotency-Key was already used with a different request.' },
  PRECONDITION_REQUIRED: { status: 428, description: 'The operation requires an If-Match header.' },
  RATE_LIMITED: { status: 429, description: 'Too many requests; retry after the time given in Retry-After.' },
  PLUGIN_RATE_LIMITED: { status: 429, description: 'A plugin exceeded its host-call rate or its per-invocation host-call budget.' },
  INTERNAL_ERROR: { status: 500, description: 'An unexpected server error; the response carries a request id to find it in the logs.' },
  SERVICE_UNAVAILABLE: { status: 503, description: 'A dependency (such as the database) is unavailable; retry after the time given in Retry-After.' },
  PLUGIN_TIMEOUT: { status: 503, description: 'Plugin code ran past its CPU timeout (a synchronous loop); its isolate was reset.' },
  PLUGIN_DEADLINE: { status: 503, description: 'A plugin call ran past its wall-clock deadline (for example awaiting host calls in a loop); its isolate was disposed.' },
  PLUGIN_MEMORY_LIMIT: { status: 503, description: 'Plugin code exceeded its memory limit; its isolate was disposed and is recreated on the next call.' },
  PLUGIN_OUTPUT_TOO_LARGE: { status: 503, description: 'A plugin returned (or passed to a host call) data over the size or depth cap; it was refused before being copied.' },
  PLUGIN_UNAVAILABLE: { status: 503, description: 'The plugin is disabled, or its runner process died or restarted during the call; queued work is retried.' },
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
