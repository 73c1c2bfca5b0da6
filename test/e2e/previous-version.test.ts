import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeDataDir, repoRoot, startDaichoProcess, type DaichoProcess, apiRequest as api, stopProcesses } from '../support/daicho-process.ts';

// Issue 10, test plan row 72: migrations expand the schema so that the previous version keeps
// working on it (expand/contract), which is what lets nodes be upgraded one at a time. The
// "previous version" is the code just before the newest change to the platform migrations: it
// runs against a database that the current code migrated, reads what the current code wrote, and
// writes what the current code then reads.

const execFileAsync = promisify(execFile);
const git = (...args: string[]) => execFileAsync('git', args, { cwd: repoRoot }).then((result) => result.stdout.trim());

let previousRef: string | undefined;
let skipReason = '';
let worktree: string | undefined;
let database: TestDatabase;
const processes: DaichoProcess[] = [];

beforeAll(async () => {
  try {
    if ((await git('rev-parse', '--is-shallow-repository')) === 'true') throw new Error('the clone is shallow');
    const lastMigrationChange = (await git('log', '-1', '--format=%H', '--', 'core/src/db/migrations/index.ts'));
    previousRef = await git('rev-parse', `${lastMigrationChange}^`);
  } catch (error) {
    skipReason = `no git history to find the previous version in (${(error as Error).message.split('\n')[0]})`;
    return;
  }
  worktree = await mkdtemp(path.join(os.tmpdir(), 'daicho-previous-'));
  await git('worktree', 'add', '--detach', '--force', worktree, previousRef);
  // The store already holds what the previous lockfile names, but for packages the current one dropped.
  await execFileAsync('pnpm', ['install', '--frozen-lockfile', '--prefer-offline', '--reporter=silent'], { cwd: worktree, env: { ...process.env, CI: 'true' } });
  database = await createTestDatabase(inject('databaseUrl'));
}, 300_000);

afterAll(async () => {
  await stopProcesses(processes);
  await database?.drop();
  if (worktree) {
    await git('worktree', 'remove', '--force', worktree).catch(() => undefined);
    await rm(worktree, { recursive: true, force: true });
  }
});

async function stop(daicho: DaichoProcess): Promise<void> {
  daicho.child.kill('SIGTERM');
  await daicho.exited;
}

const ticket = {
  name: 'ticket',
  labels: { en: 'Ticket', ja: 'チケット' },
  titleField: 'subject',
  fields: [
    { name: 'subject', type: 'text', labels: { en: 'Subject' }, required: true },
    { name: 'priority', type: 'picklist', labels: { en: 'Priority' }, values: [{ value: 'low', labels: { en: 'Low' } }, { value: 'high', labels: { en: 'High' } }] },
  ],
};

describe('the previous version on the current schema', () => {
  it('runs on a database the current code migrated, and the two read each other\'s writes', async (context) => {
    if (!previousRef) context.skip(skipReason);
    const env = { DATABASE_URL: database.url, DAICHO_SECRET_KEY: randomBytes(32).toString('hex') };

    // The current code migrates the database, seeds it and writes.
    const current = await startDaichoProcess({ ...env, DAICHO_DATA_DIR: await makeDataDir() });
    processes.push(current);
    const password = /password: (\S+)/.exec(current.stdout())![1]!;
    const login = async (daicho: DaichoProcess) => (await api(daicho.url, '', 'POST', '/api/v1/auth/login', { workspace: 'demo', email: 'admin@example.com', password })).body.token as string;
    let token = await login(current);
    expect((await api(current.url, token, 'POST', '/api/v1/meta/objects', ticket)).status).toBe(201);
    expect((await api(current.url, token, 'POST', '/api/v1/records/ticket', { subject: 'Written by the current version', priority: 'high' })).status).toBe(201);
    await stop(current);

    // The previous version starts on that schema (its migrations are a prefix of the applied ones).
    const previous = await startDaichoProcess({ ...env, DAICHO_DATA_DIR: await makeDataDir() }, 60_000, { checkout: worktree! });
    processes.push(previous);
    token = await login(previous);
    const seen = await api(previous.url, token, 'GET', '/api/v1/records/ticket');
    expect(seen.status).toBe(200);
    expect(seen.body.records.map((record: { subject: string }) => record.subject)).toEqual(['Written by the current version']);
    const written = await api(previous.url, token, 'POST', '/api/v1/records/ticket', { subject: 'Written by the previous version', priority: 'low' });
    expect(written.status).toBe(201);
    expect((await api(previous.url, token, 'PATCH', `/api/v1/records/ticket/${written.body.id}`, { priority: 'high', version: written.body.version })).status).toBe(200);
    expect((await api(previous.url, token, 'POST', '/api/v1/meta/objects/ticket/fields', { name: 'notes', type: 'longText', labels: { en: 'Notes' } })).status).toBe(201);
    expect((await api(previous.url, token, 'GET', '/api/v1/audit/verify')).body.ok).toBe(true);
    await stop(previous);

    // And the current version reads what the previous one wrote.
    const again = await startDaichoProcess({ ...env, DAICHO_DATA_DIR: await makeDataDir() });
    processes.push(again);
    token = await login(again);
    const both = await api(again.url, token, 'GET', '/api/v1/records/ticket?sort=subject');
    expect(both.status, JSON.stringify(both.body)).toBe(200);
    expect(both.body.records.map((record: { subject: string; priority: string }) => [record.subject, record.priority])).toEqual([
      ['Written by the current version', 'high'],
      ['Written by the previous version', 'high'],
    ]);
    const definition = await api(again.url, token, 'GET', '/api/v1/meta/objects/ticket');
    expect(definition.status, JSON.stringify(definition.body)).toBe(200);
    expect(definition.body.object.fields.map((field: { name: string }) => field.name)).toContain('notes');
    expect((await api(again.url, token, 'GET', '/api/v1/audit/verify')).body.ok).toBe(true);
  });
});
