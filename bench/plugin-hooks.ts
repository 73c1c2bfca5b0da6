// What a plugin's before-save hook adds to a record write (issue 6: ≤ 0.3 ms median on a warm
// isolate), and the throughput of a plugin workflow action. Run: `pnpm bench plugin-hooks`
// (BENCH_WRITES sequential writes per case, default 2,000; BENCH_RUNS workflow runs, default 500).
//
// Daichō runs as its own process. Two objects of the same shape: `ticket`, which a plugin hooks
// (beforeCreate sets a field), and `note`, which nothing hooks. Writes go one at a time, so the
// difference of the medians is the hook's cost per write (IPC to the runner, the isolate call,
// the JSON checks and the re-validation of what it set).
import type { ObjectDefinition, PluginManifest } from '@daicho/sdk';
import { createTestDatabase } from '@daicho/core/testing';
import { makeDataDir, startDaichoProcess } from '../test/support/daicho-process.ts';
import { queryDatabase } from '../test/support/database-inspection.ts';
import { buildPluginPackage, uploadPlugin } from '../test/support/plugin-packages.ts';
import { startBenchPostgres } from './bench-postgres.ts';
import { requestJson } from './http.ts';
import { describeMachine, median, percentile } from './machine.ts';

const writes = Number(process.env.BENCH_WRITES ?? 2000);
const runs = Number(process.env.BENCH_RUNS ?? 500);

const objectNamed = (name: string): ObjectDefinition => ({
  name, labels: { en: name }, titleField: 'title',
  fields: [
    { name: 'title', type: 'text', labels: { en: 'Title' }, required: true },
    { name: 'priority', type: 'picklist', labels: { en: 'Priority' }, values: [{ value: 'low', labels: { en: 'Low' } }, { value: 'high', labels: { en: 'High' } }] },
    { name: 'stamp', type: 'text', labels: { en: 'Stamp' } },
  ],
});

const manifest: PluginManifest = {
  id: 'bench.hooks', version: '1.0.0', publisher: 'bench', displayName: { en: 'Bench hooks' }, description: { en: 'Stamps tickets.' },
  engines: { daicho: '>=0.1.0' }, permissions: ['records.read:ticket', 'records.write:ticket'], main: 'dist/plugin.js',
  contributes: {
    recordHooks: [{ object: 'ticket', events: ['beforeCreate'] }],
    workflowActions: [{ type: 'bench.hooks.score', labels: { en: 'Score' }, inputSchema: { type: 'object', properties: { title: { type: 'string' } } } }],
  },
};

const source = `
export default {
  hooks: { ticket: { beforeCreate: (input) => ({ set: { stamp: 'hooked ' + input.record.title.length } }) } },
  actions: { 'bench.hooks.score': (input) => ({ score: (input.title || '').length }) },
};`;

async function timeWrites(url: string, token: string, object: string, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    await requestJson(url, `/api/v1/records/${object}`, { title: `Write ${index}`, priority: 'high' }, token);
    times.push(performance.now() - started);
  }
  return times;
}

export async function benchPluginHooks(): Promise<void> {
  const server = await startBenchPostgres();
  const database = await createTestDatabase(server.url);
  const daicho = await startDaichoProcess({ DATABASE_URL: database.url, DAICHO_DATA_DIR: await makeDataDir() }, 120_000);
  try {
    const password = /password: (\S+)/.exec(daicho.stdout())![1]!;
    const { token } = await requestJson(daicho.url, '/api/v1/auth/login', { workspace: 'demo', email: 'admin@example.com', password });
    for (const name of ['ticket', 'note']) await requestJson(daicho.url, '/api/v1/meta/objects', objectNamed(name), token);
    const installed = await uploadPlugin(daicho.url, token, '/api/v1/plugins?grant=all', await buildPluginPackage(manifest, source));
    if (installed.status !== 201) throw new Error(`install: ${JSON.stringify(installed.body)}`);

    // Warm both paths (the isolate is created on the first call), then alternate rounds.
    await timeWrites(daicho.url, token, 'ticket', 50);
    await timeWrites(daicho.url, token, 'note', 50);
    const hooked: number[] = [];
    const plain: number[] = [];
    for (let round = 0; round < 4; round++) {
      plain.push(...await timeWrites(daicho.url, token, 'note', writes / 4));
      hooked.push(...await timeWrites(daicho.url, token, 'ticket', writes / 4));
    }

    const sample = await requestJson(daicho.url, '/api/v1/records/ticket?limit=1', undefined, token, 'GET');
    if (!String(sample.records[0]?.stamp).startsWith('hooked')) throw new Error('the hook did not run');

    // A workflow whose only step is the plugin's action, on every new note.
    await requestJson(daicho.url, '/api/v1/meta/workflows/score_notes', {
      name: 'score_notes', labels: { en: 'Score notes' }, trigger: { type: 'recordCreated', object: 'note' },
      actions: [{ type: 'bench.hooks.score', input: { title: 'bench' } }],
    }, token, 'PUT');
    const [before] = (await queryDatabase<{ n: string }>(database.url, `select count(*) as n from daicho.workflow_run where status = 'completed'`)) as [{ n: string }];
    await Promise.all(Array.from({ length: 8 }, async (_, worker) => {
      for (let index = worker; index < runs; index += 8) await requestJson(daicho.url, '/api/v1/records/note', { title: `Run ${index}` }, token);
    }));
    const started = performance.now();
    let completed = 0;
    while (completed < runs && performance.now() - started < 120_000) {
      const [row] = (await queryDatabase<{ n: string }>(database.url, `select count(*) as n from daicho.workflow_run where status = 'completed'`)) as [{ n: string }];
      completed = Number(row.n) - Number(before.n);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const [span] = (await queryDatabase<{ seconds: number }>(database.url, `select extract(epoch from max(finished_at) - min(started_at)) as seconds from daicho.workflow_run where workflow_name = 'score_notes' and status = 'completed'`)) as [{ seconds: number }];

    console.log(describeMachine());
    console.log(`sequential creates, ${writes} per object, alternating rounds; a warm isolate`);
    console.log(`| object | median | p99 |`);
    console.log(`| --- | --- | --- |`);
    console.log(`| note (no hook) | ${median(plain).toFixed(2)} ms | ${percentile(plain, 0.99).toFixed(2)} ms |`);
    console.log(`| ticket (beforeCreate hook) | ${median(hooked).toFixed(2)} ms | ${percentile(hooked, 0.99).toFixed(2)} ms |`);
    console.log(`hook cost per write (difference of medians): ${(median(hooked) - median(plain)).toFixed(2)} ms — target ≤ 0.3 ms`);
    console.log(`plugin workflow action: ${completed} of ${runs} runs completed, ${(completed / Number(span.seconds)).toFixed(0)} runs/s between the first start and the last finish`);
  } finally {
    daicho.child.kill('SIGTERM');
    await daicho.exited;
    await database.drop();
    await server.stop();
  }
}
