import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { loadConfig } from '../config/index.ts';
import { createLogger } from '../log/index.ts';
import { bootDaicho, type BootedDaicho } from '../runtime/index.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export interface StartTestDaichoOptions {
  /** A PostgreSQL server to create the test database on. */
  serverUrl: string;
  /** Extra environment, as a user would set it (e.g. DAICHO_BODY_LIMIT). */
  env?: Record<string, string>;
}

/** An in-process platform on a database of its own, with a fetch bound to it. */
export interface TestDaicho extends BootedDaicho {
  baseUrl: string;
  database: BootedDaicho['database'];
  testDatabase: TestDatabase;
  /** Every log line written so far, parsed; for asserting on what was (not) logged. */
  logLines(): Array<Record<string, unknown>>;
  /** `fetch` relative to the server, e.g. `t.fetch('/healthz')`. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Boots Daichō in this process against a fresh database and serves its `app.callback()` on an
 * ephemeral loopback port.
 * @example
 * const t = await startTestDaicho({ serverUrl: inject('databaseUrl') });
 * const res = await t.fetch('/readyz');
 */
export async function startTestDaicho(options: StartTestDaichoOptions): Promise<TestDaicho> {
  const testDatabase = await createTestDatabase(options.serverUrl);
  const config = loadConfig({ DATABASE_URL: testDatabase.url, DAICHO_LOG_LEVEL: 'debug', ...options.env });
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger({ level: config.logLevel, destination });
  let booted: BootedDaicho;
  try {
    booted = await bootDaicho(config, logger);
  } catch (error) {
    await testDatabase.drop();
    throw error;
  }
  const server = http.createServer(booted.app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...booted,
    baseUrl,
    testDatabase,
    logLines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    fetch: (path, init) => fetch(`${baseUrl}${path}`, init),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await booted.shutdown();
      await testDatabase.drop();
    },
  };
}
