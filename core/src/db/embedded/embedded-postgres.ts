import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Logger } from '../../log/index.ts';
import { findPostgresBinaries, type PostgresBinaries } from './postgres-binaries.ts';

const execFileAsync = promisify(execFile);

/** The running embedded cluster. */
export interface EmbeddedPostgres {
  /** Connection URL of the application database (contains the password: never log it). */
  url: string;
  port: number;
  /** True when this start created the cluster (first start). */
  created: boolean;
  stop(): Promise<void>;
}

export interface StartEmbeddedPostgresOptions {
  /** Daichō's data folder; the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  /** Name of the application database to create if missing. */
  database?: string;
  logger: Logger;
}

interface ClusterCredentials {
  user: string;
  password: string;
}

const CLUSTER_USER = 'daicho';
const OS_USER = 'postgres';

interface OsUser {
  uid: number;
  gid: number;
}

/**
 * Starts (and on first use, creates) a PostgreSQL cluster in the data folder. Works as a normal
 * user and as root: PostgreSQL refuses to run as root, so then the cluster is owned by and runs
 * as the `postgres` system user, created if missing. The server listens on 127.0.0.1 only, on a
 * free port chosen at each start, with password authentication (a random password kept in
 * `<dataDir>/embedded-postgres.json`, readable by the owner only).
 */
export async function startEmbeddedPostgres(options: StartEmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { logger } = options;
  const database = options.database ?? 'daicho';
  const binaries = await findPostgresBinaries();
  const dataDir = path.resolve(options.dataDir);
  const pgData = path.join(dataDir, 'postgres');
  const osUser = process.getuid?.() === 0 ? await ensureOsUser() : undefined;

  await fs.mkdir(dataDir, { recursive: true, mode: 0o755 });
  if (osUser) await assertTraversable(dataDir);
  const credentials = await readOrCreateCredentials(dataDir);

  const created = !(await exists(path.join(pgData, 'PG_VERSION')));
  if (created) {
    logger.info({ pgData }, 'creating the embedded PostgreSQL cluster');
    await initCluster(binaries, pgData, credentials, osUser);
  }
  await stopLeftoverServer(binaries, pgData, osUser, logger);

  const port = await findFreePort();
  await runAs(osUser, binaries.pgCtl, [
    'start',
    '--pgdata', pgData,
    '--log', path.join(pgData, 'server.log'),
    '--wait',
    '--timeout', '60',
    '--options', `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`,
  ]);
  logger.info({ port }, 'embedded PostgreSQL started');

  const base = `postgres://${CLUSTER_USER}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`;
  await ensureDatabase(`${base}/postgres`, database);

  let stopped = false;
  return {
    url: `${base}/${database}`,
    port,
    created,
    async stop() {
      if (stopped) return;
      stopped = true;
      await runAs(osUser, binaries.pgCtl, ['stop', '--pgdata', pgData, '--mode', 'fast', '--wait', '--timeout', '60']);
      logger.info('embedded PostgreSQL stopped');
    },
  };
}

async function initCluster(
  binaries: PostgresBinaries,
  pgData: string,
  credentials: ClusterCredentials,
  osUser: OsUser | undefined,
): Promise<void> {
  await fs.mkdir(pgData, { recursive: true, mode: 0o700 });
  if (osUser) await fs.chown(pgData, osUser.uid, osUser.gid);
  // initdb reads the password from a file, readable by the cluster's owner only, for the call.
  const passwordFile = path.join(path.dirname(pgData), '.initdb-password');
  await fs.writeFile(passwordFile, `${credentials.password}\n`, { mode: 0o600 });
  if (osUser) await fs.chown(passwordFile, osUser.uid, osUser.gid);
  try {
    await runAs(osUser, binaries.initdb, [
      '--pgdata', pgData,
      '--username', credentials.user,
      '--pwfile', passwordFile,
      '--auth', 'scram-sha-256',
      '--encoding', 'UTF8',
      '--locale', 'C',
      '--locale-provider', 'builtin',
      '--builtin-locale', 'C.UTF-8',
    ]);
  } catch (error) {
    // A half-made cluster would be mistaken for a good one at the next start.
    await fs.rm(pgData, { recursive: true, force: true });
    throw error;
  } finally {
    await fs.rm(passwordFile, { force: true });
  }
}

