import type { JsonValue } from '../plugins/contract.ts';
import type { ListRecordsOptions, RecordPage, RecordValues, StoredRecord } from '../plugins/guest/index.ts';

/**
 * A failed request: the API's error code, status and details (branch on `code`, never `message`).
 *
 * @example
 * await assert.rejects(server.records.create('deal', {}), { code: 'VALIDATION_FAILED', status: 422 });
 */
export class TestServerError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details: unknown) {
    super(`${status} ${code}: ${message}`);
    this.name = 'TestServerError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/**
 * The records helpers of {@link TestServer}, over the records REST API.
 *
 * @example
 * const page = await server.records.list('acme.hello.greeting', { limit: 10 });
 */
export interface TestRecordsClient {
  get<Values extends object = RecordValues>(object: string, id: string): Promise<StoredRecord<Values> | null>;
  list<Values extends object = RecordValues>(object: string, options?: ListRecordsOptions): Promise<RecordPage<Values>>;
  create<Values extends object = RecordValues>(object: string, values: NoInfer<Partial<Values>>): Promise<StoredRecord<Values>>;
  /** Updates the named fields; without `version`, the current version is read first. */
  update<Values extends object = RecordValues>(object: string, id: string, values: NoInfer<Partial<Values>>, version?: number): Promise<StoredRecord<Values>>;
  delete(object: string, id: string): Promise<void>;
}

/**
 * A running Daichō server with the plugin under test installed, signed in as its first admin.
 *
 * @example
 * const me = await connectTestServer().request('GET', '/api/v1/auth/me');
 */
export interface TestServer {
  url: string;
  token: string;
  /** Any API call: `path` is under the server (`/api/v1/...`); JSON in, JSON out; errors throw TestServerError. */
  request<T = unknown>(method: string, path: string, body?: JsonValue): Promise<T>;
  records: TestRecordsClient;
}

/**
 * Connects a plugin's test to the server `daicho-plugin test` started, from `DAICHO_URL` and
 * `DAICHO_TOKEN` (a bearer session of the server's first admin).
 *
 * @example
 * import { connectTestServer } from '@daicho/sdk/testing';
 * const server = connectTestServer();
 * const created = await server.records.create('acme.hello.greeting', { person: 'Ada' });
 * assert.equal(created.message, 'Hello, Ada!');
 */
export function connectTestServer(env: Record<string, string | undefined> = process.env): TestServer {
  const url = env.DAICHO_URL;
  const token = env.DAICHO_TOKEN;
  if (!url || !token) throw new Error('DAICHO_URL and DAICHO_TOKEN are not set: run the tests with `daicho-plugin test`');

  async function request<T>(method: string, path: string, body?: JsonValue): Promise<T> {
    const response = await fetch(new URL(path, url), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
      throw new TestServerError(response.status, error?.code ?? 'UNKNOWN', error?.message ?? text.slice(0, 200), error?.details);
    }
    return parsed as T;
  }

  const recordPath = (object: string, id?: string) => `/api/v1/records/${encodeURIComponent(object)}${id === undefined ? '' : `/${encodeURIComponent(id)}`}`;

  const records: TestRecordsClient = {
    async get<Values extends object>(object: string, id: string) {
      try {
        return await request<StoredRecord<Values>>('GET', recordPath(object, id));
      } catch (error) {
        if (error instanceof TestServerError && error.status === 404) return null;
        throw error;
      }
    },
    async list<Values extends object>(object: string, options: ListRecordsOptions = {}) {
      const query = new URLSearchParams();
      if (options.filter) query.set('filter', JSON.stringify(options.filter));
      if (options.sort) query.set('sort', options.sort.map((key) => (key.direction === 'desc' ? `-${key.field}` : key.field)).join(','));
      if (options.limit !== undefined) query.set('limit', String(options.limit));
      if (options.cursor) query.set('cursor', options.cursor);
      const page = await request<{ records: Array<StoredRecord<Values>>; nextCursor?: string | null }>('GET', `${recordPath(object)}?${query}`);
      return { records: page.records, nextCursor: page.nextCursor ?? null };
    },
    create: (object, values) => request('POST', recordPath(object), values as JsonValue),
    async update<Values extends object>(object: string, id: string, values: Partial<Values>, version?: number) {
      const current = version ?? (await request<{ version: number }>('GET', recordPath(object, id))).version;
      return request<StoredRecord<Values>>('PATCH', recordPath(object, id), { ...(values as Record<string, JsonValue>), version: current });
    },
    async delete(object, id) {
      await request('DELETE', recordPath(object, id));
    },
  };
  return { url, token, request, records };
}
