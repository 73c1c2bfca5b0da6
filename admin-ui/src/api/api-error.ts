import type { ErrorCode } from '@daicho/sdk';

/**
 * Failures the browser detects itself, which never come from the server: no answer at all, an
 * answer that is not ours, or an error code newer than this app.
 */
export const clientErrorCodes = ['NETWORK_ERROR', 'UNEXPECTED_RESPONSE', 'UNKNOWN_ERROR'] as const;

/** A failure the browser detects itself. */
export type ClientErrorCode = (typeof clientErrorCodes)[number];

/** Every code an {@link ApiError} can carry: the server's vocabulary plus the client's own. */
export type ApiErrorCode = ErrorCode | ClientErrorCode;

/** What an {@link ApiError} is made from. */
export interface ApiErrorInit {
  code: ApiErrorCode;
  /** For developers only (console, logs); the UI shows the translation of `code` instead. */
  message: string;
  /** HTTP status, absent when no response arrived. */
  status?: number;
  details?: unknown;
  requestId?: string;
  cause?: unknown;
}

/**
 * A failed API call. The UI shows `errors.<code>` from the translations, never `message`,
 * which is in the server's words and language.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly status: number | undefined;
  readonly details: unknown;
  readonly requestId: string | undefined;

  constructor(init: ApiErrorInit) {
    super(init.message, { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.details = init.details;
    this.requestId = init.requestId;
  }
}

/**
 * The translation key that describes an error to the user.
 *
 * @example
 * t(errorMessageKey(error)); // "The server did not answer. …"
 */
export function errorMessageKey(error: unknown): `errors.${ApiErrorCode}` {
  return `errors.${error instanceof ApiError ? error.code : 'UNKNOWN_ERROR'}`;
}
