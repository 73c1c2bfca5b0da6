// The data-engine benchmark of issue 3: Daichō's records API against a minimal hand-written Koa + pg
// server, same data, same machine, same load. Run: `pnpm bench data-engine`.
// Env: BENCH_DURATION (seconds per case, default 10), BENCH_CASES (run only the cases whose name contains it), BENCH_DEALS (default 200000),
// BENCH_ACCOUNTS (default 10000), DAICHO_BENCH_DATABASE_URL (a server to use; default: the
// local server at 127.0.0.1:5432 when it answers, else an embedded one).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { createTestDatabase } from '@daicho/core/testing';
import { startBenchPostgres } from '../bench-postgres.ts';
import { freePort, startDaichoProcess } from '../../test/support/daicho-process.ts';
import { queryDatabase } from '../../test/support/database-inspection.ts';
import { describeMachine } from '../machine.ts';
import { accountDefinition, dealDefinition, generateAccounts, generateDeals } from './bench-data.ts';
import { setUpScopedManager } from './scoped-role.ts';

const duration = Number(process.env.BENCH_DURATION ?? 10);
/** Only the cases whose name contains this text (for profiling one case); all by default. */
const onlyCases = process.env.BENCH_CASES;
const dealCount = Number(process.env.BENCH_DEALS ?? 200_000);
const accountCount = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
const connections = 32;

interface CaseResult {
  rps: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** CPU time the server process spent per request, in microseconds. */
  cpuPerRequestUs: number;
}

/** User + system CPU time of a process so far, in microseconds (Linux /proc). */
function cpuTimeUs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1_000_000) / 100;
}

async function load(url: string, pid: number, options: Partial<autocannon.Options> & { requests?: autocannon.Request[] }): Promise<CaseResult> {
  const cpuBefore = cpuTimeUs(pid);
  const result = await autocannon({ url, connections, duration, ...options });
  const cpu = cpuTimeUs(pid) - cpuBefore;
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx, cpuPerRequestUs: cpu / Math.max(1, result.requests.total) };
}

async function post(url: string, body: unknown, token?: string, method = 'POST'): Promise<{ status: number; body: any; ms: number }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const started = performance.now();
  const response = await fetch(url, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, ms: performance.now() - started };
}

const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)]!;

