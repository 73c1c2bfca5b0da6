import http from 'node:http';
import { errorCodes, isErrorCode } from '@daicho/sdk';
import type { ApiResponse } from '@daicho/core/testing';
import { expect } from 'vitest';

/** One failure an endpoint can produce: how to cause it and the status it must answer. */
export interface ErrorCase {
  name: string;
  status: number;
  send: () => Promise<ApiResponse>;
}

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const timestamp = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g;
const fieldId = /\bfld_[0-9a-f]{32}\b/g;
const objectId = /\bobj_[0-9a-f]{32}\b/g;
const workspaceSchema = /\bws_[0-9a-f]{32}\b/g;

/** Replaces what changes from run to run (ids, times, request ids) with placeholders. */
export function normaliseIds(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.replace(timestamp, '<timestamp>').replace(uuid, '<uuid>').replace(fieldId, '<field-id>').replace(objectId, '<object-id>').replace(workspaceSchema, '<workspace-schema>');
  }
  if (Array.isArray(value)) return value.map(normaliseIds);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normaliseIds(item)]));
  return value;
}

// What must never reach a client: stack frames, source paths, SQL and driver messages.
const leaks = [/\bat [\w.<>]+ \(/, /node_modules/, /\.ts:\d+/, /\bselect\b.+\bfrom\b/i, /relation "/, /violates .* constraint/, /duplicate key value/, /syntax error at/, /\bpg_/];

/**
 * Asserts the one error shape (status, a documented code whose status matches, the request id
 * echoed in the header, no internals) and returns `{ status, error }` with ids normalised, ready
 * for a snapshot.
 */
export function errorBody(response: ApiResponse, status: number): unknown {
  const text = JSON.stringify(response.body);
  expect(response.status, text).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const error = (response.body as { error?: Record<string, unknown> }).error;
  expect(error, text).toBeDefined();
  expect(Object.keys(response.body as object)).toEqual(['error']);
  expect(Object.keys(error!).every((key) => ['code', 'message', 'details', 'requestId'].includes(key)), text).toBe(true);
  const code = String(error!.code);
  expect(isErrorCode(code), code).toBe(true);
  expect(errorCodes[code as keyof typeof errorCodes].status, `${code} answers ${status}`).toBe(status);
  expect(typeof error!.message).toBe('string');
  expect(String(error!.message).length).toBeGreaterThan(0);
  expect(error!.requestId).toBe(response.headers.get('x-request-id'));
  for (const leak of leaks) expect(text, `leaks ${leak}`).not.toMatch(leak);
  const { requestId: _requestId, ...rest } = error!;
  return { status: response.status, error: normaliseIds(rest) };
}

/**
 * A request whose headers claim a body of `declaredBytes` but which sends only a little of it:
 * what a client does that streams a large upload. Resolves with the server's answer as soon as it
 * comes (without waiting for the rest of the body).
 */
export function sendDeclaredBody(baseUrl: string, path: string, options: { declaredBytes: number; contentType: string; token: string }): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': options.contentType, 'content-length': String(options.declaredBytes), authorization: `Bearer ${options.token}` },
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') headers.set(name, value);
        resolve({ status: response.statusCode ?? 0, headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        request.destroy();
      });
    });
    // The server may close the connection before the body is sent: that is the point.
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    request.write('{"records":[');
  });
}
