// The automation benchmark of issue 5: record creates on one object with no workflows, then with
// three enabled workflows on that object, same data, same load; then how long the queue takes to
// drain after the load and the lag from a change to its run's start. Run: `pnpm bench automation`.
// Env: BENCH_DURATION (seconds of load per case, default 10), BENCH_DEALS (deals imported before
// each case, default 20000), BENCH_DRAIN_TIMEOUT (seconds to wait for the queue, default 600),
// DAICHO_BENCH_DATABASE_URL (a server to use; default: the local server at 127.0.0.1:5432 when it
// answers, else an embedded one).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import type { ObjectDefinition, WorkflowDefinition } from '@daicho/sdk';
import { createTestDatabase } from '@daicho/core/testing';
import { startBenchPostgres } from './bench-postgres.ts';
import { startDaichoProcess } from '../test/support/daicho-process.ts';
import { queryDatabase, workspaceSchema } from '../test/support/database-inspection.ts';
import { accountDefinition, dealDefinition, generateAccounts, generateDeals } from './data-engine/bench-data.ts';
import { describeMachine } from './machine.ts';

const duration = Number(process.env.BENCH_DURATION ?? 10);
const dealCount = Number(process.env.BENCH_DEALS ?? 20_000);
const drainTimeoutMs = Number(process.env.BENCH_DRAIN_TIMEOUT ?? 600) * 1000;
const connections = 32;

const taskDefinition: ObjectDefinition = {
  name: 'task',
  labels: { en: 'Task' },
  titleField: 'title',
  fields: [
    { name: 'title', type: 'text', labels: { en: 'Title' }, required: true },
    { name: 'deal', type: 'lookup', target: 'deal', labels: { en: 'Deal' } },
  ],
};

/** Three workflows on deal: on create → updateFields; that field changed → createRecord of a task; on create with a condition → webhook. */
const workflows = (hookUrl: string): WorkflowDefinition[] => [
  {
    name: 'bench_qualify', labels: { en: 'Qualify new deals' },
    trigger: { type: 'recordCreated', object: 'deal' },
    actions: [{ type: 'updateFields', values: { nextStep: 'Qualify' } }],
  },
  {
    name: 'bench_follow_up', labels: { en: 'Follow-up task' },
    trigger: { type: 'fieldChanged', object: 'deal', field: 'nextStep', to: 'Qualify' },
    actions: [{ type: 'createRecord', object: 'task', values: { title: { $field: 'title' }, deal: { $field: 'id' } } }],
  },
  {
    name: 'bench_big_deal', labels: { en: 'Big deal webhook' },
    trigger: { type: 'recordCreated', object: 'deal' },
    condition: { field: 'quantity', op: 'gte', value: 50 },
    actions: [{ type: 'webhook', url: `${hookUrl}/big-deal` }],
  },
];

