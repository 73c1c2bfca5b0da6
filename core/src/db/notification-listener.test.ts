import { createTestDatabase } from '../testing/index.ts';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../log/index.ts';
import { createNotificationListener, sendNotification } from './notification-listener.ts';

const logger = createLogger({ level: 'silent' });
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Kysely<unknown>;

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseUrl'));
  db = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) }) });
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

async function eventually(check: () => boolean, limitMs = 3000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > limitMs) throw new Error(`not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('notification listener', () => {
  it('hands each channel its payloads, delivers at commit, and after a lost connection reconnects and says so', async () => {
    const listener = createNotificationListener({ connection: database.url, logger, reconnectDelayMs: 50 });
    const first: string[] = [];
    const second: string[] = [];
    let reconnects = 0;
    listener.subscribe('daicho_test_one', (payload) => first.push(payload), () => reconnects++);
    listener.subscribe('daicho_test_two', (payload) => second.push(payload));
    await listener.start();
    try {
      await sendNotification(db, 'daicho_test_one', 'a');
      await sendNotification(db, 'daicho_test_two', 'b');
      await eventually(() => first.length === 1 && second.length === 1);
      expect(first).toEqual(['a']);
      expect(second).toEqual(['b']);

      // Inside a transaction that rolls back, nothing is delivered.
      await db.transaction().execute(async (trx) => {
        await sendNotification(trx, 'daicho_test_one', 'rolled back');
        throw new Error('roll back');
      }).catch(() => undefined);

      // The server drops the listener's connection: it comes back, tells its subscribers, and hears again.
      await sendNotification(db, 'daicho_test_one', 'before');
      await eventually(() => first.includes('before'));
      await (await connected(database.url)).query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'daicho-listener' and datname = current_database()");
      await eventually(() => reconnects === 1);
      await sendNotification(db, 'daicho_test_one', 'after');
      await eventually(() => first.includes('after'));
      expect(first).not.toContain('rolled back');
    } finally {
      await listener.stop();
    }
  });

  it('refuses a channel name it would have to quote', () => {
    const listener = createNotificationListener({ connection: database.url, logger });
    expect(() => listener.subscribe('x; drop table y', () => undefined)).toThrow(/not a channel name/);
  });
});

const clients: pg.Client[] = [];
async function connected(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  clients.push(client);
  return client;
}
afterAll(async () => {
  await Promise.all(clients.map((client) => client.end()));
});
