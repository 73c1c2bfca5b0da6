import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ObjectDefinition, WorkflowDefinition } from '@daicho/sdk';
import { startTestDaicho, startTestSmtpServer, type TestDaicho, type TestSmtpServer } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

// Workflows end to end: definitions saved through the API, triggers read from the sealed audit
// trail, runs executed by pg-boss workers, e-mail to a real SMTP server and webhooks to a real
// HTTP server in this process.

const deal: ObjectDefinition = {
  name: 'deal',
  labels: { en: 'Deal' },
  titleField: 'title',
  fields: [
    { name: 'title', type: 'text', labels: { en: 'Title' }, required: true },
    { name: 'stage', type: 'picklist', labels: { en: 'Stage' }, values: ['prospect', 'proposal', 'won', 'lost'].map((value) => ({ value, labels: { en: value } })) },
    { name: 'contactEmail', type: 'email', labels: { en: 'Contact e-mail' } },
    { name: 'amount', type: 'integer', labels: { en: 'Amount' } },
    { name: 'note', type: 'text', labels: { en: 'Note' } },
    { name: 'flag', type: 'text', labels: { en: 'Flag' } },
    { name: 'mirror', type: 'text', labels: { en: 'Mirror' } },
  ],
};
const task: ObjectDefinition = {
  name: 'task',
  labels: { en: 'Task' },
  titleField: 'title',
  fields: [
    { name: 'title', type: 'text', labels: { en: 'Title' }, required: true },
    { name: 'deal', type: 'lookup', target: 'deal', labels: { en: 'Deal' } },
  ],
};
const ticket: ObjectDefinition = { name: 'ticket', labels: { en: 'Ticket' }, titleField: 'title', fields: [{ name: 'title', type: 'text', labels: { en: 'Title' } }] };

let t: TestDaicho;
let smtp: TestSmtpServer;
let hooks: http.Server;
const hookCalls: Array<{ path: string; headers: http.IncomingHttpHeaders; body: string }> = [];
let hookUrl: string;

/** Seals and dispatches until `check` holds (the timers do the same every 100 ms). */
async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await t.auditSealer.sealPending();
    await t.automation.tick();
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const workflow = (definition: Omit<WorkflowDefinition, 'labels'>): WorkflowDefinition => ({ labels: { en: definition.name }, ...definition });
const save = (definition: WorkflowDefinition) => t.api.put(`/api/v1/meta/workflows/${definition.name}`, definition);
const runsOf = async (name: string) => (await t.api.get(`/api/v1/automation/runs?workflow=${name}`)).body.runs as Array<{ id: string; status: string; recordId: string; error: unknown; depth: number }>;
const createDeal = async (values: Record<string, unknown>) => (await t.api.post('/api/v1/records/deal', { title: 'Deal', ...values })).body as { id: string; version: number };
const patchDeal = async (id: string, values: Record<string, unknown>) => t.api.patch(`/api/v1/records/deal/${id}`, values, { headers: { 'if-match': '*' } });

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  hooks = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      hookCalls.push({ path: request.url ?? '', headers: request.headers, body });
      response.statusCode = request.url === '/poison' ? 500 : 204;
      response.end();
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
  t = await startTestDaicho({
    serverUrl: inject('databaseUrl'),
    env: { DAICHO_SMTP_URL: smtp.url, DAICHO_MAIL_FROM: 'crm@example.com', DAICHO_WORKFLOW_MAX_ATTEMPTS: '2', DAICHO_WORKFLOW_RETRY_DELAY: '1', DAICHO_WORKFLOW_DISPATCH_INTERVAL: '100', DAICHO_WORKFLOW_MAX_DEPTH: '3' },
  });
  for (const object of [deal, task, ticket]) expect((await t.api.post('/api/v1/meta/objects', object)).status).toBe(201);
}, 60_000);

afterAll(async () => {
  await t?.close();
  await smtp?.close();
  hooks?.close();
});

