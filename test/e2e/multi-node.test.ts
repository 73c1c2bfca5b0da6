import { randomBytes } from 'node:crypto';
import type { ObjectDefinition, WorkflowDefinition } from '@daicho/sdk';
import { createTestDatabase, type TestDatabase } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeDataDir, startDaichoProcess, type DaichoProcess, apiRequest as api, stopProcesses } from '../support/daicho-process.ts';
import { queryDatabase } from '../support/database-inspection.ts';

// Issue 10, first slice: two `api` processes and one `worker` process against one fresh database.
// Definition and permission changes and revoked sessions made through node A reach node B within
// 1 s (LISTEN/NOTIFY);
// what is written through node B is sealed into the audit trail by the worker, the only node that
// runs the sealer and works workflow runs, and a workflow it triggers runs to completion (api nodes
// work no runs; see docs/operations/roles.md).

const contact: ObjectDefinition = {
  name: 'contact',
  labels: { en: 'Contact' },
  titleField: 'name',
  sharing: 'read',
  fields: [{ name: 'name', type: 'text', labels: { en: 'Name' }, required: true }],
};
const note: ObjectDefinition = {
  name: 'note',
  labels: { en: 'Note' },
  titleField: 'title',
  fields: [{ name: 'title', type: 'text', labels: { en: 'Title' }, required: true }],
};
const welcome: WorkflowDefinition = {
  name: 'welcome_note',
  labels: { en: 'Welcome note' },
  trigger: { type: 'recordCreated', object: 'contact' },
  actions: [{ type: 'createRecord', object: 'note', values: { title: { $field: 'name' } } }],
};

let database: TestDatabase;
const processes: DaichoProcess[] = [];