/**
 * A server left running by a process that was killed (SIGKILL leaves pg_ctl's server behind)
 * holds the data folder's lock; stop it so that this start owns the cluster.
 */
async function stopLeftoverServer(
  binaries: PostgresBinaries,
  pgData: string,
  osUser: OsUser | undefined,
  logger: Logger,
): Promise<void> {
  try {
    await runAs(osUser, binaries.pgCtl, ['status', '--pgdata', pgData]);
  } catch {
    return; // not running (pg_ctl status exits 3)
  }
  logger.warn('an embedded PostgreSQL from an earlier run is still up; stopping it');
  await runAs(osUser, binaries.pgCtl, ['stop', '--pgdata', pgData, '--mode', 'fast', '--wait', '--timeout', '60']);
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

async function readOrCreateCredentials(dataDir: string): Promise<ClusterCredentials> {
  const file = path.join(dataDir, 'embedded-postgres.json');
  try {
    const stored = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<ClusterCredentials>;
    if (typeof stored.password === 'string' && stored.password.length > 0) {
      return { user: CLUSTER_USER, password: stored.password };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const credentials = { user: CLUSTER_USER, password: randomBytes(24).toString('base64url') };
  await fs.writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}

async function ensureOsUser(): Promise<OsUser> {
  const lookup = async (): Promise<OsUser> => {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', OS_USER]).then((r) => Number.parseInt(r.stdout, 10)),
      execFileAsync('id', ['-g', OS_USER]).then((r) => Number.parseInt(r.stdout, 10)),
    ]);
    return { uid, gid };
  };
  try {
    return await lookup();
  } catch {
    await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', OS_USER]);
    return lookup();
  }
}

/** The `postgres` user must be able to walk down to the data folder and the binaries. */
async function assertTraversable(target: string): Promise<void> {
  let current = target;
  for (;;) {
    const stat = await fs.stat(current);
    if ((stat.mode & fsConstants.S_IXOTH) === 0) {
      throw new Error(
        `embedded PostgreSQL runs as the "${OS_USER}" user, which cannot enter ${current}; choose a data folder under a directory others may traverse (DAICHO_DATA_DIR)`,
      );
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

async function runAs(osUser: OsUser | undefined, file: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync(file, args, {
      ...(osUser ?? {}),
      cwd: '/',
      env: { ...process.env, LC_MESSAGES: 'C' },
      maxBuffer: 4 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const failure = error as { stderr?: string; code?: number | string };
    const stderr = failure.stderr?.trim();
    throw new Error(`${path.basename(file)} ${args[0] ?? ''} failed${stderr ? `: ${stderr}` : ''}`, { cause: error });
  }
}

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * The URL of the embedded cluster that a running Daichō started in this data folder, read from
 * PostgreSQL's own `postmaster.pid` (its fourth line is the port); undefined when none is running.
 * For tools (backup) that work beside a running node without stopping its database.
 */
export async function findRunningEmbeddedPostgres(dataDirectory: string, database = 'daicho'): Promise<string | undefined> {
  const dataDir = path.resolve(dataDirectory);
  let pidFile: string;
  try {
    pidFile = await fs.readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const [pid, , , port] = pidFile.split('\n');
  try {
    process.kill(Number(pid), 0);
  } catch (error) {
    // EPERM: alive, owned by the postgres user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  const credentials = await readOrCreateCredentials(dataDir);
  return `postgres://${CLUSTER_USER}:${encodeURIComponent(credentials.password)}@127.0.0.1:${Number(port)}/${database}`;
}
