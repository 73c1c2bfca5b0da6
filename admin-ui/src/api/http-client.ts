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
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch (error) {
    if (init.signal?.aborted === true) throw error;
    throw new ApiError({ code: 'NETWORK_ERROR', message: `No answer from ${path}`, cause: error });
  }
  if (!response.ok) throw await readApiError(response, path);
  if (response.status === 204) return undefined;
  try {
    return await response.json();
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