async function post(url: string, body: unknown, token?: string, method = 'POST'): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(url, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface CaseResult {
  rps: number;
  p99: number;
  created: number;
  failures: number;
  drain?: { runs: number; byStatus: Record<string, number>; lastRunAfterLoadMs: number; p50LagMs: number; p99LagMs: number; maxLagMs: number; webhookCalls: number };
}

async function runCase(serverUrl: string, withWorkflows: boolean, hook: { url: string; calls: () => number }): Promise<CaseResult> {
  const database = await createTestDatabase(serverUrl);
  const daicho = await startDaichoProcess({ DATABASE_URL: database.url, DAICHO_LOG_LEVEL: 'warn', DAICHO_IMPORT_LIMIT: '256mb' }, 120_000);
  try {
    const password = /password: (\S+)/.exec(daicho.stdout())![1]!;
    const login = await post(`${daicho.url}/api/v1/auth/login`, { workspace: 'demo', email: 'admin@example.com', password });
    const token = login.body.token as string;
    const schema = workspaceSchema(login.body.user.workspaceId as string);
    for (const definition of [accountDefinition, dealDefinition, taskDefinition]) {
      const created = await post(`${daicho.url}/api/v1/meta/objects`, definition, token);
      if (created.status !== 201) throw new Error(`creating ${definition.name}: ${JSON.stringify(created.body)}`);
    }
    await post(`${daicho.url}/api/v1/records/account/import`, { records: generateAccounts(1000) }, token);
    const accountIds = (await queryDatabase<{ id: string }>(database.url, `select id from "${schema}".obj_account`)).map((row) => row.id);
    const imported = await post(`${daicho.url}/api/v1/records/deal/import`, { records: generateDeals(dealCount, accountIds) }, token);
    if (imported.status !== 200) throw new Error(`deal import: ${JSON.stringify(imported.body).slice(0, 500)}`);
    // Let the sealer catch up with the import first: the change feed starts at the sealed head of the
    // trail when the first workflow is saved, so events still unsealed then would fire it.
    await sleep(3000);
    if (withWorkflows) {
      for (const workflow of workflows(hook.url)) {
        const saved = await post(`${daicho.url}/api/v1/meta/workflows/${workflow.name}`, workflow, token, 'PUT');
        if (saved.status !== 201) throw new Error(`saving ${workflow.name}: ${JSON.stringify(saved.body)}`);
      }
    }
    // Start from a quiet database.
    await sleep(1000);
    await queryDatabase(database.url, 'vacuum analyze');

    let counter = 0;
    const newDeal = () => {
      counter += 1;
      return JSON.stringify({ title: `Bench ${counter}`, account: accountIds[counter % accountIds.length], stage: 'prospect', amount: { amount: 120_000, currency: 'JPY' }, probability: 30, closeDate: '2027-03-31', quantity: 1 + (counter % 100) });
    };
    const hookCallsBefore = hook.calls();
    const result = await autocannon({
      url: daicho.url, connections, duration, headers: { authorization: `Bearer ${token}` },
      requests: [{ method: 'POST', path: '/api/v1/records/deal', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: newDeal() }) }],
    });
    const [{ load_end: loadEnd } = { load_end: new Date() }] = await queryDatabase<{ load_end: Date }>(database.url, 'select clock_timestamp() as load_end');
    const created = result['2xx'];
    const outcome: CaseResult = { rps: result.requests.average, p99: result.latency.p99, created, failures: result.errors + result.non2xx };
    if (!withWorkflows) return outcome;

    // Drained: every event sealed and read by the dispatcher, and no run left to do, twice in a row
    // (a run's own change starts the next workflow's run a moment later).
    const deadline = Date.now() + drainTimeoutMs;
    let quietChecks = 0;
    while (quietChecks < 2) {
      if (Date.now() > deadline) throw new Error('the queue did not drain in time');
      await sleep(250);
      const [state] = await queryDatabase<{ unsealed: string; behind: boolean; pending: string }>(database.url, `select
        (select count(*) from daicho.audit_event where chain_position is null) as unsealed,
        coalesce((select c.position < h.position from daicho.automation_cursor c join daicho.audit_chain h using (workspace_id)), false) as behind,
        (select count(*) from daicho.workflow_run where status in ('queued', 'running', 'waiting')) as pending`);
      quietChecks = Number(state!.unsealed) === 0 && !state!.behind && Number(state!.pending) === 0 ? quietChecks + 1 : 0;
    }
    const statuses = await queryDatabase<{ status: string; n: string }>(database.url, 'select status, count(*) as n from daicho.workflow_run group by status');
    const [lag] = await queryDatabase<{ runs: string; last_ms: number; p50: number; p99: number; max: number }>(database.url, `select count(*) as runs,
        extract(epoch from max(r.finished_at) - $1::timestamptz) * 1000 as last_ms,
        percentile_cont(0.5) within group (order by extract(epoch from r.started_at - e.occurred_at) * 1000) as p50,
        percentile_cont(0.99) within group (order by extract(epoch from r.started_at - e.occurred_at) * 1000) as p99,
        max(extract(epoch from r.started_at - e.occurred_at) * 1000) as max
      from daicho.workflow_run r join daicho.audit_event e on e.id = r.audit_event_id`, [loadEnd]);
    outcome.drain = {
      runs: Number(lag!.runs),
      byStatus: Object.fromEntries(statuses.map((row) => [row.status, Number(row.n)])),
      lastRunAfterLoadMs: Number(lag!.last_ms),
      p50LagMs: Number(lag!.p50),
      p99LagMs: Number(lag!.p99),
      maxLagMs: Number(lag!.max),
      webhookCalls: hook.calls() - hookCallsBefore,
    };
    // Requests in flight when the load stopped are not counted by autocannon but were served: count rows.
    const [counts] = await queryDatabase<{ deals: string; tasks: string }>(database.url, `select (select count(*) from "${schema}".obj_deal) - ${dealCount} as deals, (select count(*) from "${schema}".obj_task) as tasks`);
    if (counts!.deals !== counts!.tasks) console.warn(`warning: ${counts!.deals} deals created under load, ${counts!.tasks} follow-up tasks`);
    return outcome;
  } finally {
    daicho.child.kill('SIGTERM');
    await daicho.exited;
    await database.drop();
  }
}

async function main(): Promise<void> {
  const server = await startBenchPostgres();
  let calls = 0;
  const hooks = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      calls += 1;
      response.statusCode = 204;
      response.end();
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  const hook = { url: `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`, calls: () => calls };
  try {
    const machineBefore = describeMachine();
    const without = await runCase(server.url, false, hook);
    const withThree = await runCase(server.url, true, hook);
    const ratio = withThree.rps / without.rps;
    const drain = withThree.drain!;
    console.log(`machine: ${machineBefore}`);
    console.log(`after the run: ${describeMachine()}`);
    console.log(`data: ${dealCount} deals imported before each case (12 typed fields and a lookup to one of 1000 accounts); POST /api/v1/records/deal, ${connections} connections, ${duration} s per case`);
    console.log('');
    console.log('| case | creates/s | p99 ms | created | failed |');
    console.log('| --- | --- | --- | --- | --- |');
    console.log(`| no workflows | ${without.rps.toFixed(0)} | ${without.p99} | ${without.created} | ${without.failures} |`);
    console.log(`| three enabled workflows on deal | ${withThree.rps.toFixed(0)} | ${withThree.p99} | ${withThree.created} | ${withThree.failures} |`);
    console.log('');
    console.log(`ratio with / without: ${ratio.toFixed(2)}× — target ≥ 0.7×: ${ratio >= 0.7 ? 'met' : 'NOT met'}`);
    console.log(`runs: ${drain.runs} (${Object.entries(drain.byStatus).map(([status, n]) => `${n} ${status}`).join(', ')}), webhook calls received: ${drain.webhookCalls}`);
    console.log(`queue drained: the last run completed ${(drain.lastRunAfterLoadMs / 1000).toFixed(1)} s after the load ended`);
    console.log(`lag from record change to run start: p50 ${(drain.p50LagMs / 1000).toFixed(2)} s, p99 ${(drain.p99LagMs / 1000).toFixed(2)} s, max ${(drain.maxLagMs / 1000).toFixed(2)} s`);
  } finally {
    hooks.close();
    await server.stop();
  }
}

export const benchAutomation = main;
if (import.meta.main) await main();
