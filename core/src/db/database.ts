import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, defineConfig, type EntityManager } from '@mikro-orm/postgresql';
import type { EntitySchema } from '@mikro-orm/core';
import pg from 'pg';
import type { Logger } from '../log/index.ts';
import { redactConnectionUrl } from '../log/index.ts';
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
}

/** The connected database: the ORM for platform tables, and the lifecycle around it. */
export interface Database {
  orm: MikroORM;
  /** A fresh entity manager with its own identity map; use one per unit of work. */
  em(): EntityManager;
  /** Applies pending platform migrations under an advisory lock; returns their names. */
  migrate(): Promise<string[]>;
  /** Throws when the database cannot answer or migrations are pending. */
  checkReady(): Promise<void>;
  close(): Promise<void>;
}

/** Thrown when the database cannot be reached at start. Its message is one line, safe to print. */
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
  // init does not connect; the first query does, and only its failure means "unreachable".
  const orm = await MikroORM.init(
      defineConfig({
        clientUrl: options.url,
        schema: PLATFORM_SCHEMA,
        entities: options.entities,
        extensions: [Migrator],
        pool: { min: 0, max: options.poolMax, idleTimeoutMillis: 30_000 },
        driverOptions: {
          connectionTimeoutMillis: options.connectTimeoutMs,
          statement_timeout: options.statementTimeoutMs,
          application_name: 'daicho',
          // Timestamps come back in UTC whatever the server's setting, so reading them is a string rewrite.
          options: '-c TimeZone=UTC',
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
      }),
    );
  try {
    await orm.em.getConnection().execute('select 1');
  } catch (error) {
    await orm.close(true).catch(() => undefined);
    throw new DatabaseUnreachableError(options.url, describeConnectionFailure(error), { cause: error });
  }

  return {
    orm,
    em: () => orm.em.fork(),
    async migrate() {
      // A session-level lock on a connection of its own: held while the migrator works on its
      // own connections, released when the session ends even if this process dies mid-way.
      const lock = new pg.Client({ connectionString: options.url, connectionTimeoutMillis: options.connectTimeoutMs });
      await lock.connect();
      try {
        await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        await lock.query(`create schema if not exists "${PLATFORM_SCHEMA}"`);
        const applied = await orm.migrator.up();
        const names = applied.map((migration) => migration.name);
        if (names.length > 0) logger.info({ migrations: names }, 'applied platform migrations');
        return names;
      } finally {
        await lock.end();
      }
    },
    async checkReady() {
      await orm.em.getConnection().execute('select 1');
      const pending = await orm.migrator.getPending();
      if (pending.length > 0) throw new Error(`${pending.length} platform migrations are pending`);
    },
    async close() {
      await orm.close(true);
    },
  };
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
