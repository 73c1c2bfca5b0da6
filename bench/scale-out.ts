// Mixed CRM traffic against one node and against two api nodes plus two workers on one PostgreSQL
// (issue 10). Run: `pnpm bench scale-out` (BENCH_DURATION seconds per layout, default 15;
// BENCH_DEALS, default 20,000).
//
// Traffic, per connection in turn: read a deal, list deals by stage, update a deal, read a deal,
// create a deal, list with the account expanded; a workflow on deal creation stamps a field, so
// workers have work. Each api node gets half of the connections (a load balancer's round robin).
import autocannon from 'autocannon';
import { createTestDatabase } from '@daicho/core/testing';
import { makeDataDir, startDaichoProcess, type DaichoProcess } from '../test/support/daicho-process.ts';
import { queryDatabase } from '../test/support/database-inspection.ts';
import { startBenchPostgres } from './bench-postgres.ts';
import { accountDefinition, dealDefinition, generateAccounts, generateDeals } from './data-engine/bench-data.ts';
import { requestJson } from './http.ts';
import { describeMachine } from './machine.ts';

const duration = Number(process.env.BENCH_DURATION ?? 15);
const dealCount = Number(process.env.BENCH_DEALS ?? 20_000);
const connections = 32;

const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)]!;

export async function benchScaleOut(): Promise<void> {
  const server = await startBenchPostgres();
  const rows: string[] = [];
  try {
    for (const layout of [{ api: 0, worker: 0, all: 1 }, { api: 2, worker: 2, all: 0 }]) {
      const database = await createTestDatabase(server.url);
      const nodes: DaichoProcess[] = [];
      const shared = { DATABASE_URL: database.url, DAICHO_SECRET_KEY: 'a'.repeat(64), DAICHO_LOG_LEVEL: 'warn' };
      try {
        // The first node migrates and seeds; the rest start together.
        const roles = [...Array(layout.all).fill('all'), ...Array(layout.api).fill('api'), ...Array(layout.worker).fill('worker')] as string[];
        nodes.push(await startDaichoProcess({ ...shared, DAICHO_ROLE: roles[0]!, DAICHO_DATA_DIR: await makeDataDir(), DAICHO_IMPORT_LIMIT: '128mb' }, 120_000));
        nodes.push(...await Promise.all(roles.slice(1).map(async (role) => startDaichoProcess({ ...shared, DAICHO_ROLE: role, DAICHO_DATA_DIR: await makeDataDir() }, 120_000))));
        const serving = nodes.filter((_, index) => roles[index] !== 'worker');
        const first = serving[0]!;
        const password = /password: (\S+)/.exec(nodes[0]!.stdout())![1]!;
        const { token, user } = await requestJson(first.url, '/api/v1/auth/login', { workspace: 'demo', email: 'admin@example.com', password });
        for (const definition of [accountDefinition, dealDefinition]) await requestJson(first.url, '/api/v1/meta/objects', definition, token);
        await requestJson(first.url, '/api/v1/records/account/import', { records: generateAccounts(1000) }, token);
        const schema = `ws_${(user.workspaceId as string).replaceAll('-', '')}`;
        const accountIds = (await queryDatabase<{ id: string }>(database.url, `select id from "${schema}".obj_account`)).map((row) => row.id);
        await requestJson(first.url, '/api/v1/records/deal/import', { records: generateDeals(dealCount, accountIds) }, token);
        await queryDatabase(database.url, 'vacuum analyze');
        // Saved after the imports: a workflow fires only on changes made after it was first saved.
        await requestJson(first.url, '/api/v1/meta/workflows/stamp_new_deal', {
          name: 'stamp_new_deal', labels: { en: 'Stamp new deal' },
          trigger: { type: 'recordCreated', object: 'deal' },
          actions: [{ type: 'updateFields', values: { nextStep: 'qualify' } }],
        }, token, 'PUT');
        const dealIds = (await queryDatabase<{ id: string }>(database.url, `select id from "${schema}".obj_deal order by random() limit 2000`)).map((row) => row.id);
        // Definitions reach every node before the load starts.
        await new Promise((resolve) => setTimeout(resolve, 1500));

        const stages = ['prospect', 'proposal', 'negotiation', 'won'];
        const byStage = () => encodeURIComponent(JSON.stringify({ field: 'stage', op: 'eq', value: pick(stages) }));
        const requests: autocannon.Request[] = [
          { method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/records/deal/${pick(dealIds)}` }) },
          { method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/records/deal?filter=${byStage()}&sort=closeDate&limit=50` }) },
          { method: 'PATCH', headers: { 'content-type': 'application/json', 'if-match': '*' }, setupRequest: (req) => ({ ...req, path: `/api/v1/records/deal/${pick(dealIds)}`, body: JSON.stringify({ nextStep: `call ${Math.random()}` }) }) },
          { method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/records/deal/${pick(dealIds)}` }) },
          { method: 'POST', path: '/api/v1/records/deal', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: JSON.stringify({ title: `Load ${Math.random()}`, account: pick(accountIds), stage: pick(stages), amount: { amount: 50_000, currency: 'JPY' } }) }) },
          { method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/records/deal?filter=${byStage()}&limit=20&expand=account&fields.account=name` }) },
        ];
        const runsBefore = Number((await queryDatabase<{ n: string }>(database.url, `select count(*) as n from daicho.workflow_run where status = 'completed'`))[0]!.n);
        const results = await Promise.all(serving.map((node) => autocannon({
          url: node.url, connections: Math.round(connections / serving.length), duration, headers: { authorization: `Bearer ${token}` }, requests,
        })));
        // Workers finish what the load queued (bounded).
        const loadEnded = Date.now();
        let runsAfter = runsBefore;
        const [{ created }] = (await queryDatabase<{ created: string }>(database.url, `select count(*) as created from "${schema}".obj_deal where f_title like 'Load %'`)) as [{ created: string }];
        for (;;) {
          const [counts] = await queryDatabase<{ done: string }>(database.url, `select count(*) filter (where status = 'completed') as done from daicho.workflow_run`);
          runsAfter = Number(counts!.done);
          if (runsAfter - runsBefore >= Number(created) || Date.now() - loadEnded > 120_000) break;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        const drainS = (Date.now() - loadEnded) / 1000;
        const total = results.reduce((sum, result) => sum + result.requests.total, 0);
        const failed = results.reduce((sum, result) => sum + result.errors + result.non2xx, 0);
        const p99 = Math.max(...results.map((result) => result.latency.p99));
        const name = layout.all ? '1 node (all)' : `${layout.api} api + ${layout.worker} workers`;
        rows.push(`| ${name} | ${Math.round(total / duration)} | ${p99} ms | ${failed} | ${runsAfter - runsBefore} of ${created} | ${drainS.toFixed(1)} s |`);
      } finally {
        await Promise.all(nodes.map(async (node) => {
          node.child.kill('SIGTERM');
          await node.exited;
        }));
        await database.drop();
      }
    }
  } finally {
    await server.stop();
  }
  console.log(describeMachine());
  console.log(`mixed traffic, ${connections} connections, ${duration} s, ${dealCount} deals; a workflow on every created deal`);
  console.log('| layout | requests/s | p99 (slowest node) | failed | workflow runs completed | drain after load |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
}