/** Polls `attempt` every 20 ms until it returns true; resolves with the milliseconds it took. */
async function within(limitMs: number, attempt: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await attempt()) return performance.now() - started;
    if (performance.now() - started > limitMs) throw new Error(`not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseUrl'));
});

afterAll(async () => {
  await stopProcesses(processes);
  await database?.drop();
});

describe('two api nodes and a worker on one database', () => {
  it('propagates definitions and permissions within 1 s, the worker seals what B writes, and a workflow it triggers completes', async () => {
    const shared = { DATABASE_URL: database.url, DAICHO_SECRET_KEY: randomBytes(32).toString('hex') };
    const start = async (role: string) => {
      const daicho = await startDaichoProcess({ ...shared, DAICHO_ROLE: role, DAICHO_DATA_DIR: await makeDataDir() });
      processes.push(daicho);
      return daicho;
    };
    // A first (it sets the install up), then B and the worker together.
    const a = await start('api');
    const [b, worker] = await Promise.all([start('api'), start('worker')]);
    expect(a.stdout()).toContain('Role: api');
    expect(worker.stdout()).toContain('Role: worker');

    // The worker answers health and metrics only.
    expect((await fetch(`${worker.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${worker.url}/api/v1/auth/login`, { method: 'POST' })).status).toBe(404);

    // Signed in on A; the session works on B (sessions live in the database).
    const password = /password: (\S+)/.exec(a.stdout())![1]!;
    const login = await api(a.url, '', 'POST', '/api/v1/auth/login', { workspace: 'demo', email: 'admin@example.com', password });
    expect(login.status).toBe(200);
    const admin = login.body.token as string;
    expect((await api(b.url, admin, 'GET', '/api/v1/auth/me')).status).toBe(200);

    // Objects made on A; B knows them once it has heard (the first time without a bound).
    for (const object of [contact, note]) expect((await api(a.url, admin, 'POST', '/api/v1/meta/objects', object)).status).toBe(201);
    await within(5000, async () => (await api(b.url, admin, 'GET', '/api/v1/meta/objects/note')).status === 200);

    // A field added on A is used on B within 1 s.
    expect((await api(a.url, admin, 'POST', '/api/v1/meta/objects/contact/fields', { name: 'phone', type: 'phone', labels: { en: 'Phone' } })).status).toBe(201);
    const fieldMs = await within(1000, async () => (await api(b.url, admin, 'POST', '/api/v1/records/contact', { name: 'Hanako', phone: '+81 3 1234 5678' })).status === 201);
    expect(fieldMs).toBeLessThan(1000);

    // A reader (a role whose permission set reads contacts) signs in on B and reads there.
    expect((await api(a.url, admin, 'PUT', '/api/v1/meta/permission-sets/contact_reader', { name: 'contact_reader', labels: { en: 'Contact reader' }, objects: { contact: { read: true } } })).status).toBe(201);
    expect((await api(a.url, admin, 'PUT', '/api/v1/meta/roles/reader', { name: 'reader', labels: { en: 'Reader' }, permissionSets: ['contact_reader'] })).status).toBe(201);
    const readerPassword = 'reader-password-0123';
    expect((await api(a.url, admin, 'POST', '/api/v1/users', { email: 'reader@example.com', displayName: 'Reader', roleName: 'reader', password: readerPassword })).status).toBe(201);
    const readerLogin = await api(b.url, '', 'POST', '/api/v1/auth/login', { workspace: 'demo', email: 'reader@example.com', password: readerPassword });
    expect(readerLogin.status).toBe(200);
    const reader = readerLogin.body.token as string;
    await within(5000, async () => (await api(b.url, reader, 'GET', '/api/v1/records/contact')).status === 200);

    // Read taken away on A: B refuses the reader's next request within 1 s (an object the user
    // may not read is one they cannot see: 404).
    expect((await api(a.url, admin, 'PUT', '/api/v1/meta/permission-sets/contact_reader', { name: 'contact_reader', labels: { en: 'Contact reader' }, objects: {} })).status).toBe(200);
    const revokeMs = await within(1000, async () => (await api(b.url, reader, 'GET', '/api/v1/records/contact')).status === 404);
    expect(revokeMs).toBeLessThan(1000);

    // The reader's session, known to B (cached for DAICHO_SESSION_CACHE_MS, 5 s), is ended on A:
    // B hears the revocation and refuses the token well within the cache time.
    expect((await api(b.url, reader, 'GET', '/api/v1/auth/me')).status).toBe(200);
    expect((await api(a.url, reader, 'POST', '/api/v1/auth/logout')).status).toBe(204);
    const logoutMs = await within(1000, async () => (await api(b.url, reader, 'GET', '/api/v1/auth/me')).status === 401);
    expect(logoutMs).toBeLessThan(1000);

    // A workflow saved on A; a contact created on B: the worker seals the event and the run completes.
    expect((await api(a.url, admin, 'PUT', '/api/v1/meta/workflows/welcome_note', welcome)).status).toBe(201);
    await within(5000, async () => (await api(b.url, admin, 'GET', '/api/v1/meta/workflows/welcome_note')).status === 200);
    const created = await api(b.url, admin, 'POST', '/api/v1/records/contact', { name: 'Taro' });
    expect(created.status).toBe(201);
    const recordId = created.body.id as string;
    await within(5000, async () => {
      const rows = await queryDatabase<{ chain_position: string | null }>(database.url, `select chain_position from daicho.audit_event where record_id = $1 and kind = 'record.create'`, [recordId]);
      return rows.length === 1 && rows[0]!.chain_position !== null;
    });
    await within(10_000, async () => {
      const rows = await queryDatabase<{ status: string }>(database.url, 'select status from daicho.workflow_run where record_id = $1', [recordId]);
      return rows.length === 1 && rows[0]!.status === 'completed';
    });
    const notes = await api(a.url, admin, 'GET', '/api/v1/records/note');
    expect(notes.body.records.map((record: { title: string }) => record.title)).toContain('Taro');

    // Each node counts its own requests; the worker reports the backlog, the api nodes do not.
    const metricsOf = async (daicho: DaichoProcess) => (await fetch(`${daicho.url}/metrics`)).text();
    const [metricsB, metricsWorker] = await Promise.all([metricsOf(b), metricsOf(worker)]);
    expect(metricsB).toMatch(/^daicho_http_requests_total\{method="POST",route="\/api\/v1\/records\/:object",status="201"\} [1-9]/m);
    expect(metricsB).toContain('daicho_info{');
    expect(metricsB).not.toContain('daicho_workflow_runs');
    expect(metricsWorker).toMatch(/^daicho_workflow_runs\{status="completed"\} [1-9]/m);
    expect(metricsWorker).toMatch(/^daicho_audit_events_unsealed \d+$/m);
  });
});
