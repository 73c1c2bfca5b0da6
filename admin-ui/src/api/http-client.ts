import { isErrorCode, type ErrorBody } from '@daicho/sdk';
import { ApiError } from './api-error.ts';

/**
 * Sends a request to our server and returns the parsed JSON body (undefined for 204).
 * Every failure becomes an {@link ApiError}: an error body `{ "error": { "code", … } }` keeps its
 * code; no answer is `NETWORK_ERROR`; anything else is `UNEXPECTED_RESPONSE`. An abort through
 * `init.signal` is rethrown as is, so callers (TanStack Query) see a cancellation, not a failure.
 *
 * @example
 * const report = await requestJson('/healthz');
 */
export async function requestJson(path: string, init: RequestInit = {}): Promise<unknown> {
  return (await requestWithHeaders(path, init)).body;
}

/** A parsed answer with its headers (for `ETag`). */
export interface JsonAnswer {
  body: unknown;
  headers: Headers;
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let csrfToken: string | undefined;
const unauthenticatedListeners = new Set<() => void>();

/**
 * Remembers the CSRF token of the cookie session (from sign-in or `GET /api/v1/auth/me`); every
 * later POST, PUT, PATCH and DELETE carries it in `X-CSRF-Token`. `undefined` forgets it.
 */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/**
 * Calls `listener` whenever an API call answers `401`: the session ended (expired, signed out
 * elsewhere). Returns the function that removes the listener.
 */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

/** Sends `body` as JSON with {@link requestWithHeaders}. */
export function sendJson(path: string, method: string, body: unknown, init: RequestInit = {}): Promise<JsonAnswer> {
  const headers = new Headers(init.headers);
  headers.set('Content-Type', 'application/json');
  return requestWithHeaders(path, { ...init, method, headers, body: JSON.stringify(body) });
}

/** Like {@link requestJson}, but also returns the response headers. */
export async function requestWithHeaders(path: string, init: RequestInit = {}): Promise<JsonAnswer> {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  if (csrfToken !== undefined && unsafeMethods.has((init.method ?? 'GET').toUpperCase())) headers.set('X-CSRF-Token', csrfToken);
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch (error) {
    if (init.signal?.aborted === true) throw error;
    throw new ApiError({ code: 'NETWORK_ERROR', message: `No answer from ${path}`, cause: error });
  }
  if (!response.ok) {
    const error = await readApiError(response, path);
    // A failed sign-in is an answer to show on the sign-in page, not an ended session.
    if (response.status === 401 && !path.startsWith('/api/v1/auth/login')) for (const listener of unauthenticatedListeners) listener();
    throw error;
  }
  if (response.status === 204) return { body: undefined, headers: response.headers };
  try {
    return { body: await response.json(), headers: response.headers };
  } catch (error) {
    throw new ApiError({
      code: 'UNEXPECTED_RESPONSE',
      message: `The answer of ${path} is not JSON`,
      status: response.status,
      cause: error,
    });
  }
}

async function readApiError(response: Response, path: string): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => undefined);
  if (!isErrorBody(body)) {
    return new ApiError({
      code: 'UNEXPECTED_RESPONSE',
      message: `${path} answered ${response.status} without an error body`,
      status: response.status,
    });
  }
  const { code, message, details, requestId } = body.error;
  return new ApiError({
    // A code this build does not know yet (a newer server) still fails cleanly.
    code: isErrorCode(code) ? code : 'UNKNOWN_ERROR',
    message: `${code}: ${message}`,
    status: response.status,
    details,
    ...(requestId === undefined ? {} : { requestId }),
  });
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error: unknown = value.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    'message' in error &&
    typeof error.message === 'string'
  );
}
