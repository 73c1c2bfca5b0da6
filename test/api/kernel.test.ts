import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

/** Error bodies with the per-request id masked, for snapshots. */
async function errorBody(response: Response): Promise<unknown> {
  const body = (await response.json()) as { error: { requestId?: string } };
  expect(body.error.requestId).toMatch(/\S/);
  return { ...body, error: { ...body.error, requestId: '<request-id>' } };
}

describe('HTTP kernel', () => {
  let daicho: TestDaicho;

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl'), env: { DAICHO_BODY_LIMIT: '1kb' } });
  });
  afterAll(async () => {
    await daicho?.close();
  });

  describe('succeeds', () => {
    it('answers /healthz with the platform version', async () => {
      const response = await daicho.fetch('/healthz');
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = await response.json();
      expect(body).toMatchObject({ status: 'ok', version: '0.1.0' });
    });

    it('answers /readyz when the database is reachable and migrated', async () => {
      const response = await daicho.fetch('/readyz');
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', checks: { database: { status: 'ok' } } });
    });

    it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
      const kept = await daicho.fetch('/healthz', { headers: { 'X-Request-Id': 'proxy-id.42' } });
      expect(kept.headers.get('x-request-id')).toBe('proxy-id.42');
      const replaced = await daicho.fetch('/healthz', { headers: { 'X-Request-Id': 'bad id\twith spaces' } });
      expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('sends security headers on successes and failures alike', async () => {
      for (const path of ['/healthz', '/api/v1/nothing-here']) {
        const response = await daicho.fetch(path);
        expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
        expect(response.headers.get('referrer-policy')).toBe('no-referrer');
        expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
        expect(response.headers.get('x-frame-options')).toBe('DENY');
      }
    });
  });

  describe('fails with the error shape', () => {
    it('answers an unknown route with ROUTE_NOT_FOUND', async () => {
      const response = await daicho.fetch('/api/v1/nothing-here');
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await errorBody(response)).toMatchInlineSnapshot(`
        {
          "error": {
            "code": "ROUTE_NOT_FOUND",
            "details": {
              "method": "GET",
              "path": "/api/v1/nothing-here",
            },
            "message": "No route for GET /api/v1/nothing-here",
            "requestId": "<request-id>",
          },
        }
      `);
    });

    it('answers a wrong method with METHOD_NOT_ALLOWED and Allow', async () => {
      const response = await daicho.fetch('/healthz', { method: 'DELETE' });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('HEAD, GET');
      expect(await errorBody(response)).toMatchInlineSnapshot(`
        {
          "error": {
            "code": "METHOD_NOT_ALLOWED",
            "details": {
              "allowed": [
                "HEAD",
                "GET",
              ],
            },
            "message": "DELETE is not allowed on /healthz",
            "requestId": "<request-id>",
          },
        }
      `);
    });

    it('answers a malformed JSON body with INVALID_JSON', async () => {
      const response = await daicho.fetch('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"name": "株式会社',
      });
      expect(response.status).toBe(400);
      expect(await errorBody(response)).toMatchInlineSnapshot(`
        {
          "error": {
            "code": "INVALID_JSON",
            "details": {
              "column": 15,
              "line": 1,
            },
            "message": "The request body is not valid JSON (line 1, column 15)",
            "requestId": "<request-id>",
          },
        }
      `);
    });

    it('never quotes the body back in an INVALID_JSON message', async () => {
      const secret = 'sk_live_0123456789abcdef';
      for (const body of [`{"password": ${secret}}`, `${secret}`, `{"a": 1,\n "token": "${secret}" "x"}`]) {
        const response = await daicho.fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        expect(response.status).toBe(400);
        const text = await response.text();
        expect(text).toContain('INVALID_JSON');
        expect(text).not.toContain('sk_live');
      }
    });

    it('answers a body over the limit with PAYLOAD_TOO_LARGE, declared or streamed', async () => {
      const big = JSON.stringify({ text: 'x'.repeat(2048) });
      const declared = await daicho.fetch('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: big,
      });
      expect(declared.status).toBe(413);
      expect(await errorBody(declared)).toMatchInlineSnapshot(`
        {
          "error": {
            "code": "PAYLOAD_TOO_LARGE",
            "details": {
              "limitBytes": 1024,
            },
            "message": "The request body exceeds the limit of 1024 bytes",
            "requestId": "<request-id>",
          },
        }
      `);

      // Chunked, with no Content-Length: the limit must hold while streaming.
      const streamed = await daicho.fetch('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new ReadableStream({
          start(controller) {
            for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode(' '.repeat(512)));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      expect(streamed.status).toBe(413);
      expect(((await streamed.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('answers a non-JSON body with UNSUPPORTED_MEDIA_TYPE', async () => {
      const response = await daicho.fetch('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'hello',
      });
      expect(response.status).toBe(415);
      expect(await errorBody(response)).toMatchInlineSnapshot(`
        {
          "error": {
            "code": "UNSUPPORTED_MEDIA_TYPE",
            "details": {
              "accepted": [
                "application/json",
              ],
              "received": "text/plain",
            },
            "message": "Content type "text/plain" is not accepted; send application/json",
            "requestId": "<request-id>",
          },
        }
      `);
    });

    it('refuses JSON nested deeper than the limit without overflowing the stack', async () => {
      const deep = '['.repeat(400) + ']'.repeat(400);
      const response = await daicho.fetch('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: deep,
      });
      expect(response.status).toBe(422);
      expect(await errorBody(response)).toMatchInlineSnapshot(`
        {
          "error": {
            "code": "VALIDATION_FAILED",
            "details": {
              "problems": [
                {
                  "code": "maxDepth",
                  "message": "The body is nested deeper than 64 levels",
                  "path": "",
                },
              ],
            },
            "message": "The request body is too complex",
            "requestId": "<request-id>",
          },
        }
      `);
    });
  });

  it('never writes secrets from requests to the log', async () => {
    await daicho.fetch('/api/v1/secret-test?token=query-secret-1', {
      headers: { authorization: 'Bearer header-secret-2', cookie: 'session=cookie-secret-3' },
    });
    const log = JSON.stringify(daicho.logLines());
    expect(daicho.logLines().some((line) => line.msg === 'request' && line.status === 404)).toBe(true);
    for (const secret of ['query-secret-1', 'header-secret-2', 'cookie-secret-3']) expect(log).not.toContain(secret);
    const password = new URL(daicho.testDatabase.url).password;
    if (password) expect(log).not.toContain(password);
  });
});
