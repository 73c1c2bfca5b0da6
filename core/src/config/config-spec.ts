import { inspect } from 'node:util';
import path from 'node:path';
import { parseIpRangeList, type IpRange } from './ip-ranges.ts';

/** The log levels pino understands, quietest last. */
export const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** The roles a node can have (DAICHO_ROLE). */
export const nodeRoles = ['api', 'worker', 'all'] as const;
export type NodeRole = (typeof nodeRoles)[number];

/** The one typed configuration object, built from the environment at start. */
export interface Config {
  /** TCP port of the HTTP server (API and admin UI). */
  port: number;
  /** Interface the HTTP server listens on. */
  host: string;
  /** What this node runs: the HTTP API (`api`), background work (`worker`) or both (`all`). */
  role: NodeRole;
  /** When set, `/metrics` answers only requests that bear this token. */
  metricsToken: SecretKey | undefined;
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
  /** Proxies whose X-Forwarded-For and X-Forwarded-Proto are believed. */
  trustedProxies: readonly IpRange[];
  /** Key for secrets at rest (TOTP secrets) and signed tokens; undefined: kept in the data folder. */
  secretKey: SecretKey | undefined;
  /** Shortest and longest password accepted, in characters. */
  passwordMinLength: number;
  passwordMaxLength: number;
  /** Failed sign-ins to one account within the window before it is locked. */
  loginMaxFailures: number;
  /** Failed sign-ins from one client address within the window before it is locked. */
  loginMaxFailuresPerAddress: number;
  loginFailureWindowSeconds: number;
  loginLockSeconds: number;
  /** Wait after the first failed sign-in to an account; doubles with each further failure. */
  loginDelayMs: number;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  /** How long a node trusts a checked session or API token without asking the database. */
  sessionCacheMs: number;
  /** `auto`: Secure (and `__Host-`) cookies when the request came over TLS; `always`: on every request. */
  cookieSecure: 'auto' | 'always';
  /** Longest lifetime of an API token, in days. */
  apiTokenMaxDays: number;
  /** The non-superuser PostgreSQL role everything but migrations runs as. */
  databaseAppRole: string;
  /** Outgoing mail server for workflow e-mail, as smtp://user:password@host:port (smtps:// for TLS). */
  smtpUrl: string | undefined;
  /** Sender address of workflow e-mail. */
  mailFrom: string;
  /** Attempts of a workflow step before its run goes to the dead-letter list. */
  workflowMaxAttempts: number;
  /** Delay before the first retry of a failed step, in seconds; doubles with each further attempt. */
  workflowRetryDelaySeconds: number;
  /** How deep workflows may trigger each other (a run caused by a run's change is one deeper). */
  workflowMaxDepth: number;
  /** How often each node reads the change feed for workflow triggers, in ms. */
  workflowDispatchIntervalMs: number;
  /** Seconds without a heartbeat after which the job of a worker that died goes to another worker. */
  workflowHeartbeatSeconds: number;
  /** Plugin-runner processes (each holds isolates for the plugins assigned to it). */
  pluginRunners: number;
  /** Default heap limit of one plugin's isolate, MB. */
  pluginMemoryMb: number;
  /** Default CPU timeout of one synchronous stretch of plugin code, ms. */
  pluginCpuTimeoutMs: number;
  /** Default wall-clock deadline of one plugin call, host calls included, ms. */
  pluginDeadlineMs: number;
  /** Default host calls one plugin call may make. */
  pluginMaxHostCalls: number;
  /** Default largest result (or host-call arguments) of a plugin call, bytes of JSON. */
  pluginMaxOutputBytes: number;
  /** Default deepest nesting of that JSON. */
  pluginMaxOutputDepth: number;
  /** Default log bytes kept per plugin call. */
  pluginMaxLogBytes: number;
  /** Host calls per second one plugin may make (token bucket refill), across its invocations on a node. */
  pluginHostCallsPerSecond: number;
  /** Host calls one plugin may make at once before the rate applies (token bucket size). */
  pluginHostCallBurst: number;
  /** E-mails one plugin may send per hour from a node. */
  pluginMailPerHour: number;
  /** Failed invocations in a row after which a plugin is disabled. */
  pluginMaxFailures: number;
  /** Limit breaches (timeout, deadline, memory) in a row after which a plugin is disabled. */
  pluginMaxLimitFailures: number;
  /** `host:port` pairs plugins may reach over plain http and at internal addresses (tests, an explicit intranet service). */
  pluginHttpAllow: string[];
  /** Time one plugin http.fetch may take, redirects included, ms. */
  pluginHttpTimeoutMs: number;
  /** Largest response body a plugin http.fetch reads, bytes. */
  pluginHttpMaxResponseBytes: number;
  /** Base64 raw ed25519 public keys whose package signatures are trusted. */
  pluginTrustedKeys: string[];
  /** Whether unsigned packages are refused (default: when trusted keys are configured). */
  pluginRequireSignature: boolean | undefined;
  /** How often worker nodes look for queued plugin work (after-hooks, schedules), ms. */
  pluginJobIntervalMs: number;
  /** Days an uninstalled plugin's data is kept before worker nodes purge it. */
  pluginRetentionDays: number;
  /** How often each node claims due automation timers, in ms. */
  automationTimerIntervalMs: number;
}