describe('saving workflows', () => {
  it('refuses references to objects and fields that do not exist, filters that do not validate and cron that does not parse', async () => {
    const response = await save(workflow({
      name: 'broken',
      trigger: { type: 'fieldChanged', object: 'deal', field: 'nope' },
      condition: { field: 'missing', op: 'eq', value: 1 },
      actions: [{ type: 'updateFields', values: { unknown: 1 } }, { type: 'createRecord', object: 'ghost', values: { title: 'x' } }],
    }));
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('INVALID_DEFINITION');
    const paths = (response.body.error.details.problems as Array<{ path: string }>).map((problem) => problem.path);
    expect(paths).toEqual(expect.arrayContaining(['/trigger/field', '/actions/0/values/unknown', '/actions/1/object']));
    expect(paths.some((path) => path.startsWith('/condition'))).toBe(true);
    const cron = await save(workflow({ name: 'bad_cron', trigger: { type: 'schedule', cron: 'every tuesday', timeZone: 'Asia/Tokyo' }, actions: [{ type: 'wait', duration: 'PT1S' }] }));
    expect(cron.status).toBe(422);
    expect(cron.body.error.details.problems[0].path).toBe('/trigger/cron');
    const unknownType = await save(workflow({ name: 'plugin_less', trigger: { type: 'manual', object: 'deal' }, actions: [{ type: 'acme.crm.notify' }] }));
    expect(unknownType.status).toBe(422);
    expect(unknownType.body.error.details.problems[0]).toMatchObject({ path: '/actions/0/type', code: 'unknownAction' });
  });

  it('refuses a workflow whose action fires its own trigger', async () => {
    const response = await save(workflow({ name: 'self_loop', trigger: { type: 'recordUpdated', object: 'deal' }, actions: [{ type: 'updateFields', values: { note: 'touched' } }] }));
    expect(response.status).toBe(422);
    expect(response.body.error.details.problems[0]).toMatchObject({ path: '/actions/0', code: 'loop' });
  });

  it('keeps versions and needs designObjects', async () => {
    const definition = workflow({ name: 'versioned', enabled: false, trigger: { type: 'manual', object: 'deal' }, actions: [{ type: 'updateFields', values: { note: 'v1' } }] });
    expect((await save(definition)).status).toBe(201);
    const second = await save({ ...definition, actions: [{ type: 'updateFields', values: { note: 'v2' } }] });
    expect(second.status).toBe(200);
    expect(second.body.version).toBe(2);
    const user = await t.createUserSession();
    expect((await t.api.put('/api/v1/meta/workflows/versioned', definition, { token: user.token })).status).toBe(403);
  });
});

