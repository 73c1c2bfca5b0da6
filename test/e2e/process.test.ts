import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '@daicho/core/testing';
import { describe, expect, inject, it } from 'vitest';
import { makeDataDir, runToExit, startDaichoProcess } from '../support/daicho-process.ts';

/** Connects to the embedded cluster of a data folder, on the port its running server uses. */
async function queryEmbedded<T>(dataDir: string, sql: string): Promise<T[]> {
  const { password } = JSON.parse(readFileSync(path.join(dataDir, 'embedded-postgres.json'), 'utf8')) as { password: string };
  const port = readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3];
  const client = new pg.Client({ host: '127.0.0.1', port: Number(port), user: 'daicho', password, database: 'daicho' });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

function serverRunning(dataDir: string): boolean {
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(pidFile)) return false;
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 0);
    return true;
  } catch {
    return false;
  }
}

describe('the daicho process', () => {
  it('starts on embedded PostgreSQL, prints the first admin once, stops gracefully and keeps its data', async () => {
    const dataDir = await makeDataDir();
    const first = await startDaichoProcess({ DAICHO_DATA_DIR: dataDir });
    expect(first.stdout()).toContain('admin@example.com');
    expect(first.stdout()).toMatch(/password: [A-Za-z0-9]{20}/);
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    const [before] = await queryEmbedded<{ id: string; password_hash: string }>(dataDir, 'select id, password_hash from daicho."user"');

    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(serverRunning(dataDir)).toBe(false);

    const second = await startDaichoProcess({ DAICHO_DATA_DIR: dataDir });
    expect(second.stdout()).not.toContain('password:');
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
    const after = await queryEmbedded<{ id: string; password_hash: string }>(dataDir, 'select id, password_hash from daicho."user"');
    expect(after).toEqual([before]);
    second.child.kill('SIGINT');
    expect((await second.exited).code).toBe(0);
  });

  it('recovers after being killed with SIGKILL, with its data intact', async () => {
    const dataDir = await makeDataDir();
    const first = await startDaichoProcess({ DAICHO_DATA_DIR: dataDir });
    const [before] = await queryEmbedded<{ id: string }>(dataDir, 'select id from daicho.workspace');
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await startDaichoProcess({ DAICHO_DATA_DIR: dataDir });
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
    expect(await queryEmbedded(dataDir, 'select id from daicho.workspace')).toEqual([before]);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    expect(serverRunning(dataDir)).toBe(false);
  });

  it('uses DATABASE_URL when given', async () => {
    const database = await createTestDatabase(inject('databaseUrl'));
    try {
      const dataDir = await makeDataDir();
      const daicho = await startDaichoProcess({ DATABASE_URL: database.url, DAICHO_DATA_DIR: dataDir });
      expect((await fetch(`${daicho.url}/readyz`)).status).toBe(200);
      expect(existsSync(path.join(dataDir, 'postgres'))).toBe(false);
      daicho.child.kill('SIGTERM');
      expect((await daicho.exited).code).toBe(0);
    } finally {
      await database.drop();
    }
  });

  it('explains a bad configuration value in one line, without a stack trace', async () => {
    const result = await runToExit({ DAICHO_PORT: 'eighty' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('daicho: DAICHO_PORT must be an integer between 0 and 65535 (got "eighty")\n');
    expect(result.stdout).toBe('');
  });

  it('explains an unreachable DATABASE_URL in one line, without the password', async () => {
    const result = await runToExit({ DATABASE_URL: 'postgres://app:s3cret@127.0.0.1:1/crm', DAICHO_DB_CONNECT_TIMEOUT_MS: '2000' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^daicho: cannot reach the database at postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/crm: .+\n$/);
    expect(result.stderr).not.toContain('s3cret');
    expect(result.ms).toBeLessThan(10_000);
  });

  it('explains a port already in use in one line', async () => {
    const database = await createTestDatabase(inject('databaseUrl'));
    try {
      const daicho = await startDaichoProcess({ DATABASE_URL: database.url });
      const port = new URL(daicho.url).port;
      const result = await runToExit({ DATABASE_URL: database.url, DAICHO_PORT: port });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`daicho: port ${port} on 127.0.0.1 is already in use; set DAICHO_PORT to another port\n`);
      daicho.child.kill('SIGTERM');
      await daicho.exited;
    } finally {
      await database.drop();
    }
  });

  const olderNode = ['/usr/bin/node', '/usr/local/bin/node'].find((candidate) => {
    try {
      return Number(execFileSync(candidate, ['-p', 'process.versions.node.split(".")[0]']).toString()) < 24;
    } catch {
      return false;
    }
  });
  it.skipIf(olderNode === undefined)('tells a user on an older Node what to do', async () => {
    const result = await runToExit({}, olderNode);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^daicho: Node\.js 2\d\.[\d.]+ is too old; Daichō needs Node\.js 24 LTS or newer\./);
  });
});
