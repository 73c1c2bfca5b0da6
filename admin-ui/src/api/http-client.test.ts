import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, errorMessageKey } from './api-error.ts';
import { onUnauthenticated, requestJson, sendJson, setCsrfToken } from './http-client.ts';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('requestJson', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('returns the parsed body and asks for JSON', async () => {
    const fetchMock = vi.fn(async () => jsonResponse(200, { status: 'ok' }));
    vi.stubGlobal('fetch', fetchMock);
    await expect(requestJson('/healthz')).resolves.toEqual({ status: 'ok' });
    const init = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(new Headers(init[1].headers).get('Accept')).toBe('application/json');
  });

  it('throws an ApiError carrying the code, status, details and request id of an error body', async () => {
    vi.stubGlobal('fetch', async () =>
      jsonResponse(422, {
        error: { code: 'VALIDATION_FAILED', message: 'name is required', details: [{ path: '/name' }], requestId: 'r-1' },
      }),
    );
    const error = await failure(requestJson('/api/records'));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.status).toBe(422);
    expect(error.details).toEqual([{ path: '/name' }]);
    expect(error.requestId).toBe('r-1');
    expect(errorMessageKey(error)).toBe('errors.VALIDATION_FAILED');
  });

  it('maps an error code this build does not know to UNKNOWN_ERROR', async () => {
    vi.stubGlobal('fetch', async () => jsonResponse(400, { error: { code: 'BRAND_NEW_CODE', message: 'new' } }));
    expect((await failure(requestJson('/api/x'))).code).toBe('UNKNOWN_ERROR');
  });

  it('maps an error without our error body to UNEXPECTED_RESPONSE', async () => {
    vi.stubGlobal('fetch', async () => new Response('<html>Bad Gateway</html>', { status: 502 }));
    const error = await failure(requestJson('/api/x'));
    expect(error.code).toBe('UNEXPECTED_RESPONSE');
    expect(error.status).toBe(502);
  });

  it('maps a success that is not JSON to UNEXPECTED_RESPONSE', async () => {
    vi.stubGlobal('fetch', async () => new Response('<html></html>', { status: 200 }));
    expect((await failure(requestJson('/healthz'))).code).toBe('UNEXPECTED_RESPONSE');
  });

  it('maps no answer at all to NETWORK_ERROR', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const error = await failure(requestJson('/healthz'));
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.status).toBeUndefined();
  });

  it('rethrows an abort as is, not as a failure', async () => {
    const controller = new AbortController();
    controller.abort();
    const abort = new DOMException('aborted', 'AbortError');
    vi.stubGlobal('fetch', async () => {
      throw abort;
    });
    await expect(requestJson('/healthz', { signal: controller.signal })).rejects.toBe(abort);
  });

  it('describes anything that is not an ApiError as UNKNOWN_ERROR', () => {
    expect(errorMessageKey(new Error('boom'))).toBe('errors.UNKNOWN_ERROR');
  });

  it('sends the session\'s CSRF token on changes only', async () => {
    const fetchMock = vi.fn(async () => jsonResponse(200, {}));
    vi.stubGlobal('fetch', fetchMock);
    setCsrfToken('csrf-1');
    try {
      await requestJson('/api/v1/auth/me');
      await sendJson('/api/v1/records/deal', 'POST', { title: 'A' });
    } finally {
      setCsrfToken(undefined);
    }
    const headersOf = (call: number) => new Headers((fetchMock.mock.calls[call] as unknown as [string, RequestInit])[1].headers);
    expect(headersOf(0).get('X-CSRF-Token')).toBeNull();
    expect(headersOf(1).get('X-CSRF-Token')).toBe('csrf-1');
    expect(headersOf(1).get('Content-Type')).toBe('application/json');
  });

  it('tells listeners when the session ended (401), but not for a failed sign-in', async () => {
    vi.stubGlobal('fetch', async () => jsonResponse(401, { error: { code: 'UNAUTHENTICATED', message: 'no' } }));
    const listener = vi.fn();
    const stop = onUnauthenticated(listener);
    try {
      await failure(requestJson('/api/v1/records/deal'));
      expect(listener).toHaveBeenCalledTimes(1);
      await failure(sendJson('/api/v1/auth/login', 'POST', {}));
      expect(listener).toHaveBeenCalledTimes(1);
    } finally {
      stop();
    }
  });
});
