// The escalation benchmark of issue 5: open records each with a pending escalation step due
// within a window; how late the steps fire (the timer poller starts their runs) and how late the
// runs start and finish on the workers, and what the poller costs when nothing is due.
// Run: `pnpm bench escalations`. Env: BENCH_ESCALATIONS (records, default 5000; the issue's
// figure is 100000), BENCH_WINDOW (seconds over which the due times spread, default 10),
// BENCH_DRAIN (0: stop once every step has fired, without waiting for the workers to run them),
// BENCH_DRAIN_TIMEOUT (seconds to wait, default 900), DAICHO_BENCH_DATABASE_URL.
import type { BusinessCalendarDefinition, EscalationRuleDefinition, ObjectDefinition } from '@daicho/sdk';
import { startTestDaicho } from '@daicho/core/testing';
import { queryDatabase } from '../test/support/database-inspection.ts';
import { startBenchPostgres } from './bench-postgres.ts';
import { describeMachine } from './machine.ts';

const count = Number(process.env.BENCH_ESCALATIONS ?? 5000);
const windowMs = Number(process.env.BENCH_WINDOW ?? 10) * 1000;
const drainTimeoutMs = Number(process.env.BENCH_DRAIN_TIMEOUT ?? 900) * 1000;
const drain = process.env.BENCH_DRAIN !== '0';

const caseObject: ObjectDefinition = {
  name: 'case',
  labels: { en: 'Case' },
  titleField: 'title',
  fields: [
    { name: 'title', type: 'text', labels: { en: 'Title' }, required: true },
    { name: 'status', type: 'picklist', labels: { en: 'Status' }, values: ['open', 'waitingOnCustomer', 'closed'].map((value) => ({ value, labels: { en: value } })) },
    { name: 'openedAt', type: 'datetime', labels: { en: 'Opened' } },
    { name: 'escalated', type: 'text', labels: { en: 'Escalated' } },
  ],
};
const allDay = [{ start: '00:00', end: '24:00' }];
const always: BusinessCalendarDefinition = {
  name: 'always', labels: { en: 'Always open' }, closedOnJapaneseHolidays: false, yearEndClosure: false,
  weeklyHours: { monday: allDay, tuesday: allDay, wednesday: allDay, thursday: allDay, friday: allDay, saturday: allDay, sunday: allDay },
};
const rule: EscalationRuleDefinition = {
  name: 'bench_escalation', labels: { en: 'Bench escalation' }, object: 'case', calendar: 'always',
  condition: { field: 'status', op: 'ne', value: 'closed' }, from: { field: 'openedAt' }, pause: { field: 'status', values: ['waitingOnCustomer'] },
  steps: [{ after: { amount: 1, unit: 'businessHours' }, actions: [{ type: 'updateFields', values: { escalated: 'yes' } }] }],
};

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const describe = (label: string, values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `${label.padEnd(34)} p50 ${percentile(sorted, 50).toFixed(0).padStart(6)} ms  p99 ${percentile(sorted, 99).toFixed(0).padStart(6)} ms  max ${(sorted.at(-1) ?? Number.NaN).toFixed(0).padStart(6)} ms`;
};

