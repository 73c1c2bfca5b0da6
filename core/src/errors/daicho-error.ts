import { errorCodes, type ErrorCode } from '@daicho/sdk';

export interface DaichoErrorOptions {
  details?: unknown;
  cause?: unknown;
  /** Response headers the error implies, such as Retry-After. */
  headers?: Record<string, string>;
}

/**
 * The one error type the platform throws on purpose. Its `code` is stable and documented in
 * `@daicho/sdk`; its HTTP status follows from the code. Anything else that reaches the HTTP
 * layer is an unexpected failure and answers `INTERNAL_ERROR`.
 */
export class DaichoError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: DaichoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DaichoError';
    this.code = code;
    this.status = errorCodes[code].status;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

/** One problem with a piece of input, addressed by a JSON pointer into it. */
export interface InputProblem {
  path: string;
  code: string;
  message: string;
}

/** Named constructors: each message is written once, here. */
export const errors = {
  badRequest: (message: string, details?: unknown) => new DaichoError('BAD_REQUEST', message, { details }),
  /** Where the body stops being JSON, never the parser's words: they quote the body itself. */
  invalidJson: (where: { line: number; column: number } | 'end' | undefined) =>
    new DaichoError('INVALID_JSON', where === 'end' ? 'The request body is not valid JSON: it ends too soon' : where ? `The request body is not valid JSON (line ${where.line}, column ${where.column})` : 'The request body is not valid JSON', where && where !== 'end' ? { details: where } : {}),
  invalidQuery: (parameter: string, reason: string) =>
    new DaichoError('INVALID_QUERY', `Query parameter "${parameter}" ${reason}`, { details: { parameter } }),
  payloadTooLarge: (limitBytes: number) =>
    new DaichoError('PAYLOAD_TOO_LARGE', `The request body exceeds the limit of ${limitBytes} bytes`, {
      details: { limitBytes },
    }),
  unsupportedMediaType: (received: string, accepted: readonly string[]) =>
    new DaichoError('UNSUPPORTED_MEDIA_TYPE', `Content type "${received}" is not accepted; send ${accepted.join(' or ')}`, {
      details: { received, accepted },
    }),
  validationFailed: (problems: InputProblem[], message = 'The input is not valid') =>
    new DaichoError('VALIDATION_FAILED', message, { details: { problems } }),
  routeNotFound: (method: string, path: string) =>
    new DaichoError('ROUTE_NOT_FOUND', `No route for ${method} ${path}`, { details: { method, path } }),
  methodNotAllowed: (method: string, path: string, allowed: readonly string[]) =>
    new DaichoError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}`, {
      details: { allowed },
      headers: { Allow: allowed.join(', ') },
    }),
  invalidSort: (path: string, message: string) =>
    new DaichoError('INVALID_SORT', `The sort is not valid: ${path ? `${path} ` : ''}${message}`, { details: { problems: [{ path, code: 'sort', message }] } }),
  permissionDenied: (message: string, details?: unknown) => new DaichoError('PERMISSION_DENIED', message, { details }),
  notFound: (what: string, id: string) => new DaichoError('NOT_FOUND', `${what} "${id}" was not found`, { details: { id } }),
  conflict: (message: string, details?: unknown) => new DaichoError('CONFLICT', message, { details }),
  versionConflict: (message: string, details: { current: unknown }) => new DaichoError('VERSION_CONFLICT', message, { details }),
  duplicateValue: (field: string, message: string, details: Record<string, unknown> = {}) =>
    new DaichoError('DUPLICATE_VALUE', message, { details: { field, ...details } }),
  referenceConflict: (message: string, details?: unknown) => new DaichoError('REFERENCE_CONFLICT', message, { details }),
  invalidDefinition: (problems: InputProblem[]) =>
    new DaichoError('INVALID_DEFINITION', problems.length === 1 ? `The definition is not valid: ${problems[0]!.path || '/'} ${problems[0]!.message}` : `The definition is not valid (${problems.length} problems)`, { details: { problems } }),
  preconditionFailed: (message: string, details?: unknown) => new DaichoError('PRECONDITION_FAILED', message, { details }),
  preconditionRequired: (message: string) => new DaichoError('PRECONDITION_REQUIRED', message),
  serviceUnavailable: (dependency: string, retryAfterSeconds: number, cause?: unknown) =>
    new DaichoError('SERVICE_UNAVAILABLE', `${dependency} is unavailable; retry later`, {
      cause,
      details: { dependency },
      headers: { 'Retry-After': String(retryAfterSeconds) },
    }),
} as const;
