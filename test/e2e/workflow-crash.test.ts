import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ObjectDefinition, WorkflowDefinition } from '@daicho/sdk';
import { createTestDatabase, startTestSmtpServer, type TestDatabase, type TestSmtpServer } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeDataDir, startDaichoProcess, type DaichoProcess, apiRequest as api, stopProcesses } from '../support/daicho-process.ts';
import { queryDatabase, workspaceSchema } from '../support/database-inspection.ts';

// Issue 5: a worker killed with SIGKILL in the middle of runs. Daichō runs as a child process on a
// fresh database; the SMTP server and the webhook receiver run in this process. Each run creates a
// record, sends an e-mail, waits and calls a webhook. The process is killed while webhook calls are
// in flight (the receiver holds them unanswered) and other runs are at other steps, then started
// again on the same database.
//
// What "once" means for each effect (decision 0009):
// - the created record lands in our own database in the transaction that marks the step
//   completed: exactly once, whatever the moment of the kill;
// - an e-mail or a webhook leaves the process before that transaction commits; when the process
//   dies in between, the receiver has it but the database does not know, so the step runs again
//   after the restart with the same Message-ID / Idempotency-Key. That is the only duplicate there
//   can be, and it carries the key the receiver drops it by. Here every webhook call that had
//   arrived when the process died is repeated exactly once; every other call arrives exactly once.

const shipment: ObjectDefinition = {
  name: 'shipment',
  labels: { en: 'Shipment' },
  titleField: 'title',
  fields: [{ name: 'title', type: 'text', labels: { en: 'Title' }, required: true }],
};
const task: ObjectDefinition = {
  name: 'task',
  labels: { en: 'Task' },
  titleField: 'title',
  fields: [
    { name: 'title', type: 'text', labels: { en: 'Title' }, required: true },
    { name: 'shipment', type: 'lookup', target: 'shipment', labels: { en: 'Shipment' } },
  ],
};

const RUNS = 24;

let database: TestDatabase;
let smtp: TestSmtpServer;
let hooks: http.Server;
let hookUrl: string;
/** Webhook calls as received, by Idempotency-Key. */
const hookCalls: string[] = [];
/** Before the kill, calls are held unanswered (their runs are mid-step when the process dies). */
let holding = true;
let firstHeld: () => void;
const firstHeldCall = new Promise<void>((resolve) => (firstHeld = resolve));
const processes: DaichoProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseUrl'));
  smtp = await startTestSmtpServer();
  hooks = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      hookCalls.push(String(request.headers['idempotency-key']));
      if (holding) {
        firstHeld();
        return; // never answered: the process dies waiting for it
      }
      response.statusCode = 204;
      response.end();
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await stopProcesses(processes);
  hooks?.closeAllConnections();
  hooks?.close();
  await smtp?.close();
  await database?.drop();
});

