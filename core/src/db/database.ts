import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, defineConfig, type EntityManager } from '@mikro-orm/postgresql';
import type { EntitySchema } from '@mikro-orm/core';
import pg from 'pg';
import type { Logger } from '../log/index.ts';
import { redactConnectionUrl } from '../log/index.ts';
import { DatabaseSetupError, DEFAULT_APP_ROLE, ensureApplicationRole } from './app-role.ts';
import { platformMigrations } from './migrations/index.ts';

/** The PostgreSQL schema that holds the platform's own tables. */
export const PLATFORM_SCHEMA = 'daicho';

/** A key for pg_advisory_lock, so that nodes starting together migrate one at a time. */
const MIGRATION_LOCK_KEY = 4_600_001;

export interface OpenDatabaseOptions {
  url: string;
  /** Platform entities, contributed by the domains that own them. */
  entities: EntitySchema[];
  poolMax: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  logger: Logger;
  /**
   * The non-superuser role every connection of the pool switches to (`daicho_app` by default).
   * Migrations alone run as the user of `url`, on connections of their own.
   */
  appRole?: string;
}

/** The connected database: the ORM for platform tables, and the lifecycle around it. */
export interface Database {
  /** The ORM of the running platform; its connections act as the application role. */
  orm: MikroORM;
  /** The role the platform's connections act as. */
  appRole: string;
  /** Settings for a pg client of its own (e.g. a LISTEN connection) that acts as the application role. */
  clientConfig(applicationName: string): pg.ClientConfig;
  /** A fresh entity manager with its own identity map; use one per unit of work. */
  em(): EntityManager;
  /** Applies pending platform migrations (up to and including `to` when given) under an advisory lock; returns their names. */
  migrate(to?: string): Promise<string[]>;
  /** Throws when the database cannot answer or migrations are pending. */
  checkReady(): Promise<void>;
  /** How the platform's connection pool is used right now (this process only). */
  poolStats(): Promise<PoolStats>;
  close(): Promise<void>;
}

/** A snapshot of the platform's connection pool. */
export interface PoolStats {
  /** Most connections the pool opens. */
  max: number;
  /** Connections open now, busy or idle. */
  open: number;
  /** Open connections not lent out. */
  idle: number;
  /** Requests waiting for a connection. */
  waiting: number;
}

/** Thrown when the database cannot be reached at start. Its message is one line, safe to print. */
/** How much longer than the server's statement timeout the client waits for an answer. */
const CLIENT_TIMEOUT_MARGIN_MS = 2000;

export class DatabaseUnreachableError extends Error {
  constructor(url: string, reason: string, options?: ErrorOptions) {
    super(`cannot reach the database at ${redactConnectionUrl(url)}: ${reason}`, options);
    this.name = 'DatabaseUnreachableError';
  }
}

