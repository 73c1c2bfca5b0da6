import fs from 'node:fs/promises';
import path from 'node:path';
import { createBackup, restoreBackup, type BackupSummary } from '../backup/index.ts';
import { UserSchema } from '../auth/index.ts';
import type { Config } from '../config/index.ts';
import { findRunningEmbeddedPostgres, openDatabase, startEmbeddedPostgres, type EmbeddedPostgres } from '../db/index.ts';
import type { Logger } from '../log/index.ts';
import { WorkspaceSchema } from '../workspaces/index.ts';

/** Where `daicho backup` reads from: DATABASE_URL, or the embedded cluster (running or started for the backup). */
async function sourceDatabase(config: Config, logger: Logger): Promise<{ url: string; stop?: () => Promise<void> }> {
  if (config.databaseUrl) return { url: config.databaseUrl };
  const running = await findRunningEmbeddedPostgres(config.dataDir);
  if (running) return { url: running };
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, logger });
  return { url: embedded.url, stop: () => embedded.stop() };
}

/** The data folder's generated secret key, which a restore needs to open sealed secrets (TOTP, webhooks). */
async function dataFolderSecretKey(config: Config): Promise<string | undefined> {
  if (config.secretKey) return undefined;
  try {
    const stored = JSON.parse(await fs.readFile(path.join(config.dataDir, 'secret-key.json'), 'utf8')) as { key?: unknown };
    return typeof stored.key === 'string' ? stored.key : undefined;
  } catch {
    return undefined;
  }
}

/** `daicho backup <file>`. */
export async function runBackupCommand(config: Config, logger: Logger, file: string): Promise<BackupSummary> {
  const source = await sourceDatabase(config, logger);
  try {
    const secretKey = await dataFolderSecretKey(config);
    return await createBackup({ url: source.url, file, ...(secretKey ? { secretKey } : {}) });
  } finally {
    await source.stop?.();
  }
}

/**
 * `daicho restore <file>`: into DATABASE_URL (an empty database), or into a new embedded cluster
 * in the data folder. A secret key carried by the backup is written to the data folder when the
 * install has none of its own.
 */
export async function runRestoreCommand(config: Config, logger: Logger, file: string): Promise<{ rows: number; workspaces: number; secretKey: 'restored' | 'kept' | 'external' | 'none' }> {
  let embedded: EmbeddedPostgres | undefined;
  if (!config.databaseUrl && (await findRunningEmbeddedPostgres(config.dataDir))) {
    throw new Error(`a Daichō is running on the data folder ${config.dataDir}; stop it, and restore into a new data folder (DAICHO_DATA_DIR)`);
  }
  const url = config.databaseUrl ?? (embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, logger })).url;
  const database = await openDatabase({
    url,
    entities: [WorkspaceSchema, UserSchema],
    poolMax: 2,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    statementTimeoutMs: 0,
    logger,
    appRole: config.databaseAppRole,
  });
  try {
    const { header, rows } = await restoreBackup({ url, file, appRole: database.appRole, migrate: (to) => database.migrate(to) });
    let secretKey: 'restored' | 'kept' | 'external' | 'none' = 'none';
    if (header.secretKey) {
      if (config.secretKey) {
        secretKey = 'external';
      } else {
        const keyFile = path.join(config.dataDir, 'secret-key.json');
        await fs.mkdir(config.dataDir, { recursive: true, mode: 0o755 });
        try {
          await fs.writeFile(keyFile, `${JSON.stringify({ key: header.secretKey })}\n`, { mode: 0o600, flag: 'wx' });
          secretKey = 'restored';
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          secretKey = 'kept';
        }
      }
    }
    return { rows, workspaces: header.workspaceSchemas.length, secretKey };
  } finally {
    await database.close();
    await embedded?.stop();
  }
}