describe('a workflow worker killed with SIGKILL in the middle of runs', () => {
  it('completes every run after a restart, each record created once, each e-mail and webhook delivered once or repeated with its key', async () => {
    const dataDir = await makeDataDir();
    const env = {
      DATABASE_URL: database.url,
      DAICHO_DATA_DIR: dataDir,
      DAICHO_SMTP_URL: smtp.url,
      DAICHO_MAIL_FROM: 'crm@example.com',
      DAICHO_WORKFLOW_DISPATCH_INTERVAL: '100',
      DAICHO_WORKFLOW_RETRY_DELAY: '1',
      DAICHO_WORKFLOW_HEARTBEAT: '10',
    };
    const first = await startDaichoProcess(env);
    processes.push(first);
    const password = /password: (\S+)/.exec(first.stdout())![1]!;
    const login = await api(first.url, '', 'POST', '/api/v1/auth/login', { workspace: 'demo', email: 'admin@example.com', password });
    const token = login.body.token as string;
    const schema = workspaceSchema(login.body.user.workspaceId as string);
    for (const object of [shipment, task]) expect((await api(first.url, token, 'POST', '/api/v1/meta/objects', object)).status).toBe(201);
    const workflow: WorkflowDefinition = {
      name: 'shipment_flow',
      labels: { en: 'Shipment flow' },
      trigger: { type: 'recordCreated', object: 'shipment' },
      actions: [
        { type: 'createRecord', object: 'task', values: { title: { $field: 'title' }, shipment: { $field: 'id' } } },
        { type: 'sendEmail', to: { address: 'ops@example.com' }, subject: 'Shipment {{title}}', body: 'Prepare {{title}}.' },
        { type: 'wait', duration: 'PT2S' },
        { type: 'webhook', url: `${hookUrl}/shipments` },
      ],
    };
    expect((await api(first.url, token, 'PUT', '/api/v1/meta/workflows/shipment_flow', workflow)).status).toBe(201);

    // Records created over about two seconds, so that at the kill runs are spread over the steps.
    const shipmentIds: string[] = [];
    for (let index = 0; index < RUNS; index++) {
      const created = await api(first.url, token, 'POST', '/api/v1/records/shipment', { title: `Shipment ${index}` });
      expect(created.status).toBe(201);
      shipmentIds.push(created.body.id as string);
      await new Promise((resolve) => setTimeout(resolve, 80));
    }
    await firstHeldCall;
    await new Promise((resolve) => setTimeout(resolve, 300));
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    holding = false;
    const heldKeys = [...hookCalls];

    // The kill landed in the middle: runs had started, not all had finished, webhook calls were in flight.
    const atKill = await queryDatabase<{ status: string; next_step: number }>(database.url, 'select status, next_step from daicho.workflow_run');
    expect(atKill.length).toBeGreaterThan(0);
    expect(atKill.filter((run) => run.status === 'completed').length).toBeLessThan(RUNS);
    expect(heldKeys.length).toBeGreaterThan(0);

    const second = await startDaichoProcess(env);
    processes.push(second);
    const deadline = Date.now() + 60_000;
    let runs: Array<{ id: string; record_id: string; status: string }>;
    for (;;) {
      runs = await queryDatabase(database.url, `select id, record_id, status from daicho.workflow_run where workflow_name = 'shipment_flow'`);
      if (runs.length === RUNS && runs.every((run) => run.status === 'completed')) break;
      if (Date.now() > deadline) throw new Error(`runs did not complete after the restart: ${JSON.stringify(runs.map((run) => run.status))}\n${second.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    // One run per shipment.
    expect(runs.map((run) => run.record_id).sort()).toEqual([...shipmentIds].sort());
    // Records: exactly once per run.
    const tasks = await queryDatabase<{ shipment: string; n: string }>(database.url, `select f_shipment as shipment, count(*) as n from "${schema}".obj_task group by f_shipment`);
    expect(tasks.map((row) => row.shipment).sort()).toEqual([...shipmentIds].sort());
    expect(tasks.every((row) => Number(row.n) === 1)).toBe(true);
    // E-mail: every run's message arrived; a message is repeated only if the kill fell between its
    // sending and its step's commit, and then with the same Message-ID (at most one repeat).
    const mailCounts = new Map<string, number>();
    for (const message of smtp.messages) mailCounts.set(message.messageId!, (mailCounts.get(message.messageId!) ?? 0) + 1);
    expect([...mailCounts.keys()].sort()).toEqual(runs.map((run) => `<${run.id}.1@workflow.daicho>`).sort());
    expect([...mailCounts.values()].every((count) => count <= 2)).toBe(true);
    // Webhooks: the calls in flight at the kill were repeated once, with the same key; all others arrived once.
    const hookCounts = new Map<string, number>();
    for (const key of hookCalls) hookCounts.set(key, (hookCounts.get(key) ?? 0) + 1);
    expect([...hookCounts.keys()].sort()).toEqual(runs.map((run) => `${run.id}:3`).sort());
    for (const [key, count] of hookCounts) expect({ key, count }).toEqual({ key, count: heldKeys.includes(key) ? 2 : 1 });
    // Each step completed; the steps cut short by the kill show a second attempt.
    const steps = await queryDatabase<{ run_id: string; step_index: number; status: string; attempts: number }>(database.url, 'select run_id, step_index, status, attempts from daicho.workflow_step');
    expect(steps).toHaveLength(RUNS * 4);
    expect(steps.every((step) => step.status === 'completed')).toBe(true);
    for (const key of heldKeys) {
      const [runId] = key.split(':');
      expect(steps.find((step) => step.run_id === runId && step.step_index === 3)!.attempts).toBe(2);
    }
  });
});
