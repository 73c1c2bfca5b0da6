import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import { JOBS_SCHEMA } from '../automation/index.ts';
import type { PoolStats } from '../db/index.ts';
import type { Logger } from '../log/index.ts';
import { createMetricsRegistry, type GaugeSample, type MetricsRegistry } from './metrics-registry.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Request latency buckets, in seconds. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** Methods counted by name; any other becomes `other` (a method is client input). */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** A finished HTTP request (the kernel's RequestSample). */
export interface ObservedRequest {
  method: string;
  route: string | null;
  status: number;
  seconds: number;
}

/** What the background work of the installation has waiting, read from the database. */
export interface Backlog {
  auditUnsealed: number;
  auditOldestUnsealedSeconds: number;
  /** Sealed events the workflow dispatcher has not read yet, summed over workspaces. */
  feedLag: number;
  runsByStatus: ReadonlyArray<{ status: string; count: number }>;
  jobs: ReadonlyArray<{ queue: string; queued: number; active: number; deferred: number }>;
}

export interface PlatformMetricsOptions {
  logger: Logger;
  /** The node's role and the platform version, for `daicho_info`. */
  role: string;
  version: string;
  poolStats: () => Promise<PoolStats>;
  /** Reads the backlog gauges; omit on nodes that should not (they are the same on every node). */
  db?: () => Db;
  /** How long a backlog read is reused, in ms (default 5000): scrapes never cost more than one read per interval. */
  backlogCacheMs?: number;
}

/** The platform's metrics of this process. */
export interface PlatformMetrics {
  registry: MetricsRegistry;
  /** Counts a finished request; give it to the HTTP kernel. */
  observeRequest(sample: ObservedRequest): void;
  render(): Promise<string>;
  stop(): void;
}

/** Reads the backlog with four small queries (an index, one row per workspace, one group-by, pg-boss's counters). */
export async function readBacklog(db: Db): Promise<Backlog> {
  const [audit, lag, runs, jobs] = await Promise.all([
    sql<{ n: string; age: string | null }>`select count(*) as n, extract(epoch from now() - min(occurred_at)) as age
      from daicho.audit_event where chain_position is null`.execute(db),
    sql<{ lag: string | null }>`select sum(greatest(c.position - k.position, 0)) as lag
      from daicho.automation_cursor k join daicho.audit_chain c on c.workspace_id = k.workspace_id`.execute(db),
    sql<{ status: string; n: string }>`select status, count(*) as n from daicho.workflow_run group by status order by status`.execute(db),
    sql<{ name: string; queued: number; active: number; deferred: number }>`select name, queued_count as queued, active_count as active, deferred_count as deferred
      from ${sql.table(`${JOBS_SCHEMA}.queue`)} order by name`.execute(db).catch(() => ({ rows: [] })),
  ]);
  return {
    auditUnsealed: Number(audit.rows[0]?.n ?? 0),
    auditOldestUnsealedSeconds: Math.max(0, Number(audit.rows[0]?.age ?? 0)),
    feedLag: Number(lag.rows[0]?.lag ?? 0),
    runsByStatus: runs.rows.map((row) => ({ status: row.status, count: Number(row.n) })),
    jobs: jobs.rows.map((row) => ({ queue: row.name, queued: Number(row.queued), active: Number(row.active), deferred: Number(row.deferred) })),
  };
}

/** Workflow run statuses, so that a status with no runs shows 0 rather than nothing. */
const RUN_STATUSES = ['queued', 'running', 'waiting', 'completed', 'deadLetter', 'cancelled', 'skipped'];

/**
 * Builds the platform's metrics: HTTP requests and latencies by route template, the database
 * pool, process memory and event-loop delay, and, when `db` is given, the backlog of background
 * work (cached for `backlogCacheMs`). Labels carry route templates, methods, statuses and queue
 * names only: never paths, ids, names of people or record values.
 */