describe('record triggers', () => {
  it('creates a related record on create, merging fields of the triggering record, once', async () => {
    expect((await save(workflow({
      name: 'deal_task',
      trigger: { type: 'recordCreated', object: 'deal' },
      condition: { field: 'amount', op: 'gte', value: 100 },
      actions: [{ type: 'createRecord', object: 'task', values: { title: { $field: 'title' }, deal: { $field: 'id' } } }],
    }))).status).toBe(201);
    const big = await createDeal({ title: 'Big one', amount: 500 });
    const small = await createDeal({ title: 'Small one', amount: 5 });
    const [run] = await eventually(async () => {
      const runs = await runsOf('deal_task');
      return runs.length === 1 && runs[0]!.status === 'completed' && runs;
    });
    expect(run!.recordId).toBe(big.id);
    const tasks = (await t.api.get(`/api/v1/records/task?filter=${encodeURIComponent(JSON.stringify({ field: 'deal', op: 'eq', value: big.id }))}`)).body.records;
    expect(tasks).toHaveLength(1);
    expect(tasks[0].title).toBe('Big one');
    // The condition does not hold for the small deal: no run at all.
    await eventually(async () => (await runsOf('deal_task')).every((candidate) => candidate.recordId !== small.id) && true);
    const detail = await t.api.get(`/api/v1/automation/runs/${run!.id}`);
    expect(detail.body.steps).toEqual([expect.objectContaining({ index: 0, type: 'createRecord', status: 'completed', attempts: 1, output: expect.objectContaining({ object: 'task' }) })]);
    expect(detail.body.workflowVersion).toBe(1);
    await t.api.post('/api/v1/meta/workflows/deal_task/disable');
  });

  it('fires only on changes made after the workflow was saved, even when they are sealed after it', async () => {
    // Written just before the save: its audit event is sealed (and read by the dispatcher) after it.
    const before = await createDeal({ title: 'Before the workflow', amount: 1 });
    expect((await save(workflow({
      name: 'fresh_only',
      trigger: { type: 'recordCreated', object: 'deal' },
      actions: [{ type: 'updateFields', values: { stage: 'prospect' } }],
    }))).status).toBe(201);
    const after = await createDeal({ title: 'After the workflow', amount: 1 });
    await eventually(async () => (await runsOf('fresh_only')).some((run) => run.recordId === after.id && run.status === 'completed') && true);
    // Give the dispatcher a few more rounds to be sure the earlier deal is never picked up.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await runsOf('fresh_only')).map((run) => run.recordId)).toEqual([after.id]);
    expect(before.id).not.toBe(after.id);
    await t.api.post('/api/v1/meta/workflows/fresh_only/disable');
  });

  it('sends e-mail when a field changes from X to Y, not on other changes', async () => {
    expect((await save(workflow({
      name: 'won_mail',
      trigger: { type: 'fieldChanged', object: 'deal', field: 'stage', from: 'proposal', to: 'won' },
      previousCondition: { field: 'stage', op: 'eq', value: 'proposal' },
      actions: [{ type: 'sendEmail', to: { field: 'contactEmail' }, subject: 'Won: {{title}}', body: 'Thank you for {{title}} ({{amount}})', language: 'en' }],
    }))).status).toBe(201);
    const viaProposal = await createDeal({ title: 'Kyoto office', stage: 'proposal', contactEmail: 'buyer@example.com', amount: 1 });
    const direct = await createDeal({ title: 'Direct', stage: 'prospect', contactEmail: 'other@example.com', amount: 1 });
    expect((await patchDeal(viaProposal.id, { stage: 'won' })).status).toBe(200);
    expect((await patchDeal(direct.id, { stage: 'won' })).status).toBe(200);
    await eventually(async () => (await runsOf('won_mail')).some((run) => run.status === 'completed'));
    await eventually(() => smtp.messages.some((message) => message.to.includes('buyer@example.com')));
    const mails = smtp.messages.filter((message) => message.subject === 'Won: Kyoto office');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(['buyer@example.com']);
    expect(mails[0]!.raw).toContain('Thank you for Kyoto office (1)');
    expect(smtp.messages.some((message) => message.to.includes('other@example.com'))).toBe(false);
    expect((await runsOf('won_mail')).map((run) => run.recordId)).toEqual([viaProposal.id]);
    await t.api.post('/api/v1/meta/workflows/won_mail/disable');
  });

  it('calls a signed webhook when a record is deleted', async () => {
    expect((await save(workflow({
      name: 'deleted_hook',
      trigger: { type: 'recordDeleted', object: 'ticket' },
      condition: { field: 'title', op: 'startsWith', value: 'Hook' },
      actions: [{ type: 'webhook', url: `${hookUrl}/deleted`, secret: 'a-shared-secret-of-16+' }],
    }))).status).toBe(201);
    const stored = await t.api.get('/api/v1/meta/workflows/deleted_hook');
    expect(JSON.stringify(stored.body)).not.toContain('a-shared-secret-of-16+');
    const record = (await t.api.post('/api/v1/records/ticket', { title: 'Hook me' })).body as { id: string };
    expect((await t.api.delete(`/api/v1/records/ticket/${record.id}`)).status).toBe(204);
    const call = await eventually(() => hookCalls.find((candidate) => candidate.path === '/deleted'));
    const { t: timestamp, v1 } = Object.fromEntries(String(call.headers['x-daicho-signature']).split(',').map((part) => part.split('='))) as { t: string; v1: string };
    expect(v1).toBe(createHmac('sha256', 'a-shared-secret-of-16+').update(`${timestamp}.${call.body}`).digest('hex'));
    expect(JSON.parse(call.body)).toMatchObject({ workflow: 'deleted_hook', recordId: record.id, record: { title: 'Hook me' } });
  });

  it('runs a manual workflow on a record, and shows in a dry run what it would change without changing it', async () => {
    expect((await save(workflow({
      name: 'mark_lost',
      trigger: { type: 'manual', object: 'deal' },
      condition: { field: 'stage', op: 'ne', value: 'won' },
      actions: [{ type: 'updateFields', values: { stage: 'lost', note: { $field: 'title' } } }, { type: 'sendEmail', to: { address: 'boss@example.com' }, subject: 'Lost {{title}}', body: '-' }],
    }))).status).toBe(201);
    const record = await createDeal({ title: 'Osaka', stage: 'proposal' });
    const dry = await t.api.post('/api/v1/meta/workflows/mark_lost/dry-run', { recordId: record.id });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ conditionsHold: true, actions: [
      { type: 'updateFields', wouldDo: { changes: { stage: { before: 'proposal', after: 'lost' }, note: { before: null, after: 'Osaka' } } } },
      { type: 'sendEmail', wouldDo: { to: 'boss@example.com', subject: 'Lost Osaka' } },
    ] });
    expect((await t.api.get(`/api/v1/records/deal/${record.id}`)).body.stage).toBe('proposal');
    expect(smtp.messages.some((message) => message.subject === 'Lost Osaka')).toBe(false);

    const started = await t.api.post(`/api/v1/records/deal/${record.id}/workflows/mark_lost`);
    expect(started.status).toBe(202);
    await eventually(async () => (await t.api.get(`/api/v1/automation/runs/${started.body.id}`)).body.status === 'completed');
    expect((await t.api.get(`/api/v1/records/deal/${record.id}`)).body).toMatchObject({ stage: 'lost', note: 'Osaka' });
    // Now the condition fails: a manual start is refused.
    expect((await t.api.post(`/api/v1/records/deal/${(await createDeal({ stage: 'won' })).id}/workflows/mark_lost`)).status).toBe(409);
  });
});

