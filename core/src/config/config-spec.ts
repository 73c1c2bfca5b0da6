import path from 'node:path';

/** The log levels pino understands, quietest last. */
export const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** The one typed configuration object, built from the environment at start. */
export interface Config {
  /** TCP port of the HTTP server (API and admin UI). */
  port: number;
  /** Interface the HTTP server listens on. */
  host: string;
  /** External PostgreSQL; when absent an embedded PostgreSQL runs in `dataDir`. */
  databaseUrl: string | undefined;
  /** Folder for the embedded PostgreSQL and other local state. Absolute. */
  dataDir: string;
  logLevel: LogLevel;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  /** Most connections in the database pool of this process. */
  dbPoolMax: number;
  /** How long to wait for a database connection before failing, in ms. */
  dbConnectTimeoutMs: number;
  /** Server-side statement timeout, in ms: a backstop against runaway queries. */
  dbStatementTimeoutMs: number;
  /** Folder with the built admin UI; served at `/` when it exists. */
  adminUiDir: string;
  /** How long a graceful shutdown waits for in-flight requests, in ms. */
  shutdownTimeoutMs: number;
  /** Seed the demo workspace and its first admin on first start. */
  seedDemo: boolean;
  /** Days a deleted field keeps its column (restorable) before a purge drops it. */
  fieldRetentionDays: number;
  /** Largest bulk-import request body, in bytes. */
  importLimitBytes: number;
  /** The non-superuser PostgreSQL role everything but migrations runs as. */
  databaseAppRole: string;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; expected: string };

/** One environment variable: its name, what it means, and how to read it. */
export interface ConfigVariable<K extends keyof Config = keyof Config> {
  env: string;
  key: K;
  description: string;
  /** Human-readable default, for the docs. */
  defaultText: string;
  parse: (raw: string | undefined, env: NodeJS.ProcessEnv, cwd: string) => Parsed<Config[K]>;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(expected: string): Parsed<T> => ({ ok: false, expected });

function integer(min: number, max: number, fallback: number) {
  return (raw: string | undefined): Parsed<number> => {
    if (raw === undefined || raw === '') return ok(fallback);
    if (!/^\d+$/.test(raw)) return bad(`an integer between ${min} and ${max}`);
    const value = Number(raw);
    return value >= min && value <= max ? ok(value) : bad(`an integer between ${min} and ${max}`);
  };
}

const sizeUnits: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2 };

function byteSize(fallback: number, max: number) {
  return (raw: string | undefined): Parsed<number> => {
    if (raw === undefined || raw === '') return ok(fallback);
    const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(raw.trim());
    const unit = sizeUnits[(match?.[2] ?? '').toLowerCase()];
    if (!match?.[1] || unit === undefined) return bad('a size such as 1048576, 512kb or 1mb');
    const value = Number(match[1]) * unit;
    return value >= 1 && value <= max ? ok(value) : bad(`a size between 1 byte and ${max / 1024 ** 2}mb`);
  };
}

function boolean(fallback: boolean) {
  return (raw: string | undefined): Parsed<boolean> => {
    if (raw === undefined || raw === '') return ok(fallback);
    if (/^(1|true|yes|on)$/i.test(raw)) return ok(true);
    if (/^(0|false|no|off)$/i.test(raw)) return ok(false);
    return bad('true or false');
  };
}

function databaseUrl(raw: string | undefined): Parsed<string | undefined> {
  if (raw === undefined || raw === '') return ok(undefined);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return bad('a URL such as postgres://user:password@host:5432/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return bad('a postgres:// or postgresql:// URL');
  }
  if (url.pathname.length <= 1) return bad('a URL that names the database, such as postgres://host:5432/daicho');
  return ok(raw);
}

/**
 * Every setting Daichō reads from the environment. The configuration reference
 * (`docs/reference/configuration.md`) is generated from this table.
 */