export function createPlatformMetrics(options: PlatformMetricsOptions): PlatformMetrics {
  const registry = createMetricsRegistry();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();

  registry.gauge('daicho_info', 'Always 1; the labels tell the platform version and the role of this node.', () => [{ labels: { version: options.version, role: options.role }, value: 1 }]);
  const requests = registry.counter('daicho_http_requests_total', 'HTTP requests answered, by method, route template and status.');
  const latency = registry.histogram('daicho_http_request_duration_seconds', 'Time to answer an HTTP request, by method and route template, in seconds.', LATENCY_BUCKETS);

  const pool = async (pick: (stats: PoolStats) => number): Promise<GaugeSample[]> => {
    try {
      return [{ value: pick(await options.poolStats()) }];
    } catch {
      return [];
    }
  };
  registry.gauge('daicho_db_pool_max', 'Most connections the database pool of this process opens (DAICHO_DB_POOL_MAX).', () => pool((stats) => stats.max));
  registry.gauge('daicho_db_pool_open', 'Database connections this process has open, busy or idle.', () => pool((stats) => stats.open));
  registry.gauge('daicho_db_pool_idle', 'Open database connections not in use.', () => pool((stats) => stats.idle));
  registry.gauge('daicho_db_pool_waiting', 'Requests of this process waiting for a database connection (above 0 for long: the pool is too small or queries too slow).', () => pool((stats) => stats.waiting));

  registry.gauge('process_resident_memory_bytes', 'Resident memory of this process, in bytes.', () => [{ value: process.memoryUsage.rss() }]);
  registry.gauge('nodejs_heap_size_used_bytes', 'V8 heap in use, in bytes.', () => [{ value: process.memoryUsage().heapUsed }]);
  registry.gauge('nodejs_heap_size_total_bytes', 'V8 heap reserved, in bytes.', () => [{ value: process.memoryUsage().heapTotal }]);
  registry.gauge('nodejs_external_memory_bytes', 'Memory of C++ objects bound to JavaScript (buffers among them), in bytes.', () => [{ value: process.memoryUsage().external }]);
  registry.gauge('process_start_time_seconds', 'When this process started, in seconds since the Unix epoch.', () => [{ value: Math.round(Date.now() / 1000 - process.uptime()) }]);
  registry.gauge('process_cpu_seconds_total', 'CPU time this process has used (user and system), in seconds.', () => {
    const usage = process.cpuUsage();
    return [{ value: (usage.user + usage.system) / 1e6 }];
  });
  // Event-loop delay since the previous scrape (the histogram restarts at each one).
  registry.gauge('nodejs_eventloop_lag_seconds', 'Event-loop delay since the previous scrape, in seconds: the mean, the 99th percentile and the largest (high values: the process is CPU-bound or blocked).', () => {
    const loop = loopDelay.count === 0 ? { mean: 0, p99: 0, max: 0 } : { mean: loopDelay.mean / 1e9, p99: loopDelay.percentile(99) / 1e9, max: loopDelay.max / 1e9 };
    loopDelay.reset();
    return [
      { labels: { stat: 'mean' }, value: loop.mean },
      { labels: { stat: 'p99' }, value: loop.p99 },
      { labels: { stat: 'max' }, value: loop.max },
    ];
  });

  if (options.db) {
    const db = options.db;
    const cacheMs = options.backlogCacheMs ?? 5000;
    let cached: { at: number; value: Promise<Backlog | undefined> } | undefined;
    const backlog = (): Promise<Backlog | undefined> => {
      const now = Date.now();
      if (!cached || now - cached.at >= cacheMs) {
        cached = {
          at: now,
          value: readBacklog(db()).catch((error: unknown) => {
            options.logger.warn({ err: error }, 'reading the backlog for /metrics failed');
            return undefined;
          }),
        };
      }
      return cached.value;
    };
    const fromBacklog = (pick: (value: Backlog) => GaugeSample[]) => async () => {
      const value = await backlog();
      return value ? pick(value) : [];
    };
    registry.gauge('daicho_audit_events_unsealed', 'Audit events written but not sealed into their hash chain yet (all workspaces).', fromBacklog((value) => [{ value: value.auditUnsealed }]));
    registry.gauge('daicho_audit_oldest_unsealed_age_seconds', 'Age of the oldest audit event not sealed yet, in seconds (0 when none waits; growing: no worker is sealing).', fromBacklog((value) => [{ value: value.auditOldestUnsealedSeconds }]));
    registry.gauge('daicho_automation_feed_lag_events', 'Sealed audit events the workflow dispatcher has not read yet, summed over workspaces with workflows.', fromBacklog((value) => [{ value: value.feedLag }]));
    registry.gauge('daicho_workflow_runs', 'Workflow runs by status (all workspaces).', fromBacklog((value) => {
      const counts = new Map(value.runsByStatus.map((row) => [row.status, row.count]));
      return [...new Set([...RUN_STATUSES, ...counts.keys()])].map((status) => ({ labels: { status }, value: counts.get(status) ?? 0 }));
    }));
    registry.gauge('daicho_job_queue_jobs', 'Jobs in the job queues (pg-boss) by queue and state, as pg-boss last counted them.', fromBacklog((value) => value.jobs.flatMap((row) => [
      { labels: { queue: row.queue, state: 'queued' }, value: row.queued },
      { labels: { queue: row.queue, state: 'active' }, value: row.active },
      { labels: { queue: row.queue, state: 'deferred' }, value: row.deferred },
    ])));
  }

  return {
    registry,
    observeRequest(sample) {
      const method = KNOWN_METHODS.has(sample.method) ? sample.method : 'other';
      const route = sample.route ?? 'none';
      requests.inc({ method, route, status: String(sample.status) });
      latency.observe({ method, route }, sample.seconds);
    },
    render: () => registry.render(),
    stop() {
      loopDelay.disable();
    },
  };
}
