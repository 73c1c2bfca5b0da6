// Time of `daicho backup` and `daicho restore` on an install with 10,000 accounts and 100,000
// deals (BENCH_DEALS, BENCH_ACCOUNTS to change). Run: `pnpm bench backup`.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '@daicho/core/testing';
import { launcher, makeDataDir, repoRoot, startDaichoProcess } from '../test/support/daicho-process.ts';
import { queryDatabase } from '../test/support/database-inspection.ts';
import { startBenchPostgres } from './bench-postgres.ts';
import { accountDefinition, dealDefinition, generateAccounts, generateDeals } from './data-engine/bench-data.ts';
import { requestJson } from './http.ts';
import { describeMachine } from './machine.ts';

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; ms: number; output: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [launcher, ...args], { env: { ...process.env, DAICHO_LOG_LEVEL: 'warn', ...env }, cwd: repoRoot });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, ms: performance.now() - started, output }));
  });
}

export async function benchBackup(): Promise<void> {
  const dealCount = Number(process.env.BENCH_DEALS ?? 100_000);
  const accountCount = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
  const server = await startBenchPostgres();
  const source = await createTestDatabase(server.url);
  const target = await createTestDatabase(server.url);
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'daicho-bench-backup-'));
  const env = { DATABASE_URL: source.url, DAICHO_DATA_DIR: await makeDataDir(), DAICHO_IMPORT_LIMIT: '256mb' };
  const daicho = await startDaichoProcess(env, 120_000);
  try {
    const password = /password: (\S+)/.exec(daicho.stdout())![1]!;
    const { token, user } = await requestJson(daicho.url, '/api/v1/auth/login', { workspace: 'demo', email: 'admin@example.com', password });
    for (const definition of [accountDefinition, dealDefinition]) await requestJson(daicho.url, '/api/v1/meta/objects', definition, token);
    await requestJson(daicho.url, '/api/v1/records/account/import', { records: generateAccounts(accountCount) }, token);
    const schema = `ws_${(user.workspaceId as string).replaceAll('-', '')}`;
    const accountIds = (await queryDatabase<{ id: string }>(source.url, `select id from "${schema}".obj_account`)).map((row) => row.id);
    for (let done = 0; done < dealCount; done += 50_000) {
      await requestJson(daicho.url, '/api/v1/records/deal/import', { records: generateDeals(Math.min(50_000, dealCount - done), accountIds, done) }, token);
    }
    const file = path.join(scratch, 'bench.backup');
    const backup = await run(['backup', file], env);
    if (backup.code !== 0) throw new Error(backup.output);
    const size = (await stat(file)).size;
    const rows = Number(/: (\d+) rows/.exec(backup.output)?.[1]);
    daicho.child.kill('SIGTERM');
    await daicho.exited;
    const restore = await run(['restore', file], { DATABASE_URL: target.url, DAICHO_DATA_DIR: await makeDataDir() });
    if (restore.code !== 0) throw new Error(restore.output);
    console.log(describeMachine());
    console.log(`install: ${accountCount} accounts, ${dealCount} deals, ${rows} rows in all (records, audit events, definitions)`);
    console.log(`daicho backup:  ${(backup.ms / 1000).toFixed(1)} s (${Math.round(rows / (backup.ms / 1000))} rows/s), file ${(size / 1024 / 1024).toFixed(1)} MB`);
    console.log(`daicho restore: ${(restore.ms / 1000).toFixed(1)} s (${Math.round(rows / (restore.ms / 1000))} rows/s), into an empty database`);
  } finally {
    if (daicho.child.exitCode === null) {
      daicho.child.kill('SIGTERM');
      await daicho.exited;
    }
    await source.drop();
    await target.drop();
    await server.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}