export async function benchEscalations(): Promise<void> {
  const postgres = await startBenchPostgres();
  const t = await startTestDaicho({ serverUrl: postgres.url, env: { DAICHO_LOG_LEVEL: 'warn', DAICHO_IMPORT_LIMIT: '256mb' } });
  try {
    const url = t.testDatabase.url;
    for (const [path, body] of [['/api/v1/meta/objects', caseObject]] as const) if ((await t.api.post(path, body)).status !== 201) throw new Error(`creating ${path}`);
    if ((await t.api.put('/api/v1/meta/business-calendars/always', always)).status !== 201) throw new Error('creating the calendar');
    // Opened far in the future, so the backfill plans every step as pending; the due times are then
    // moved into the window (the bench's clock), as if the records had been opened an hour before.
    const importStarted = performance.now();
    for (let at = 0; at < count; at += 10_000) {
      const records = Array.from({ length: Math.min(10_000, count - at) }, (_, index) => ({ title: `Case ${at + index}`, status: 'open', openedAt: '2099-01-01T00:00:00Z' }));
      const imported = await t.api.post('/api/v1/records/case/import', { records });
      if (imported.status !== 200) throw new Error(`import: ${JSON.stringify(imported.body).slice(0, 300)}`);
    }
    // Every import event sealed before the rule is saved: the change feed starts after them.
    const sealedAll = async () => {
      await t.auditSealer.sealPending();
      const [unsealed] = await queryDatabase<{ n: string }>(url, 'select count(*) as n from daicho.audit_event where chain_position is null');
      return Number(unsealed!.n) === 0;
    };
    while (!(await sealedAll())) await sleep(200);
    const importMs = performance.now() - importStarted;
    const backfillStarted = performance.now();
    if ((await t.api.put('/api/v1/meta/escalation-rules/bench_escalation', rule)).status !== 201) throw new Error('saving the rule');
    for (;;) {
      // A round that loses a deadlock to the change feed is retried, as the nodes' timer does.
      await t.automation.tick().catch((error: unknown) => console.warn(`a backfill round failed and is retried: ${(error as Error).message}`));
      const [left] = await queryDatabase<{ n: string }>(url, 'select count(*) as n from daicho.automation_backfill');
      if (Number(left!.n) === 0) break;
    }
    const backfillMs = performance.now() - backfillStarted;
    const [planned] = await queryDatabase<{ n: string }>(url, `select count(*) as n from daicho.automation_timer where state = 'pending'`);
    if (Number(planned!.n) !== count) throw new Error(`expected ${count} pending timers, found ${planned!.n}`);

    // The change feed caught up (nothing but the rule's own backfill planned these records).
    for (;;) {
      const [feed] = await queryDatabase<{ behind: boolean }>(url, `select coalesce((select position from daicho.audit_chain limit 1), 0) > coalesce((select position from daicho.automation_cursor limit 1), 0) as behind`);
      if (!feed!.behind && (await sealedAll())) break;
      await sleep(200);
    }
    // The bench's clock: records opened an hour before their due time, spread over the window
    // (the records, their clocks and their timers moved together, so re-planning agrees).
    const start = Date.now() + 2000;
    const [{ table_schema: schema } = { table_schema: '' }] = await queryDatabase<{ table_schema: string }>(url, `select table_schema from information_schema.tables where table_name = 'obj_case'`);
    await queryDatabase(url, `update "${schema}".obj_case c set f_opened_at = $1::timestamptz - interval '1 hour' + (r.position * $2::float8) * interval '1 millisecond'
      from (select id, row_number() over (order by id) - 1 as position from "${schema}".obj_case) r where c.id = r.id`, [new Date(start), windowMs / count]);
    await queryDatabase(url, `update daicho.escalation_clock k set started_at = c.f_opened_at, running_since = c.f_opened_at from "${schema}".obj_case c where k.record_id = c.id`);
    await queryDatabase(url, `update daicho.automation_timer t set due_at = c.f_opened_at + interval '1 hour' from "${schema}".obj_case c where t.record_id = c.id`);
    const cpuBefore = process.cpuUsage();
    const deadline = Date.now() + windowMs + drainTimeoutMs;
    for (;;) {
      await sleep(500);
      const [state] = await queryDatabase<{ pending: string; unfinished: string }>(url, `select
          (select count(*) from daicho.automation_timer where state = 'pending') as pending,
          (select count(*) from daicho.workflow_run where status not in ('completed', 'deadLetter', 'cancelled', 'skipped')) as unfinished`);
      if (Number(state!.pending) === 0 && (!drain || Number(state!.unfinished) === 0)) break;
      if (Date.now() > deadline) throw new Error(`timed out: ${state!.pending} timers pending, ${state!.unfinished} runs unfinished`);
    }
    const drainedAfterWindowMs = Date.now() - (start + windowMs);
    const cpu = process.cpuUsage(cpuBefore);
    const rows = await queryDatabase<{ fire: number; start: number; done: number }>(url, `select
        extract(epoch from (t.fired_at - t.due_at)) * 1000 as fire,
        extract(epoch from (r.started_at - t.due_at)) * 1000 as start,
        extract(epoch from (r.finished_at - t.due_at)) * 1000 as done
      from daicho.automation_timer t join daicho.workflow_run r on r.id = t.run_id`);
    const finished = (key: 'start' | 'done') => rows.map((row) => row[key]).filter((value) => value !== null).map(Number);
    const [statuses] = await queryDatabase<{ completed: string; other: string }>(url, `select count(*) filter (where status = 'completed') as completed, count(*) filter (where status <> 'completed') as other from daicho.workflow_run`);
    // The poller's cost when nothing is due: one indexed query per node and interval.
    const idleStarted = performance.now();
    for (let i = 0; i < 200; i++) await t.automation.fireDueTimers();
    const idleMs = (performance.now() - idleStarted) / 200;

    console.log(describeMachine());
    console.log(`${count} open records with one pending escalation step each, due over ${windowMs / 1000} s; poller every 250 ms (DAICHO_AUTOMATION_TIMER_INTERVAL), batches of 500`);
    console.log(`import ${(importMs / 1000).toFixed(1)} s; backfill (plan ${count} timers on rule save) ${(backfillMs / 1000).toFixed(1)} s (${Math.round(count / (backfillMs / 1000))} records/s)`);
    console.log(`runs: ${statuses!.completed} completed, ${statuses!.other} other; ${drain ? 'all done' : 'all fired'} ${(drainedAfterWindowMs / 1000).toFixed(1)} s after the window closed`);
    console.log(describe('due → fired (run recorded, queued)', rows.map((row) => Number(row.fire))));
    console.log(describe(`due → run started on a worker (${finished('start').length})`, finished('start')));
    console.log(describe(`due → step done, record updated (${finished('done').length})`, finished('done')));
    console.log(`process CPU while firing and running: ${((cpu.user + cpu.system) / 1000 / ((drainedAfterWindowMs + windowMs) / 1000) / 10).toFixed(0)} % of one core; idle poll ${idleMs.toFixed(2)} ms`);
  } finally {
    await t.close();
    await postgres.stop();
  }
}

if (import.meta.main) await benchEscalations();
