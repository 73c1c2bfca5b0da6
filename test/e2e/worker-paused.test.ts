import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { ObjectDefinition, WorkflowDefinition } from '@daicho/sdk';
import { createTestDatabase, type TestDatabase } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeDataDir, startDaichoProcess, type DaichoProcess, apiRequest as api, stopProcesses } from '../support/daicho-process.ts';
import { queryDatabase, workspaceSchema } from '../support/database-inspection.ts';

// Test plan row 64: a worker paused (SIGSTOP) in the middle of a step, past the heartbeat after
// which another worker takes its runs over, then resumed. The step runs in a transaction that
// holds its run's row, so the second worker cannot run that step while the first still might:
// when the first resumes, one of them completes the step and the other finds it done. Every
// outside call carries the step's idempotency key, and every record is created once.

const ticket: ObjectDefinition = { name: 'ticket', labels: { en: 'Ticket' }, titleField: 'title', fields: [{ name: 'title', type: 'text', labels: { en: 'Title' }, required: true }] };
const note: ObjectDefinition = {
  name: 'note', labels: { en: 'Note' }, titleField: 'title',
  fields: [{ name: 'title', type: 'text', labels: { en: 'Title' }, required: true }, { name: 'ticket', type: 'lookup', target: 'ticket', labels: { en: 'Ticket' } }],
};

let database: TestDatabase;
let hooks: http.Server;
let hookUrl: string;
const hookCalls: string[] = [];
let releaseHeld: (() => void) | undefined;
let firstHeld: () => void;
const firstHeldCall = new Promise<void>((resolve) => (firstHeld = resolve));
const processes: DaichoProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseUrl'));
  hooks = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      hookCalls.push(String(request.headers['idempotency-key']));
      const answer = () => {
        response.statusCode = 204;
        response.end();
      };
      if (hookCalls.length === 1) {
        // The first call is held until the test says so: its worker is paused meanwhile.
        releaseHeld = answer;
        firstHeld();
        return;
      }
      answer();
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await stopProcesses(processes);
  hooks?.closeAllConnections();
  hooks?.close();
  await database?.drop();
});

describe('a workflow worker paused past its heartbeat, then resumed', () => {
  it('lets no step take effect twice: one record per run, webhook calls only with the step\'s key, every run completed', async () => {
    const shared = { DATABASE_URL: database.url, DAICHO_SECRET_KEY: randomBytes(32).toString('hex'), DAICHO_WORKFLOW_DISPATCH_INTERVAL: '100', DAICHO_WORKFLOW_HEARTBEAT: '10' };
    const apiNode = await startDaichoProcess({ ...shared, DAICHO_ROLE: 'api', DAICHO_DATA_DIR: await makeDataDir() });
    processes.push(apiNode);
    const first = await startDaichoProcess({ ...shared, DAICHO_ROLE: 'worker', DAICHO_DATA_DIR: await makeDataDir() });
    processes.push(first);
    const password = /password: (\S+)/.exec(apiNode.stdout())![1]!;
    const login = await api(apiNode.url, '', 'POST', '/api/v1/auth/login', { workspace: 'demo', email: 'admin@example.com', password });
    const token = login.body.token as string;
    const schema = workspaceSchema(login.body.user.workspaceId as string);
    for (const object of [ticket, note]) expect((await api(apiNode.url, token, 'POST', '/api/v1/meta/objects', object)).status).toBe(201);
    const workflow: WorkflowDefinition = {
      name: 'ticket_flow', labels: { en: 'Ticket flow' },
      trigger: { type: 'recordCreated', object: 'ticket' },
      actions: [
        { type: 'webhook', url: `${hookUrl}/tickets` },
        { type: 'createRecord', object: 'note', values: { title: { $field: 'title' }, ticket: { $field: 'id' } } },
      ],
    };
    expect((await api(apiNode.url, token, 'PUT', '/api/v1/meta/workflows/ticket_flow', workflow)).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1200));

    const ticketIds: string[] = [];
    for (let index = 0; index < 5; index++) {
      const created = await api(apiNode.url, token, 'POST', '/api/v1/records/ticket', { title: `Ticket ${index}` });
      expect(created.status).toBe(201);
      ticketIds.push(created.body.id as string);
    }
    // The first worker is in the middle of the first webhook step: pause it there.
    await firstHeldCall;
    first.child.kill('SIGSTOP');
    const second = await startDaichoProcess({ ...shared, DAICHO_ROLE: 'worker', DAICHO_DATA_DIR: await makeDataDir() });
    processes.push(second);
    // Past the heartbeat (10 s) the second worker takes the first one's work over.
    await new Promise((resolve) => setTimeout(resolve, 13_000));
    first.child.kill('SIGCONT');
    releaseHeld?.();

    await expect.poll(async () => (await queryDatabase<{ status: string }>(database.url, 'select status from daicho.workflow_run')).filter((run) => run.status === 'completed').length, { timeout: 60_000, interval: 250 }).toBe(5);
    const notes = await queryDatabase<{ ticket: string }>(database.url, `select f_ticket as ticket from "${schema}".obj_note`);
    expect(notes.map((row) => row.ticket).sort()).toEqual([...ticketIds].sort());
    // Calls carry the step's key (run id : step index); a key appears more than once only when a
    // call was repeated after its worker could not record it, never as two different effects.
    const runs = await queryDatabase<{ id: string }>(database.url, 'select id from daicho.workflow_run');
    const expectedKeys = runs.map((run) => `${run.id}:0`).sort();
    expect([...new Set(hookCalls)].sort()).toEqual(expectedKeys);
    const steps = await queryDatabase<{ status: string; n: string }>(database.url, `select status, count(*) as n from daicho.workflow_step group by status`);
    expect(steps).toEqual([{ status: 'completed', n: '10' }]);
  });
});
