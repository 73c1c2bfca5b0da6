import { createTestDatabase, type TestDatabase } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeDataDir, startDaichoProcess, type DaichoProcess } from '../support/daicho-process.ts';
import { queryDatabase } from '../support/database-inspection.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

// Test plan rows 67 and 68, the short form run in CI (the longer script under load is
// `pnpm bench db-restart`): with its database gone, or the network to it silent, Daichō answers
// with 503 and Retry-After within its timeouts, reports not ready, writes nothing half-way, and
// serves again once the database is back, without a restart and without leaking connections.

let database: TestDatabase;
let proxy: TcpProxy;
let daicho: DaichoProcess;

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseUrl'));
  const target = new URL(database.url);
  proxy = await startTcpProxy(Number(target.port || 5432), target.hostname);
  target.port = String(proxy.port);
  target.hostname = '127.0.0.1';
  daicho = await startDaichoProcess({ DATABASE_URL: target.toString(), DAICHO_DATA_DIR: await makeDataDir(), DAICHO_DB_CONNECT_TIMEOUT_MS: '1000', DAICHO_DB_STATEMENT_TIMEOUT_MS: '1500' });
});

afterAll(async () => {
  if (daicho && daicho.child.exitCode === null) {
    daicho.child.kill('SIGTERM');
    await daicho.exited;
  }
  await proxy?.close();
  await database?.drop();
});

async function call(method: string, path: string, token?: string, body?: unknown) {
  const started = performance.now();
  const response = await fetch(`${daicho.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, retryAfter: response.headers.get('retry-after'), ms: performance.now() - started };
}

async function eventually(check: () => Promise<boolean>, limitMs = 10_000): Promise<void> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > limitMs) throw new Error(`not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the database goes away and comes back', () => {
  it('answers 503 with Retry-After within its timeouts, is not ready, loses nothing, and recovers without a restart', async () => {
    const password = /password: (\S+)/.exec(daicho.stdout())![1]!;
    const token = (await call('POST', '/api/v1/auth/login', undefined, { workspace: 'demo', email: 'admin@example.com', password })).body.token as string;
    expect((await call('POST', '/api/v1/meta/objects', token, { name: 'contact', labels: { en: 'Contact' }, titleField: 'name', fields: [{ name: 'name', type: 'text', labels: { en: 'Name' } }] })).status).toBe(201);
    const before = await call('POST', '/api/v1/records/contact', token, { name: 'Before' });
    expect(before.status).toBe(201);

    // A network partition: nothing arrives either way, nothing fails. The client gives up a
    // little after the statement timeout (1.5 s here) instead of hanging.
    proxy.setMode({ kind: 'hold' });
    const silent = await Promise.all([
      call('GET', `/api/v1/records/contact/${before.body.id}`, token),
      call('POST', '/api/v1/records/contact', token, { name: 'Partitioned' }),
    ]);
    for (const response of silent) {
      expect(response.status).toBe(503);
      expect(response.body.error.code).toBe('SERVICE_UNAVAILABLE');
      expect(response.ms).toBeLessThan(6000);
    }
    // Healed: what was held arrives, the same connections serve again, none is leaked.
    proxy.setMode({ kind: 'pass' });
    await eventually(async () => (await call('GET', `/api/v1/records/contact/${before.body.id}`, token)).status === 200);
    const metrics = await (await fetch(`${daicho.url}/metrics`)).text();
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics)?.[1]);
    expect(gauge('daicho_db_pool_open')).toBeLessThanOrEqual(gauge('daicho_db_pool_max'));
    expect(gauge('daicho_db_pool_waiting')).toBe(0);

    // Down: open connections are cut and new ones refused, as when the server stops.
    proxy.setMode({ kind: 'refuse' });
    proxy.cutAll();
    for (const attempt of [
      () => call('GET', `/api/v1/records/contact/${before.body.id}`, token),
      () => call('POST', '/api/v1/records/contact', token, { name: 'During' }),
      () => call('GET', '/api/v1/records/contact', token),
    ]) {
      const response = await attempt();
      expect(response.status).toBe(503);
      expect(response.body.error.code).toBe('SERVICE_UNAVAILABLE');
      expect(Number(response.retryAfter)).toBeGreaterThan(0);
      expect(response.ms).toBeLessThan(3000);
    }
    expect((await call('GET', '/readyz')).status).toBe(503);
    expect((await call('GET', '/healthz')).status).toBe(200);

    // Back: the same process serves again.
    proxy.setMode({ kind: 'pass' });
    await eventually(async () => (await call('GET', `/api/v1/records/contact/${before.body.id}`, token)).status === 200);
    expect((await call('GET', '/readyz')).status).toBe(200);
    const after = await call('POST', '/api/v1/records/contact', token, { name: 'After' });
    expect(after.status).toBe(201);

    // Nothing written half-way: the refused create left neither a record nor an audit event.
    const [{ schema }] = (await queryDatabase<{ schema: string }>(database.url, `select 'ws_' || replace(id::text, '-', '') as schema from daicho.workspace`)) as [{ schema: string }];
    const names = (await queryDatabase<{ name: string }>(database.url, `select f_name as name from "${schema}".obj_contact order by created_at`)).map((row) => row.name);
    // The create sent during the partition may have committed once the network healed (the
    // client was told 503, so it retries with its Idempotency-Key); the refused one did not.
    expect(names.filter((name) => name !== 'Partitioned')).toEqual(['Before', 'After']);
    const [{ events }] = (await queryDatabase<{ events: string }>(database.url, `select count(*) as events from daicho.audit_event where kind = 'record.create'`)) as [{ events: string }];
    expect(Number(events)).toBe(names.length);
  });
});