async function main(): Promise<void> {
  const server = await startBenchPostgres();
  const database = await createTestDatabase(server.url);
  const daicho = await startDaichoProcess({ DATABASE_URL: database.url, DAICHO_LOG_LEVEL: 'warn', DAICHO_IMPORT_LIMIT: '256mb', ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}) }, 120_000);
  try {
    const password = /password: (\S+)/.exec(daicho.stdout())![1]!;
    const login = await post(`${daicho.url}/api/v1/auth/login`, { workspace: 'demo', email: 'admin@example.com', password });
    const token = login.body.token as string;
    const workspaceId = login.body.user.workspaceId as string;
    const schema = `ws_${workspaceId.replaceAll('-', '')}`;
    for (const definition of [accountDefinition, dealDefinition]) {
      const created = await post(`${daicho.url}/api/v1/meta/objects`, definition, token);
      if (created.status !== 201) throw new Error(`creating ${definition.name}: ${JSON.stringify(created.body)}`);
    }

    const accounts = generateAccounts(accountCount);
    const accountImport = await post(`${daicho.url}/api/v1/records/account/import`, { records: accounts }, token);
    const accountIds = (await queryDatabase<{ id: string }>(database.url, `select id from "${schema}".obj_account`)).map((row) => row.id);
    const importTimes: number[] = [];
    for (let done = 0; done < dealCount; done += 100_000) {
      const batch = generateDeals(Math.min(100_000, dealCount - done), accountIds, done);
      const imported = await post(`${daicho.url}/api/v1/records/deal/import`, { records: batch }, token);
      if (imported.status !== 200) throw new Error(`deal import: ${JSON.stringify(imported.body).slice(0, 500)}`);
      importTimes.push(imported.ms);
    }
    await queryDatabase(database.url, 'vacuum analyze');

    // The baseline's tables: same shape, same rows, same single-column indexes as Daichō's.
    await queryDatabase(database.url, `create schema baseline;
      create table baseline.account as select id, f_name as name from "${schema}".obj_account;
      alter table baseline.account add primary key (id);
      create table baseline.deal as select id, f_title as title, f_account as account_id, f_stage as stage, f_amount as amount, f_amount_cur as amount_cur,
        f_probability as probability, f_close_date as close_date, f_kind as kind, f_source as source, f_next_step as next_step, f_quantity as quantity,
        f_discount as discount, f_renewal as renewal, created_at, updated_at, version from "${schema}".obj_deal;
      alter table baseline.deal add primary key (id);
      alter table baseline.deal alter column created_at set default now(), alter column updated_at set default now(), alter column version set default 1;
      create index on baseline.deal (account_id); create index on baseline.deal (stage); create index on baseline.deal (amount); create index on baseline.deal (close_date);`);
    await queryDatabase(database.url, 'vacuum analyze baseline.deal');
    await queryDatabase(database.url, 'vacuum analyze baseline.account');
    const baselinePort = await freePort();
    const baseline = spawn(process.execPath, [path.join(import.meta.dirname, 'baseline-server.ts'), String(baselinePort), database.url, 'baseline'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => baseline.stdout!.once('data', resolve));
    const baselineUrl = `http://127.0.0.1:${baselinePort}`;

    try {
      const dealIds = (await queryDatabase<{ id: string }>(database.url, `select id from "${schema}".obj_deal order by random() limit 2000`)).map((row) => row.id);
      const stages = ['prospect', 'proposal', 'negotiation', 'won'];
      const auth = { authorization: `Bearer ${token}` };
      const listFilter = () => encodeURIComponent(JSON.stringify({ and: [{ field: 'stage', op: 'eq', value: pick(stages) }, { field: 'amount', op: 'gt', value: Math.floor(Math.random() * 5_000_000) }] }));
      const newDeal = () => JSON.stringify({ title: `Bench ${Math.random()}`, account: pick(accountIds), stage: pick(stages), amount: { amount: 120_000, currency: 'JPY' }, probability: 30, closeDate: '2027-03-31' });
      const cases: Array<{ name: string; list: boolean; daicho: autocannon.Request; baseline: autocannon.Request }> = [
        {
          name: 'get by id', list: false,
          daicho: { method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/records/deal/${pick(dealIds)}` }) },
          baseline: { method: 'GET', setupRequest: (req) => ({ ...req, path: `/deals/${pick(dealIds)}` }) },
        },
        {
          name: 'list: stage = X and amount > T, by close date, 50 rows', list: true,
          daicho: { method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/records/deal?filter=${listFilter()}&sort=closeDate&limit=50` }) },
          baseline: { method: 'GET', setupRequest: (req) => ({ ...req, path: `/deals?stage=${pick(stages)}&minAmount=${Math.floor(Math.random() * 5_000_000)}` }) },
        },
        {
          name: 'the same list with the account name expanded', list: true,
          daicho: { method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/records/deal?filter=${listFilter()}&sort=closeDate&limit=50&expand=account&fields.account=name` }) },
          baseline: { method: 'GET', setupRequest: (req) => ({ ...req, path: `/deals?stage=${pick(stages)}&minAmount=${Math.floor(Math.random() * 5_000_000)}&expand=account` }) },
        },
        {
          name: 'create', list: false,
          daicho: { method: 'POST', path: '/api/v1/records/deal', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: newDeal() }) },
          baseline: { method: 'POST', path: '/deals', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: newDeal() }) },
        },
        {
          name: 'update one field', list: false,
          daicho: { method: 'PATCH', headers: { 'content-type': 'application/json', 'if-match': '*' }, setupRequest: (req) => ({ ...req, path: `/api/v1/records/deal/${pick(dealIds)}`, body: JSON.stringify({ nextStep: `call ${Math.random()}` }) }) },
          baseline: { method: 'PATCH', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, path: `/deals/${pick(dealIds)}`, body: JSON.stringify({ nextStep: `call ${Math.random()}` }) }) },
        },
      ];

      const rows: string[] = [];
      let allMet = true;
      for (const benchCase of cases.filter((candidate) => !onlyCases || candidate.name.includes(onlyCases))) {
        const ours = await load(daicho.url, daicho.child.pid!, { headers: auth, requests: [benchCase.daicho] });
        const theirs = await load(baselineUrl, baseline.pid!, { requests: [benchCase.baseline] });
        const ratio = ours.rps / theirs.rps;
        const met = ratio >= 0.7 && (!benchCase.list || ours.p99 < 50) && ours.errors + ours.non2xx === 0;
        allMet &&= met;
        rows.push(`| ${benchCase.name} | ${ours.rps.toFixed(0)} | ${ours.p99} | ${ours.cpuPerRequestUs.toFixed(0)} | ${theirs.rps.toFixed(0)} | ${theirs.p99} | ${theirs.cpuPerRequestUs.toFixed(0)} | ${ratio.toFixed(2)}× | ${met ? 'met' : 'NOT met'}${ours.non2xx + ours.errors > 0 ? ` (${ours.non2xx} non-2xx, ${ours.errors} errors)` : ''} |`);
      }
      // Issue 4: the same list as a manager limited by the role hierarchy and a sharing rule.
      const runs = (name: string) => !onlyCases || name.includes(onlyCases);
      let scopedLine = 'list as a scoped manager: not run';
      if (runs('list as a scoped manager')) {
        const manager = await setUpScopedManager({ url: daicho.url, adminToken: token, databaseUrl: database.url, schema, workspaceId, post });
        const listRequest: autocannon.Request = { method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/records/deal?filter=${listFilter()}&sort=closeDate&limit=50` }) };
        const asAdmin = await load(daicho.url, daicho.child.pid!, { headers: auth, requests: [listRequest] });
        const asManager = await load(daicho.url, daicho.child.pid!, { headers: { authorization: `Bearer ${manager.token}` }, requests: [listRequest] });
        const scopedRatio = asManager.rps / asAdmin.rps;
        const scopedMet = scopedRatio >= 0.8 && asManager.errors + asManager.non2xx === 0;
        allMet &&= scopedMet;
        scopedLine = `list as a scoped manager (sees ${(manager.visibleShare * 100).toFixed(0)} % of deals: 5 of 20 reps below them, and won deals through a sharing rule): ${asManager.rps.toFixed(0)} req/s, p99 ${asManager.p99} ms, ${asManager.cpuPerRequestUs.toFixed(0)} CPU µs/req; as admin ${asAdmin.rps.toFixed(0)} req/s, p99 ${asAdmin.p99} ms — ratio ${scopedRatio.toFixed(2)}×, target ≥ 0.8×: ${scopedMet ? 'met' : 'NOT met'}${asManager.non2xx + asManager.errors > 0 ? ` (${asManager.non2xx} non-2xx, ${asManager.errors} errors)` : ''}`;
      }
      const baselineImport = await post(`${baselineUrl}/deals/import`, { records: generateDeals(100_000, accountIds, dealCount) });
      const online = runs('online field add') ? await measureOnlineChange(daicho.url, token, dealIds) : undefined;
      const importMs = importTimes.at(-1)!;
      allMet &&= importMs < 10_000;

      console.log(`machine: ${describeMachine()}`);
      console.log(`data: ${accountCount} accounts, ${dealCount} deals (12 typed fields and a lookup); ${connections} connections, ${duration} s per case`);
      console.log('');
      console.log('| case | Daichō req/s | Daichō p99 ms | Daichō CPU µs/req | baseline req/s | baseline p99 ms | baseline CPU µs/req | ratio | target |');
      console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
      for (const row of rows) console.log(row);
      console.log('');
      console.log(`bulk import of 100,000 deals: Daichō ${(importMs / 1000).toFixed(2)} s (all imports: ${importTimes.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s), baseline ${(baselineImport.ms / 1000).toFixed(2)} s — target < 10 s: ${importMs < 10_000 ? 'met' : 'NOT met'}`);
      console.log(scopedLine);
      console.log(`accounts import (${accountCount}): ${(accountImport.ms / 1000).toFixed(2)} s`);
      if (online) console.log(`adding an indexed field to the ${dealCount}-row deal table: ${online.changeMs.toFixed(0)} ms for the change; while it ran, ${online.writes} updates, slowest ${online.slowestWriteMs.toFixed(0)} ms, ${online.failedWrites} failed`);
      console.log(allMet ? 'all targets met' : 'some targets NOT met');
    } finally {
      baseline.kill('SIGTERM');
    }
  } finally {
    daicho.child.kill('SIGTERM');
    await daicho.exited;
    await database.drop();
    await server.stop();
  }
}