/** A key that never shows in logs or JSON; `reveal()` hands over its bytes. */
export class SecretKey {
  readonly #bytes: Buffer;

  constructor(bytes: Buffer) {
    this.#bytes = Buffer.from(bytes);
  }

  reveal(): Buffer {
    return this.#bytes;
  }

  toJSON(): string {
    return '[secret]';
  }

  toString(): string {
    return '[secret]';
  }

  [inspect.custom](): string {
    return 'SecretKey [secret]';
  }
}

/** Reads a 32-byte key written as 64 hex digits or as base64 / base64url. */
export function parseSecretKey(text: string): SecretKey | undefined {
  const trimmed = text.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : /^[\w+/-]{43}=?$/.test(trimmed)
      ? Buffer.from(trimmed.replaceAll('+', '-').replaceAll('/', '_').replace(/=$/, ''), 'base64url')
      : undefined;
  return bytes?.length === 32 ? new SecretKey(bytes) : undefined;
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

function commaList(pattern: RegExp, expected: string) {
  return (raw: string | undefined): Parsed<string[]> => {
    const items = (raw ?? '').split(',').map((item) => item.trim()).filter(Boolean);
    return items.every((item) => pattern.test(item)) ? ok(items) : bad(expected);
  };
}

function optionalBoolean(raw: string | undefined): Parsed<boolean | undefined> {
  if (raw === undefined || raw === '') return ok(undefined);
  return boolean(false)(raw);
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
    env: 'DAICHO_ROLE',
    key: 'role',
    description:
      'What this node runs. api: the HTTP API and the admin UI, with caches kept in step with other nodes, and no background work. worker: the audit sealer, workflow dispatch, schedules and workflow runs, serving only /healthz, /readyz and /metrics. all: both. Any number of each may run against one database.',
    defaultText: 'all',
    parse: (raw) => {
      if (raw === undefined || raw === '') return ok('all');
      return (nodeRoles as readonly string[]).includes(raw) ? ok(raw as NodeRole) : bad(`one of ${nodeRoles.join(', ')}`);
    },
  },
  {
    env: 'DAICHO_METRICS_TOKEN',
    key: 'metricsToken',
    description:
      'When set, GET /metrics requires the header Authorization: Bearer <this token> (at least 16 characters); when unset, /metrics answers anyone who reaches the port, so keep it off the public network.',
    defaultText: '(unset: no token)',
    parse: (raw) => {
      if (raw === undefined || raw === '') return ok(undefined);
      return /^[\x21-\x7e]{16,256}$/.test(raw) ? ok(new SecretKey(Buffer.from(raw, 'utf8'))) : bad('16 to 256 printable characters without spaces');
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
    env: 'DAICHO_TRUSTED_PROXIES',
    key: 'trustedProxies',
    description:
      'Reverse proxies (IPv4 or IPv6 addresses or CIDR ranges, comma-separated) whose forwarding headers are believed: Forwarded (RFC 7239) when present, else X-Forwarded-For and X-Forwarded-Proto. The client address is the right-most forwarded address that is not a trusted proxy. Leave empty when clients connect directly.',
    defaultText: '(empty: no proxy is trusted)',
    parse: (raw) => {
      const { ranges, bad: invalid } = parseIpRangeList(raw ?? '');
      return invalid.length === 0 ? ok(ranges) : bad('a comma-separated list of IP addresses or CIDR ranges such as 10.0.0.0/8, fd00::/8');
    },
  },
  {
    env: 'DAICHO_SECRET_KEY',
    key: 'secretKey',
    description:
      'A 32-byte key (64 hex digits or base64) that encrypts TOTP secrets at rest and signs sign-in challenges and CSRF tokens. Set the same key on every node. When unset, one is generated and kept in <data folder>/secret-key.json (readable by the owner only).',
    defaultText: '(unset: generated in the data folder)',
    parse: (raw) => {
      if (raw === undefined || raw === '') return ok(undefined);
      const key = parseSecretKey(raw);
      return key ? ok(key) : bad('32 bytes written as 64 hex digits or as base64 (generate one with `openssl rand -hex 32`)');
    },
  },
  {
    env: 'DAICHO_PASSWORD_MIN_LENGTH',
    key: 'passwordMinLength',
    description: 'Shortest password accepted when a password is set, in characters.',
    defaultText: '12',
    parse: integer(8, 256, 12),
  },
  {
    env: 'DAICHO_PASSWORD_MAX_LENGTH',
    key: 'passwordMaxLength',
    description: 'Longest password accepted, in characters (a bound on hashing work, not a security measure).',
    defaultText: '128',
    parse: (raw, env) => {
      const parsed = integer(64, 1024, 128)(raw);
      const min = Number(env.DAICHO_PASSWORD_MIN_LENGTH || 12);
      return parsed.ok && parsed.value < min ? bad(`at least DAICHO_PASSWORD_MIN_LENGTH (${min})`) : parsed;
    },
  },
  {
    env: 'DAICHO_LOGIN_MAX_FAILURES',
    key: 'loginMaxFailures',
    description: 'Failed sign-ins to one account (workspace and e-mail) within the window after which the account is locked.',
    defaultText: '5',
    parse: integer(1, 1000, 5),
  },
  {
    env: 'DAICHO_LOGIN_MAX_FAILURES_PER_ADDRESS',
    key: 'loginMaxFailuresPerAddress',
    description: 'Failed sign-ins from one client address (an IPv6 /64) within the window after which the address is locked.',
    defaultText: '50',
    parse: integer(1, 1_000_000, 50),
  },
  {
    env: 'DAICHO_LOGIN_FAILURE_WINDOW_SECONDS',
    key: 'loginFailureWindowSeconds',
    description: 'How long failed sign-ins are counted, in seconds, from the first failure.',
    defaultText: '900',
    parse: integer(1, 86_400 * 7, 900),
  },
  {
    env: 'DAICHO_LOGIN_LOCK_SECONDS',
    key: 'loginLockSeconds',
    description: 'How long a locked account or client address stays locked, in seconds.',
    defaultText: '900',
    parse: integer(1, 86_400 * 7, 900),
  },
  {
    env: 'DAICHO_LOGIN_DELAY_MS',
    key: 'loginDelayMs',
    description: 'After a failed sign-in, how long the account must wait before the next attempt, in milliseconds; doubles with each further failure until the lock.',
    defaultText: '1000',
    parse: integer(0, 600_000, 1000),
  },
  {
    env: 'DAICHO_SESSION_IDLE_MINUTES',
    key: 'sessionIdleMinutes',
    description: 'A session (bearer or cookie) ends after this many minutes without use.',
    defaultText: '720',
    parse: integer(1, 525_600, 720),
  },
  {
    env: 'DAICHO_SESSION_ABSOLUTE_HOURS',
    key: 'sessionAbsoluteHours',
    description: 'A session ends this many hours after sign-in, however much it is used.',
    defaultText: '336',
    parse: integer(1, 8_760, 336),
  },
  {
    env: 'DAICHO_SESSION_CACHE_MS',
    key: 'sessionCacheMs',
    description: 'How long a node trusts a checked session or API token before asking the database again, in milliseconds. Revocations reach every node at once (LISTEN/NOTIFY); this bounds how long a node whose listening connection was down trusts a revoked session.',
    defaultText: '5000',
    parse: integer(0, 60_000, 5000),
  },
  {
    env: 'DAICHO_COOKIE_SECURE',
    key: 'cookieSecure',
    description:
      'auto: session cookies are Secure and named __Host-daicho_session when the request came over TLS (directly or through a trusted proxy), and named daicho_session without Secure on plain http (development). always: Secure and __Host- on every request.',
    defaultText: 'auto',
    parse: (raw) => {
      if (raw === undefined || raw === '' || raw === 'auto') return ok('auto');
      return raw === 'always' ? ok('always') : bad('auto or always');
    },
  },
  {
    env: 'DAICHO_API_TOKEN_MAX_DAYS',
    key: 'apiTokenMaxDays',
    description: 'Longest lifetime of an API token, in days.',
    defaultText: '365',
    parse: integer(1, 3650, 365),
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
  {
    env: 'DAICHO_SMTP_URL',
    key: 'smtpUrl',
    description: 'Outgoing mail server for workflow e-mail, as smtp://user:password@host:port (smtps:// for implicit TLS). When unset, e-mail steps fail and their runs go to the dead-letter list.',
    defaultText: '(unset)',
    parse: (raw) => {
      if (raw === undefined || raw === '') return ok(undefined);
      try {
        const url = new URL(raw);
        return url.protocol === 'smtp:' || url.protocol === 'smtps:' ? ok(raw) : bad('an smtp:// or smtps:// URL');
      } catch {
        return bad('an smtp:// or smtps:// URL');
      }
    },
  },
  {
    env: 'DAICHO_MAIL_FROM',
    key: 'mailFrom',
    description: 'Sender address of workflow e-mail.',
    defaultText: 'daicho@localhost',
    parse: (raw) => {
      if (raw === undefined || raw === '') return ok('daicho@localhost');
      return /^[^\s@<>]+@[^\s@<>]+$/.test(raw) ? ok(raw) : bad('an e-mail address');
    },
  },
  {
    env: 'DAICHO_WORKFLOW_MAX_ATTEMPTS',
    key: 'workflowMaxAttempts',
    description: 'Attempts of a workflow step before its run goes to the dead-letter list.',
    defaultText: '5',
    parse: integer(1, 50, 5),
  },
  {
    env: 'DAICHO_WORKFLOW_RETRY_DELAY',
    key: 'workflowRetryDelaySeconds',
    description: 'Seconds before the first retry of a failed workflow step; each further retry waits about twice as long.',
    defaultText: '10',
    parse: integer(1, 3600, 10),
  },
  {
    env: 'DAICHO_WORKFLOW_MAX_DEPTH',
    key: 'workflowMaxDepth',
    description: 'How deep workflows may trigger each other: a run started by a change that a run made is one level deeper; beyond this depth the run is skipped (a loop guard).',
    defaultText: '5',
    parse: integer(0, 50, 5),
  },
  {
    env: 'DAICHO_WORKFLOW_DISPATCH_INTERVAL',
    key: 'workflowDispatchIntervalMs',
    description: 'How often each node reads the change feed (the sealed audit trail) for workflow triggers, in milliseconds.',
    defaultText: '1000',
    parse: integer(50, 60000, 1000),
  },
  {
    env: 'DAICHO_WORKFLOW_HEARTBEAT',
    key: 'workflowHeartbeatSeconds',
    description: 'Seconds after which a workflow run whose worker died (killed, crashed, lost its machine) is resumed by another worker: workers mark the runs they hold every half of this, and every node checks for unmarked ones as often.',
    defaultText: '30',
    parse: integer(10, 600, 30),
  },
  {
    env: 'DAICHO_PLUGIN_RUNNERS',
    key: 'pluginRunners',
    description: 'Plugin-runner processes per node. Plugin code runs in isolates inside these child processes, never in the server process; each plugin is assigned to one runner.',
    defaultText: '2',
    parse: integer(1, 32, 2),
  },
  {
    env: 'DAICHO_PLUGIN_MEMORY_MB',
    key: 'pluginMemoryMb',
    description: "Heap limit of one plugin's isolate, in MB. A plugin over it fails with PLUGIN_MEMORY_LIMIT and its isolate is recreated on the next call.",
    defaultText: '64',
    parse: integer(8, 4096, 64),
  },
  {
    env: 'DAICHO_PLUGIN_TIMEOUT_MS',
    key: 'pluginCpuTimeoutMs',
    description: 'CPU time one synchronous stretch of plugin code may run, in milliseconds (a loop is stopped here with PLUGIN_TIMEOUT).',
    defaultText: '1000',
    parse: integer(10, 60000, 1000),
  },
  {
    env: 'DAICHO_PLUGIN_DEADLINE_MS',
    key: 'pluginDeadlineMs',
    description: 'Wall-clock time one plugin call may take, awaited host calls included, in milliseconds; past it the call fails with PLUGIN_DEADLINE.',
    defaultText: '10000',
    parse: integer(50, 600000, 10000),
  },
  {
    env: 'DAICHO_PLUGIN_MAX_HOST_CALLS',
    key: 'pluginMaxHostCalls',
    description: 'Host calls (records, http, mail, settings, kv) one plugin call may make; the next one fails with PLUGIN_RATE_LIMITED.',
    defaultText: '1000',
    parse: integer(1, 1000000, 1000),
  },
  {
    env: 'DAICHO_PLUGIN_MAX_OUTPUT',
    key: 'pluginMaxOutputBytes',
    description: "Largest result of a plugin call, and largest arguments of one host call, as JSON, such as 1mb; larger fails with PLUGIN_OUTPUT_TOO_LARGE before it is copied out of the isolate.",
    defaultText: '1mb',
    parse: byteSize(1024 ** 2, 64 * 1024 ** 2),
  },
  {
    env: 'DAICHO_PLUGIN_MAX_OUTPUT_DEPTH',
    key: 'pluginMaxOutputDepth',
    description: 'Deepest nesting of that JSON; deeper fails with PLUGIN_OUTPUT_TOO_LARGE.',
    defaultText: '64',
    parse: integer(2, 1000, 64),
  },
  {
    env: 'DAICHO_PLUGIN_MAX_LOG',
    key: 'pluginMaxLogBytes',
    description: 'Log bytes kept per plugin call, such as 64kb; the rest is dropped and the call marked as truncated.',
    defaultText: '64kb',
    parse: byteSize(64 * 1024, 16 * 1024 ** 2),
  },
  {
    env: 'DAICHO_PLUGIN_RATE',
    key: 'pluginHostCallsPerSecond',
    description: 'Host calls per second one plugin may make on a node, over all its calls (a token bucket); past it host calls fail with PLUGIN_RATE_LIMITED. Other plugins are not affected.',
    defaultText: '200',
    parse: integer(1, 1000000, 200),
  },
  {
    env: 'DAICHO_PLUGIN_RATE_BURST',
    key: 'pluginHostCallBurst',
    description: 'Host calls one plugin may make at once before DAICHO_PLUGIN_RATE applies (the bucket size).',
    defaultText: '400',
    parse: integer(1, 1000000, 400),
  },
  {
    env: 'DAICHO_PLUGIN_MAIL_PER_HOUR',
    key: 'pluginMailPerHour',
    description: 'E-mails one plugin may send per hour from a node (mail.send); past it mail.send fails with PLUGIN_RATE_LIMITED.',
    defaultText: '100',
    parse: integer(1, 1000000, 100),
  },
  {
    env: 'DAICHO_PLUGIN_MAX_FAILURES',
    key: 'pluginMaxFailures',
    description: 'Failed calls in a row (the plugin threw, or broke a limit) after which a plugin is disabled, with an audit entry and a warning in the log.',
    defaultText: '10',
    parse: integer(1, 1000000, 10),
  },
  {
    env: 'DAICHO_PLUGIN_MAX_LIMIT_FAILURES',
    key: 'pluginMaxLimitFailures',
    description: 'Calls in a row that broke a resource limit (PLUGIN_TIMEOUT, PLUGIN_DEADLINE, PLUGIN_MEMORY_LIMIT) after which a plugin is disabled.',
    defaultText: '3',
    parse: integer(1, 1000000, 3),
  },
  {
    env: 'DAICHO_PLUGIN_HTTP_ALLOW',
    key: 'pluginHttpAllow',
    description: 'host:port pairs (comma-separated) that plugins may reach over plain http and at internal addresses, for an intranet service you choose to expose (or tests). Everything else must be https to a public address.',
    defaultText: '(empty)',
    parse: commaList(/^[a-z0-9.-]+:\d{1,5}$/i, 'a comma-separated list of host:port pairs such as intranet.example:8080'),
  },
  {
    env: 'DAICHO_PLUGIN_HTTP_TIMEOUT_MS',
    key: 'pluginHttpTimeoutMs',
    description: 'Time one plugin http.fetch may take, redirects included, in milliseconds.',
    defaultText: '10000',
    parse: integer(100, 120000, 10000),
  },
  {
    env: 'DAICHO_PLUGIN_HTTP_MAX_RESPONSE',
    key: 'pluginHttpMaxResponseBytes',
    description: 'Largest response body a plugin http.fetch reads, such as 1mb.',
    defaultText: '1mb',
    parse: byteSize(1024 ** 2, 64 * 1024 ** 2),
  },
  {
    env: 'DAICHO_PLUGIN_TRUSTED_KEYS',
    key: 'pluginTrustedKeys',
    description: 'Base64 raw ed25519 public keys (comma-separated) whose plugin signatures are trusted.',
    defaultText: '(empty)',
    parse: commaList(/^[A-Za-z0-9+/]{43}=$/, 'a comma-separated list of base64 ed25519 public keys (44 characters each)'),
  },
  {
    env: 'DAICHO_PLUGIN_REQUIRE_SIGNATURE',
    key: 'pluginRequireSignature',
    description: 'Whether plugin packages must carry a signature by a trusted key (X-Daicho-Signature). Default: required when DAICHO_PLUGIN_TRUSTED_KEYS is set.',
    defaultText: '(true when trusted keys are set)',
    parse: optionalBoolean,
  },
  {
    env: 'DAICHO_PLUGIN_JOB_INTERVAL',
    key: 'pluginJobIntervalMs',
    description: 'How often worker nodes look for queued plugin work (after-write hooks, schedules), in milliseconds.',
    defaultText: '1000',
    parse: integer(50, 60000, 1000),
  },
  {
    env: 'DAICHO_PLUGIN_RETENTION_DAYS',
    key: 'pluginRetentionDays',
    description: "Days an uninstalled plugin's objects, records, settings and stored values are kept (hidden, restorable by installing it again) before worker nodes purge them, with an audit entry.",
    defaultText: '30',
    parse: integer(1, 3650, 30),
  },
  {
    env: 'DAICHO_AUTOMATION_TIMER_INTERVAL',
    key: 'automationTimerIntervalMs',
    description: 'How often each node claims due automation timers (date-relative workflow triggers, escalation steps), in milliseconds.',
    defaultText: '250',
    parse: integer(50, 10000, 250),
  },
];