describe('schedules', () => {
  it('starts runs at the times of a cron expression in a time zone', async () => {
    expect((await save(workflow({
      name: 'every_second',
      trigger: { type: 'schedule', cron: '* * * * * *', timeZone: 'Asia/Tokyo' },
      actions: [{ type: 'sendEmail', to: { address: 'digest@example.com' }, subject: 'Digest', body: 'Scheduled' }],
    }))).status).toBe(201);
    await eventually(() => smtp.messages.some((message) => message.to.includes('digest@example.com')));
    await t.api.post('/api/v1/meta/workflows/every_second/disable');
    const runs = await runsOf('every_second');
    expect(runs.length).toBeGreaterThan(0);
    expect(runs[0]).toMatchObject({ recordId: null });
  });
});

describe('durable execution', () => {
  it('dead-letters a poison step after its retries while other runs complete, and retries it on request', async () => {
    expect((await save(workflow({
      name: 'poison',
      trigger: { type: 'fieldChanged', object: 'deal', field: 'flag', to: 'poison' },
      actions: [{ type: 'webhook', url: `${hookUrl}/poison` }],
    }))).status).toBe(201);
    expect((await save(workflow({
      name: 'healthy',
      trigger: { type: 'fieldChanged', object: 'deal', field: 'flag', to: 'fine' },
      actions: [{ type: 'updateFields', values: { note: 'healthy ran' } }],
    }))).status).toBe(201);
    const bad = await createDeal({ title: 'Bad' });
    await patchDeal(bad.id, { flag: 'poison' });
    const good = await Promise.all([1, 2, 3].map(() => createDeal({ title: 'Good' })));
    for (const record of good) await patchDeal(record.id, { flag: 'fine' });
    await eventually(async () => (await runsOf('healthy')).filter((run) => run.status === 'completed').length === 3);
    const [dead] = await eventually(async () => {
      const runs = await runsOf('poison');
      return runs[0]?.status === 'deadLetter' && runs;
    });
    expect(dead!.error).toMatchObject({ step: 0, attempts: 2, message: expect.stringContaining('500') });
    expect(hookCalls.filter((call) => call.path === '/poison')).toHaveLength(2);
    const detail = await t.api.get(`/api/v1/automation/runs/${dead!.id}`);
    expect(detail.body.steps[0]).toMatchObject({ status: 'deadLetter', attempts: 2 });
    const listed = await t.api.get('/api/v1/automation/runs?status=deadLetter');
    expect(listed.body.runs.map((run: { id: string }) => run.id)).toContain(dead!.id);

    expect((await t.api.post(`/api/v1/automation/runs/${dead!.id}/retry`)).status).toBe(200);
    await eventually(async () => (await t.api.get(`/api/v1/automation/runs/${dead!.id}`)).body.status === 'deadLetter' && hookCalls.filter((call) => call.path === '/poison').length === 4);
    expect((await t.api.post(`/api/v1/automation/runs/${dead!.id}/cancel`)).status).toBe(409);
  });

  it('sends a step\'s e-mail once when its job is delivered again, and a waiting run does not resume early', async () => {
    expect((await save(workflow({
      name: 'mail_then_wait',
      trigger: { type: 'fieldChanged', object: 'deal', field: 'flag', to: 'mail-once' },
      actions: [
        { type: 'sendEmail', to: { address: 'once@example.com' }, subject: 'Once', body: '{{title}}' },
        { type: 'wait', duration: 'PT1H' },
        { type: 'updateFields', values: { note: 'after the wait' } },
      ],
    }))).status).toBe(201);
    const record = await createDeal({ title: 'Redelivered' });
    await patchDeal(record.id, { flag: 'mail-once' });
    const [run] = await eventually(async () => {
      const runs = await runsOf('mail_then_wait');
      return runs[0]?.status === 'waiting' && runs;
    });
    // Deliver the run's job twice more, as pg-boss would after a lost acknowledgement.
    await t.database.em().transactional(async (trx) => {
      const [row] = await trx.getConnection().execute<Array<{ workspace_id: string }>>('select workspace_id from daicho.workflow_run where id = ?', [run!.id]);
      const db = trx.getKysely() as unknown as Parameters<typeof t.automation.runsDeps.queue.enqueue>[0];
      for (let i = 0; i < 2; i++) await t.automation.runsDeps.queue.enqueue(db, { workspaceId: row!.workspace_id, runId: run!.id });
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(smtp.messages.filter((message) => message.to.includes('once@example.com'))).toHaveLength(1);
    const detail = await t.api.get(`/api/v1/automation/runs/${run!.id}`);
    expect(detail.body.status).toBe('waiting');
    expect(detail.body.steps.map((step: { status: string; attempts: number }) => [step.status, step.attempts])).toEqual([['completed', 1], ['completed', 1]]);
    expect((await t.api.get(`/api/v1/records/deal/${record.id}`)).body.note).toBeNull();
    expect((await t.api.post(`/api/v1/automation/runs/${run!.id}/cancel`)).body.status).toBe('cancelled');
  });

  it('bounds workflows that trigger each other by the depth limit, and warns when they are saved', async () => {
    expect((await save(workflow({
      name: 'ping',
      trigger: { type: 'fieldChanged', object: 'deal', field: 'flag' },
      condition: { field: 'title', op: 'eq', value: 'Loop' },
      actions: [{ type: 'updateFields', values: { mirror: { $field: 'flag' } } }],
    }))).status).toBe(201);
    const pong = await save(workflow({
      name: 'pong',
      trigger: { type: 'fieldChanged', object: 'deal', field: 'mirror' },
      condition: { field: 'title', op: 'eq', value: 'Loop' },
      actions: [{ type: 'updateFields', values: { flag: { $field: 'note' } } }, { type: 'updateFields', values: { note: { $field: 'mirror' } } }],
    }));
    expect(pong.status).toBe(201);
    expect(pong.body.warnings[0]).toMatchObject({ code: 'loop', message: expect.stringContaining('pong → ping → pong') });
    // flag→mirror (ping), mirror→flag and note (pong): values alternate between a and b for ever, but for the guard.
    const record = await createDeal({ title: 'Loop', note: 'b' });
    await patchDeal(record.id, { flag: 'a' });
    const skipped = await eventually(async () => {
      const runs = [...(await runsOf('ping')), ...(await runsOf('pong'))].filter((run) => run.recordId === record.id);
      return runs.find((run) => run.status === 'skipped');
    });
    expect(skipped.error).toMatchObject({ code: 'loop' });
    expect(skipped.depth).toBe(4);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await t.auditSealer.sealPending();
    await t.automation.tick();
    const runs = [...(await runsOf('ping')), ...(await runsOf('pong'))].filter((run) => run.recordId === record.id);
    expect(runs.length).toBeLessThanOrEqual(5);
    await t.api.post('/api/v1/meta/workflows/ping/disable');
  });
});