/**
 * Adds an indexed field to the deal table while another client keeps updating deals, and reports
 * how long the change took and how long the slowest concurrent write waited (decision 0005).
 */
async function measureOnlineChange(url: string, token: string, dealIds: readonly string[]): Promise<{ changeMs: number; writes: number; slowestWriteMs: number; failedWrites: number }> {
  let running = true;
  let writes = 0;
  let failedWrites = 0;
  let slowestWriteMs = 0;
  const writer = (async () => {
    while (running) {
      const started = performance.now();
      const response = await fetch(`${url}/api/v1/records/deal/${pick(dealIds)}`, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': '*' }, body: JSON.stringify({ nextStep: 'during change' }) });
      await response.arrayBuffer();
      slowestWriteMs = Math.max(slowestWriteMs, performance.now() - started);
      writes += 1;
      if (response.status !== 200) failedWrites += 1;
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const change = await post(`${url}/api/v1/meta/objects/deal/fields`, { name: 'region', type: 'text', labels: { en: 'Region' }, indexed: true }, token);
  if (change.status !== 201) throw new Error(`adding a field: ${JSON.stringify(change.body)}`);
  await new Promise((resolve) => setTimeout(resolve, 300));
  running = false;
  await writer;
  return { changeMs: change.ms, writes, slowestWriteMs, failedWrites };
}

export const benchDataEngine = main;
if (import.meta.main) await main();