export const configVariables: readonly ConfigVariable[] = [
  {
    env: 'DAICHO_PORT',
    key: 'port',
    description: 'TCP port of the HTTP server, which serves the API and the admin UI.',
    defaultText: '4600',
    parse: integer(0, 65535, 4600),
  },
  {
    env: 'DAICHO_HOST',
    key: 'host',
    description: 'Network interface to listen on. Use 0.0.0.0 to accept connections from other machines.',
    defaultText: '127.0.0.1',
    parse: (raw) => {
      if (raw === undefined || raw === '') return ok('127.0.0.1');
      return /^[\w.:-]+$/.test(raw) ? ok(raw) : bad('a host name or IP address');
    },
  },
  {
    env: 'DATABASE_URL',
    key: 'databaseUrl',
    description:
      'PostgreSQL 15+ to use, as postgres://user:password@host:port/database. When unset, Daichō runs an embedded PostgreSQL in the data folder.',
    defaultText: '(unset: embedded PostgreSQL)',
    parse: databaseUrl,
  },
  {
    env: 'DAICHO_DATA_DIR',
    key: 'dataDir',
    description: 'Folder for local state: the embedded PostgreSQL cluster and its credentials.',
    defaultText: './.daicho',
    parse: (raw, _env, cwd) => ok(path.resolve(cwd, raw === undefined || raw === '' ? '.daicho' : raw)),
  },
  {
    env: 'DAICHO_LOG_LEVEL',
    key: 'logLevel',
    description: `Least severe log level written: one of ${logLevels.join(', ')}.`,
    defaultText: 'info',
    parse: (raw) => {
      if (raw === undefined || raw === '') return ok('info');
      return (logLevels as readonly string[]).includes(raw) ? ok(raw as LogLevel) : bad(`one of ${logLevels.join(', ')}`);
    },
  },
  {
    env: 'DAICHO_BODY_LIMIT',
    key: 'bodyLimitBytes',
    description: 'Largest request body accepted, such as 1mb or 512kb. Larger bodies get PAYLOAD_TOO_LARGE.',
    defaultText: '1mb',
    parse: byteSize(1024 ** 2, 256 * 1024 ** 2),
  },
  {
    env: 'DAICHO_DB_POOL_MAX',
    key: 'dbPoolMax',
    description: 'Most database connections this process opens.',
    defaultText: '10',
    parse: integer(1, 1000, 10),
  },
  {
    env: 'DAICHO_DB_CONNECT_TIMEOUT_MS',
    key: 'dbConnectTimeoutMs',
    description: 'How long to wait for a database connection before failing, in milliseconds.',
    defaultText: '5000',
    parse: integer(100, 600_000, 5000),
  },
  {
    env: 'DAICHO_DB_STATEMENT_TIMEOUT_MS',
    key: 'dbStatementTimeoutMs',
    description: 'Longest a single SQL statement may run, in milliseconds; a backstop against runaway queries.',
    defaultText: '30000',
    parse: integer(100, 3_600_000, 30_000),
  },
  {
    env: 'DAICHO_ADMIN_UI_DIR',
    key: 'adminUiDir',
    description: 'Folder with the built admin UI, served at /.',
    defaultText: 'admin-ui/dist of this checkout',
    parse: (raw, _env, cwd) =>
      ok(
        raw === undefined || raw === ''
          ? path.resolve(import.meta.dirname, '../../../admin-ui/dist')
          : path.resolve(cwd, raw),
      ),
  },
  {
    env: 'DAICHO_SHUTDOWN_TIMEOUT_MS',
    key: 'shutdownTimeoutMs',
    description: 'On SIGTERM or Ctrl-C, how long to wait for in-flight requests before closing, in milliseconds.',
    defaultText: '10000',
    parse: integer(0, 600_000, 10_000),
  },
  {
    env: 'DAICHO_SEED_DEMO',
    key: 'seedDemo',
    description: 'On first start, create the demo workspace and print its first admin credentials.',
    defaultText: 'true',
    parse: boolean(true),
  },
  {
    env: 'DAICHO_FIELD_RETENTION_DAYS',
    key: 'fieldRetentionDays',
    description: 'Days a deleted field keeps its column and values, restorable, before a purge drops them.',
    defaultText: '30',
    parse: integer(0, 3650, 30),
  },
  {
    env: 'DAICHO_IMPORT_LIMIT',
    key: 'importLimitBytes',
    description: 'Largest bulk-import request, such as 64mb.',
    defaultText: '128mb',
    parse: byteSize(128 * 1024 ** 2, 1024 ** 3),
  },
  {
    env: 'DAICHO_DATABASE_APP_ROLE',
    key: 'databaseAppRole',
    description:
      'PostgreSQL role the running application uses (migrations run as the user of DATABASE_URL). Created at start when missing; it is never a superuser.',
    defaultText: 'daicho_app',
    parse: (raw) => {
      if (raw === undefined || raw === '') return ok('daicho_app');
      return /^[a-z_][a-z0-9_]{0,62}$/.test(raw) ? ok(raw) : bad('a lower-case PostgreSQL role name (letters, digits, _)');
    },
  },
];
