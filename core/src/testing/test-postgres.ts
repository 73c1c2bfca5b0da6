import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../db/index.ts';
import { createLogger } from '../log/index.ts';

/** A PostgreSQL server for a test run. */
export interface TestPostgresServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * The server tests run against: the one in DAICHO_TEST_DATABASE_URL when given (CI points it at
 * the machine's server), otherwise an embedded cluster in a temporary folder, removed on stop.
 */
export async function startTestPostgresServer(env: NodeJS.ProcessEnv = process.env): Promise<TestPostgresServer> {
  const given = env.DAICHO_TEST_DATABASE_URL;
  if (given) return { url: given, stop: async () => {} };
  // Enterable by others: the embedded server runs as the postgres user when tests run as root.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'daicho-test-pg-'));
  await chmod(dir, 0o755);
  const embedded = await startEmbeddedPostgres({ dataDir: dir, logger: createLogger({ level: 'warn' }) });
  return {
    url: embedded.url,
    async stop() {
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
