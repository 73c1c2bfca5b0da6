import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accountObject, dealObject } from '../support/crm-objects.ts';
import { launcher, makeDataDir, repoRoot, startDaichoProcess, type DaichoProcess, apiRequest as api, stopProcesses } from '../support/daicho-process.ts';
import { queryDatabase } from '../support/database-inspection.ts';

// Issue 10: `daicho backup` of a running install and `daicho restore` into an empty database give
// back the same install: every platform and workspace table row for row, the same table
// definitions, sequences that go on where they were, a verifiable audit trail, the same
// sign-in, and the generated secret key.

let source: TestDatabase;
let target: TestDatabase;
let scratch: string;
const processes: DaichoProcess[] = [];

beforeAll(async () => {
  source = await createTestDatabase(inject('databaseUrl'));
  target = await createTestDatabase(inject('databaseUrl'));
  scratch = await mkdtemp(path.join(os.tmpdir(), 'daicho-backup-'));
});

afterAll(async () => {
  await stopProcesses(processes);
  await source?.drop();
  await target?.drop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function runCommand(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [launcher, ...args], { env: { ...process.env, DAICHO_LOG_LEVEL: 'warn', ...env }, cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every row of every platform and workspace table, as PostgreSQL renders it, in a stable order. */
async function contents(url: string): Promise<Record<string, string[]>> {
  const tables = await queryDatabase<{ schema: string; name: string }>(url, `select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'r' and (n.nspname = 'daicho' or n.nspname like 'ws\\_%') and c.relname <> 'migrations' order by 1, 2`);
  const result: Record<string, string[]> = {};
  for (const table of tables) {
    const rows = await queryDatabase<{ row: string }>(url, `select row_to_json(t)::text as row from "${table.schema}"."${table.name}" t order by 1`);
    result[`${table.schema}.${table.name}`] = rows.map((row) => row.row);
  }
  return result;
}

async function definitions(url: string): Promise<string[]> {
  const rows = await queryDatabase<{ definition: string }>(url, `select n.nspname || '.' || c.relname || ' ' || coalesce(pg_get_indexdef(c.oid), '') || ' ' ||
      coalesce((select string_agg(a.attname || ':' || format_type(a.atttypid, a.atttypmod) || ':' || a.attnotnull || ':' || coalesce(pg_get_expr(d.adbin, d.adrelid), ''), ',' order by a.attnum)
        from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '') as definition
    from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname like 'ws\\_%' order by 1`);
  const constraints = await queryDatabase<{ definition: string }>(url, `select conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) as definition from pg_constraint where connamespace::regnamespace::text like 'ws\\_%' order by 1`);
  const sequences = await queryDatabase<{ definition: string }>(url, `select schemaname || '.' || sequencename || '=' || coalesce(last_value::text, 'unused') as definition from pg_sequences
    where schemaname = 'daicho' or schemaname like 'ws\\_%' order by 1`);
  return [...rows.map((row) => row.definition), ...constraints.map((row) => row.definition), ...sequences.map((row) => row.definition)];
}

describe('daicho backup and daicho restore', () => {
  it('back up a running install and restore it into an empty database, row for row', async () => {
    const sourceDir = await makeDataDir();
    const running = await startDaichoProcess({ DATABASE_URL: source.url, DAICHO_DATA_DIR: sourceDir, DAICHO_SECRET_KEY: '' });
    processes.push(running);
    const password = /password: (\S+)/.exec(running.stdout())![1]!;
    const token = (await api(running.url, '', 'POST', '/api/v1/auth/login', { workspace: 'demo', email: 'admin@example.com', password })).body.token as string;
    for (const object of [accountObject, dealObject]) expect((await api(running.url, token, 'POST', '/api/v1/meta/objects', object)).status).toBe(201);
    const accounts = [];
    for (const name of ['株式会社ミドリ', 'Acme "Quoted" Ltd', 'Ünïcode\ttab']) {
      const created = await api(running.url, token, 'POST', '/api/v1/records/account', { name, employees: 12, billingAddress: { postalCode: '100-0001', region: '東京都', city: '千代田区' }, founded: '1999-04-01' });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      accounts.push(created.body);
    }
    expect((await api(running.url, token, 'POST', '/api/v1/records/deal', { title: 'Renewal', account: accounts[0].id, amount: { amount: 1200000, currency: 'JPY' }, probability: 40, tags: ['hot', 'renewal'] })).status).toBe(201);
    // A deleted field keeps its column and values for the retention period: the backup keeps them too.
    expect((await api(running.url, token, 'DELETE', '/api/v1/meta/objects/account/fields/website')).status).toBe(200);
    // Verifying seals what is pending; after it, nothing changes until the backup is taken.
    expect((await api(running.url, token, 'GET', '/api/v1/audit/verify')).body.ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const before = await contents(source.url);
    const beforeDefinitions = await definitions(source.url);

    // Online: the install keeps serving while the backup is taken.
    const file = path.join(scratch, 'install.daicho-backup');
    const backup = await runCommand(['backup', file], { DATABASE_URL: source.url, DAICHO_DATA_DIR: sourceDir, DAICHO_SECRET_KEY: '' });
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/Backed up 1 workspace\(s\): \d+ rows/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    running.child.kill('SIGTERM');
    await running.exited;

    const targetDir = await makeDataDir();
    const restore = await runCommand(['restore', file], { DATABASE_URL: target.url, DAICHO_DATA_DIR: targetDir, DAICHO_SECRET_KEY: '' });
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain('secret key was written');
    expect(await readdir(targetDir)).toContain('secret-key.json');

    expect(await contents(target.url)).toEqual(before);
    expect(await definitions(target.url)).toEqual(beforeDefinitions);

    // A second restore into the same database is refused: nothing is overwritten.
    const again = await runCommand(['restore', file], { DATABASE_URL: target.url, DAICHO_DATA_DIR: targetDir, DAICHO_SECRET_KEY: '' });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('not empty');

    // The restored install: same sign-in, same records, a verified audit trail, numbers go on.
    const restored = await startDaichoProcess({ DATABASE_URL: target.url, DAICHO_DATA_DIR: targetDir, DAICHO_SECRET_KEY: '' });
    processes.push(restored);
    expect(restored.stdout()).not.toContain('First start');
    const restoredLogin = await api(restored.url, '', 'POST', '/api/v1/auth/login', { workspace: 'demo', email: 'admin@example.com', password });
    expect(restoredLogin.status, restored.stdout() + restored.stderr()).toBe(200);
    const restoredToken = restoredLogin.body.token as string;
    const list = await api(restored.url, restoredToken, 'GET', '/api/v1/records/account?sort=code');
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body.records.map((record: { name: string }) => record.name)).toEqual(accounts.map((account) => account.name));
    const verified = await api(restored.url, restoredToken, 'GET', '/api/v1/audit/verify');
    expect(verified.body.ok).toBe(true);
    const next = await api(restored.url, restoredToken, 'POST', '/api/v1/records/account', { name: 'After restore' });
    expect(next.status).toBe(201);
    expect(next.body.code).toBe('A-0004');
  });

  it('backs up a running install on embedded PostgreSQL from its data folder, and restores into a new one', async () => {
    const sourceDir = await makeDataDir();
    const running = await startDaichoProcess({ DATABASE_URL: '', DAICHO_DATA_DIR: sourceDir, DAICHO_SECRET_KEY: '' }, 120_000);
    processes.push(running);
    const password = /password: (\S+)/.exec(running.stdout())![1]!;
    const token = (await api(running.url, '', 'POST', '/api/v1/auth/login', { workspace: 'demo', email: 'admin@example.com', password })).body.token as string;
    expect((await api(running.url, token, 'POST', '/api/v1/meta/objects', accountObject)).status).toBe(201);
    expect((await api(running.url, token, 'POST', '/api/v1/records/account', { name: '埋め込み' })).status).toBe(201);

    const file = path.join(scratch, 'embedded.daicho-backup');
    const backup = await runCommand(['backup', file], { DATABASE_URL: '', DAICHO_DATA_DIR: sourceDir, DAICHO_SECRET_KEY: '' });
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    // The running node was not disturbed.
    expect((await api(running.url, token, 'GET', '/api/v1/records/account')).status).toBe(200);
    // Restoring onto the data folder of a running node is refused.
    const onRunning = await runCommand(['restore', file], { DATABASE_URL: '', DAICHO_DATA_DIR: sourceDir, DAICHO_SECRET_KEY: '' });
    expect(onRunning.code).toBe(1);
    expect(onRunning.stderr).toContain('is running');
    running.child.kill('SIGTERM');
    await running.exited;

    const targetDir = await makeDataDir();
    const restore = await runCommand(['restore', file], { DATABASE_URL: '', DAICHO_DATA_DIR: targetDir, DAICHO_SECRET_KEY: '' });
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    const restored = await startDaichoProcess({ DATABASE_URL: '', DAICHO_DATA_DIR: targetDir, DAICHO_SECRET_KEY: '' }, 120_000);
    processes.push(restored);
    const restoredToken = (await api(restored.url, '', 'POST', '/api/v1/auth/login', { workspace: 'demo', email: 'admin@example.com', password })).body.token as string;
    const list = await api(restored.url, restoredToken, 'GET', '/api/v1/records/account');
    expect(list.body.records.map((record: { name: string }) => record.name)).toEqual(['埋め込み']);
  });

  it('explains itself without a file, and refuses what is not a backup', async () => {
    const missing = await runCommand(['backup'], { DATABASE_URL: source.url });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('usage: daicho');
    const junk = path.join(scratch, 'junk.tgz');
    await import('node:fs/promises').then((fs) => fs.writeFile(junk, 'not a backup'));
    const empty = await createTestDatabase(inject('databaseUrl'));
    try {
      const refused = await runCommand(['restore', junk], { DATABASE_URL: empty.url, DAICHO_DATA_DIR: await makeDataDir() });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/daicho restore: /);
    } finally {
      await empty.drop();
    }
  });
});