/**
 * Connects to PostgreSQL. Fails fast with {@link DatabaseUnreachableError} when the server does
 * not answer within the connect timeout.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const { logger } = options;
  const appRole = options.appRole ?? DEFAULT_APP_ROLE;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(appRole)) throw new DatabaseSetupError(`"${appRole}" is not a usable role name (lower-case letters, digits and _)`);
  // The owner's connection answers before the application role exists (first start).
  const probe = new pg.Client({ connectionString: options.url, connectionTimeoutMillis: options.connectTimeoutMs });
  try {
    await probe.connect();
    await probe.query('select 1');
  } catch (error) {
    throw new DatabaseUnreachableError(options.url, describeConnectionFailure(error), { cause: error });
  } finally {
    await probe.end().catch(() => undefined);
  }
  // Every session of the pool starts as the application role (`SET ROLE` through the startup
  // options), so that nothing the running platform does has the owner's powers.
  const sessionOptions = `-c role=${appRole} -c TimeZone=UTC`;
  // init does not connect: the pool opens connections on first use, after migrate() made the role.
  const orm = await MikroORM.init(ormConfig(options, { poolMax: options.poolMax, sessionOptions }));
  const ownerSessionOptions = '-c TimeZone=UTC';

  return {
    orm,
    appRole,
    clientConfig: (applicationName) => ({ connectionString: options.url, connectionTimeoutMillis: options.connectTimeoutMs, application_name: applicationName, options: sessionOptions }),
    em: () => orm.em.fork(),
    async migrate(to) {
      // A session-level lock on a connection of its own: held while the migrator works on its
      // own connections, released when the session ends even if this process dies mid-way.
      const lock = new pg.Client({ connectionString: options.url, connectionTimeoutMillis: options.connectTimeoutMs, options: ownerSessionOptions });
      await lock.connect();
      try {
        await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        await lock.query(`create schema if not exists "${PLATFORM_SCHEMA}"`);
        // Migrations run as the owner, on an ORM of their own that lives only as long as they do.
        const owner = await MikroORM.init(ormConfig(options, { poolMax: 2, sessionOptions: ownerSessionOptions }));
        let names: string[];
        try {
          names = (await owner.migrator.up(to === undefined ? undefined : { to })).map((migration) => migration.name);
        } finally {
          await owner.close(true);
        }
        if (names.length > 0) logger.info({ migrations: names }, 'applied platform migrations');
        await ensureApplicationRole(lock, appRole);
        return names;
      } finally {
        await lock.end();
      }
    },
    async checkReady() {
      let applied: Set<string>;
      try {
        const rows = await orm.em.getConnection().execute<Array<{ name: string }>>(`select name from "${PLATFORM_SCHEMA}"."migrations"`);
        applied = new Set(rows.map((row) => row.name));
      } catch (error) {
        // Before the first migration the role, the schema or the table is missing.
        if (!['22023', '28000', '3F000', '42P01', '42501'].includes((error as { code?: string }).code ?? '')) throw error;
        applied = new Set();
      }
      const pending = platformMigrations.filter((migration) => !applied.has(migration.name));
      if (pending.length > 0) throw new Error(`${pending.length} platform migrations are pending`);
    },
    async poolStats() {
      const pool = await orm.em.getConnection().getNativeClient() as unknown as { totalCount: number; idleCount: number; waitingCount: number };
      return { max: options.poolMax, open: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
    },
    async close() {
      await orm.close(true);
    },
  };
}

function ormConfig(options: OpenDatabaseOptions, session: { poolMax: number; sessionOptions: string }) {
  return defineConfig({
    clientUrl: options.url,
    schema: PLATFORM_SCHEMA,
    entities: options.entities,
    extensions: [Migrator],
    pool: { min: 0, max: session.poolMax, idleTimeoutMillis: 30_000 },
    driverOptions: {
      connectionTimeoutMillis: options.connectTimeoutMs,
      statement_timeout: options.statementTimeoutMs,
      // The server's statement timeout cannot fire when the network to it is down: the client
      // stops waiting a little after it (503), so no request hangs on a lost connection.
      ...(options.statementTimeoutMs > 0 ? { query_timeout: options.statementTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS } : {}),
      keepAlive: true,
      application_name: 'daicho',
      // Timestamps come back in UTC whatever the server's setting, so reading them is a string rewrite.
      options: session.sessionOptions,
    },
    migrations: {
      tableName: 'migrations',
      migrationsList: platformMigrations,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
    debug: false,
  });
}

function describeConnectionFailure(error: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = error;
  const messages: string[] = [];
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const code = (current as NodeJS.ErrnoException).code;
    const aggregate = current instanceof AggregateError ? current.errors[0] : undefined;
    messages.push(code && !current.message.includes(code) ? `${current.message} (${code})` : current.message);
    current = aggregate ?? current.cause;
  }
  const message = messages.filter((m) => m.length > 0).at(-1) ?? String(error);
  return message.split('\n')[0] ?? message;
}
