import { describe, expect, inject, it } from 'vitest';
import { createLogger } from '../log/index.ts';
import { createTestDatabase } from '../testing/index.ts';
import { DatabaseUnreachableError, openDatabase } from './index.ts';

const logger = createLogger({ level: 'silent' });
const base = { entities: [], poolMax: 2, connectTimeoutMs: 2000, statementTimeoutMs: 1234, logger };

describe('openDatabase', () => {
  it('fails fast with one line, password hidden, when the server does not answer', async () => {
    const started = Date.now();
    const attempt = openDatabase({ ...base, url: 'postgres://someone:hunter2@127.0.0.1:1/daicho' });
    await expect(attempt).rejects.toBeInstanceOf(DatabaseUnreachableError);
    const error = (await attempt.catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^cannot reach the database at postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/daicho: .*ECONNREFUSED/);
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('\n');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('applies migrations once, under a lock, even when two nodes start together', async () => {
    const testDatabase = await createTestDatabase(inject('databaseUrl'));
    try {
      const [a, b] = await Promise.all([openDatabase({ ...base, url: testDatabase.url }), openDatabase({ ...base, url: testDatabase.url })]);
      const [appliedA, appliedB] = await Promise.all([a.migrate(), b.migrate()]);
      expect([...appliedA, ...appliedB]).toEqual(['0001-platform-foundation', '0002-definitions', '0003-sessions', '0004-audit-trail']);
      await a.checkReady();
      expect(await a.migrate()).toEqual([]);
      const timeout = await a.orm.em.getConnection().execute<{ statement_timeout: string }[]>('show statement_timeout');
      expect(timeout[0]?.statement_timeout).toBe('1234ms');
      await Promise.all([a.close(), b.close()]);
    } finally {
      await testDatabase.drop();
    }
  });

  it('is not ready while migrations are pending', async () => {
    const testDatabase = await createTestDatabase(inject('databaseUrl'));
    try {
      const database = await openDatabase({ ...base, url: testDatabase.url });
      await expect(database.checkReady()).rejects.toThrow(/pending/);
      await database.close();
    } finally {
      await testDatabase.drop();
    }
  });
});
