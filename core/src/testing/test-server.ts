import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { createUser, generatePassword } from '../auth/index.ts';
import { createWorkspace, findWorkspaceBySlug } from '../workspaces/index.ts';
import { loadConfig } from '../config/index.ts';
import { createLogger } from '../log/index.ts';
import { bootDaicho, type BootedDaicho, type BootOptions } from '../runtime/index.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export interface ApiResponse<T = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  status: number;
  headers: Headers;
  body: T;
}

export interface ApiRequestOptions {
  headers?: Record<string, string>;
  token?: string | null;
}

export interface TestApi {
  get(path: string, options?: ApiRequestOptions): Promise<ApiResponse>;
  post(path: string, body?: unknown, options?: ApiRequestOptions): Promise<ApiResponse>;
  put(path: string, body?: unknown, options?: ApiRequestOptions): Promise<ApiResponse>;
  patch(path: string, body?: unknown, options?: ApiRequestOptions): Promise<ApiResponse>;
  delete(path: string, options?: ApiRequestOptions): Promise<ApiResponse>;
}

export interface StartTestDaichoOptions {
  /** A PostgreSQL server to create the test database on. */
  serverUrl: string;
  /** Extra environment, as a user would set it (e.g. DAICHO_BODY_LIMIT). A random DAICHO_SECRET_KEY is set unless given. */
  env?: Record<string, string>;
  /** The IP allow-list of a role, standing in for the access module's (ApiDeps.roleIpAllowList). */
  roleIpAllowList?: BootOptions['roleIpAllowList'];
  /** Whether a role requires TOTP, standing in for the access module's (ApiDeps.roleRequiresTotp). */
  roleRequiresTotp?: BootOptions['roleRequiresTotp'];
  /** The DNS resolver of plugins' http.fetch (a stub, for SSRF tests). */
  pluginResolveHost?: BootOptions['pluginResolveHost'];
}

/** What {@link TestDaicho.createUserSession} may set on the user it creates. */
export interface CreateUserSessionOptions {
  isAdmin?: boolean;
  workspaceSlug?: string;
  email?: string;
  roleName?: string | null;
  /** Defaults to a random 20-character password. */
  password?: string;
}

/** An in-process platform on a database of its own, with a fetch bound to it. */
export interface TestDaicho extends BootedDaicho {
  baseUrl: string;
  database: BootedDaicho['database'];
  testDatabase: TestDatabase;
  /** Every log line written so far, parsed; for asserting on what was (not) logged. */
  logLines(): Array<Record<string, unknown>>;
  /** `fetch` relative to the server, e.g. `t.fetch('/healthz')`. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** A session token of the demo workspace's admin. */
  adminToken: string;
  /** Creates a user in a workspace (the demo one by default) and returns a session token for them. */
  createUserSession(options?: CreateUserSessionOptions): Promise<{ token: string; userId: string; workspaceId: string; email: string; password: string }>;
  /** JSON requests as the demo admin (or with `token`), returning status, headers and parsed body. */
  api: TestApi;
  close(): Promise<void>;
}

/**
 * Boots Daichō in this process against a fresh database and serves its `app.callback()` on an
 * ephemeral loopback port.
 * @example
 * const t = await startTestDaicho({ serverUrl: inject('databaseUrl') });
 * const res = await t.fetch('/readyz');
 */
export async function startTestDaicho(options: StartTestDaichoOptions): Promise<TestDaicho> {
  const testDatabase = await createTestDatabase(options.serverUrl);
  const config = loadConfig({ DATABASE_URL: testDatabase.url, DAICHO_LOG_LEVEL: 'debug', DAICHO_SECRET_KEY: randomBytes(32).toString('hex'), ...options.env });
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger({ level: config.logLevel, destination });
  let booted: BootedDaicho;
  try {
    booted = await bootDaicho(config, logger, {
      ...(options.roleIpAllowList ? { roleIpAllowList: options.roleIpAllowList } : {}),
      ...(options.roleRequiresTotp ? { roleRequiresTotp: options.roleRequiresTotp } : {}),
      ...(options.pluginResolveHost ? { pluginResolveHost: options.pluginResolveHost } : {}),
    });
  } catch (error) {
    await testDatabase.drop();
    throw error;
  }
  const server = http.createServer(booted.app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const request = async (method: string, path: string, body: unknown, options: ApiRequestOptions = {}, token?: string): Promise<ApiResponse> => {
    const headers: Record<string, string> = { ...options.headers };
    const bearer = options.token === null ? undefined : (options.token ?? token);
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON (CSV, HTML): the text as it is.
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
  let adminToken = '';
  if (booted.firstStart) {
    const login = await request('POST', '/api/v1/auth/login', { workspace: booted.firstStart.workspaceSlug, email: booted.firstStart.adminEmail, password: booted.firstStart.adminPassword });
    adminToken = (login.body as { token: string }).token;
  }
  const api: TestApi = {
    get: (path, options) => request('GET', path, undefined, options, adminToken),
    post: (path, body, options) => request('POST', path, body, options, adminToken),
    put: (path, body, options) => request('PUT', path, body, options, adminToken),
    patch: (path, body, options) => request('PATCH', path, body, options, adminToken),
    delete: (path, options) => request('DELETE', path, undefined, options, adminToken),
  };
  const createUserSession: TestDaicho['createUserSession'] = async (options = {}) => {
    const em = booted.database.em();
    const slug = options.workspaceSlug ?? 'demo';
    const workspace = (await findWorkspaceBySlug(em, slug)) ?? (await createWorkspace(em, { slug, name: slug }));
    const email = options.email ?? `user-${randomUUID()}@example.com`;
    const password = options.password ?? generatePassword();
    const user = await createUser(em, { workspace, email, displayName: email, password, isAdmin: options.isAdmin ?? false, roleName: options.roleName ?? null });
    const login = await request('POST', '/api/v1/auth/login', { workspace: slug, email, password });
    if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
    return { token: (login.body as { token: string }).token, userId: user.id, workspaceId: workspace.id, email: user.email, password };
  };
  return {
    adminToken,
    createUserSession,
    api,
    ...booted,
    baseUrl,
    testDatabase,
    logLines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    fetch: (path, init) => fetch(`${baseUrl}${path}`, init),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await booted.shutdown();
      await testDatabase.drop();
    },
  };
}
