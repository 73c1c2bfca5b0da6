// Fault script (test plan row 67): PostgreSQL stopped and started again under traffic.
//
//   pnpm bench db-restart        (BENCH_OUTAGE_SECONDS, BENCH_DURATION to change the timing)
//
// Daichō runs as its own process against an embedded PostgreSQL cluster of the script's own,
// reached through a TCP proxy (the restarted server listens on a new port). Eight clients create
// contacts with an Idempotency-Key, retrying a failed create with the same key after Retry-After,
// and read them back, while a ninth polls /readyz. What must hold: requests fail fast with 503 and
// Retry-After while the database is down; readiness fails and recovers; service comes back without
// a restart; every key the server acknowledged has exactly one record, and every record exactly
// one audit event (no partial writes).
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '@daicho/core/testing';
import { createLogger } from '../../core/src/log/index.ts';
import { startDaichoProcess } from '../../test/support/daicho-process.ts';
import { queryDatabase } from '../../test/support/database-inspection.ts';
import { startTcpProxy } from '../../test/support/tcp-proxy.ts';
import { describeMachine, percentile } from '../machine.ts';

interface Sample {
  at: number;
  kind: 'create' | 'read';
  status: number;
  ms: number;
  code?: string;
  retryAfter?: string | null;
}

const CLIENTS = 8;

export async function benchDbRestart(): Promise<void> {
  const durationS = Number(process.env.BENCH_DURATION ?? 20);
  const outageS = Number(process.env.BENCH_OUTAGE_SECONDS ?? 5);
  const logger = createLogger({ level: 'warn' });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'daicho-fault-'));
  await chmod(dir, 0o755);
  let cluster = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), logger });
  const proxy = await startTcpProxy(cluster.port);
  const viaProxy = new URL(cluster.url);
  viaProxy.port = String(proxy.port);
  const daicho = await startDaichoProcess({ DATABASE_URL: viaProxy.toString(), DAICHO_DATA_DIR: path.join(dir, 'data'), DAICHO_DB_CONNECT_TIMEOUT_MS: '2000' }, 120_000);
  try {
    const password = /password: (\S+)/.exec(daicho.stdout())![1]!;
    const login = await call(daicho.url, 'POST', '/api/v1/auth/login', undefined, { workspace: 'demo', email: 'admin@example.com', password });
    const token = login.body.token as string;
    const made = await call(daicho.url, 'POST', '/api/v1/meta/objects', token, {
      name: 'contact', labels: { en: 'Contact' }, titleField: 'name',
      fields: [{ name: 'name', type: 'text', labels: { en: 'Name' }, required: true }],
    });
    if (made.status !== 201) throw new Error(`object: ${JSON.stringify(made.body)}`);

    const started = performance.now();
    const samples: Sample[] = [];
    const readiness: Array<{ at: number; status: number }> = [];
    const acknowledged = new Set<string>();
    const createdIds: string[] = [];
    let stopAt = 0;
    let upAt = 0;
    const now = () => (performance.now() - started) / 1000;
    const running = () => now() < durationS;

    const client = async (index: number) => {
      let serial = 0;
      while (running()) {
        const key = `c${index}-${serial++}`;
        // Retried with the same key until the server acknowledges it (or time is up).
        while (running()) {
          const t = now();
          const response = await call(daicho.url, 'POST', '/api/v1/records/contact', token, { name: key }, { 'idempotency-key': key }).catch(() => ({ status: 0, body: undefined, ms: 0, retryAfter: null }));
          samples.push({ at: t, kind: 'create', status: response.status, ms: response.ms, code: response.body?.error?.code, retryAfter: response.retryAfter });
          if (response.status === 201 || response.status === 200) {
            acknowledged.add(key);
            createdIds.push(response.body.id as string);
            break;
          }
          await sleep(response.retryAfter ? Math.min(Number(response.retryAfter), 1) * 1000 : 200);
        }
        if (createdIds.length > 0) {
          const t = now();
          const read = await call(daicho.url, 'GET', `/api/v1/records/contact/${createdIds[Math.floor(Math.random() * createdIds.length)]}`, token).catch(() => ({ status: 0, body: undefined, ms: 0, retryAfter: null }));
          samples.push({ at: t, kind: 'read', status: read.status, ms: read.ms, code: read.body?.error?.code, retryAfter: read.retryAfter });
        }
      }
    };
    const probe = async () => {
      while (running()) {
        const response = await fetch(`${daicho.url}/readyz`).catch(() => undefined);
        readiness.push({ at: now(), status: response?.status ?? 0 });
        await response?.text();
        await sleep(100);
      }
    };
    const fault = async () => {
      await sleep(((durationS - outageS) / 2) * 1000);
      stopAt = now();
      await cluster.stop();
      proxy.cutAll();
      await sleep(outageS * 1000);
      cluster = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), logger });
      proxy.setTarget(cluster.port);
      upAt = now();
    };
    await Promise.all([...Array.from({ length: CLIENTS }, (_, index) => client(index)), probe(), fault()]);

    const failed = samples.filter((sample) => sample.status !== 200 && sample.status !== 201);
    const firstFailure = failed.length > 0 ? Math.min(...failed.map((sample) => sample.at)) : NaN;
    const lastFailure = failed.length > 0 ? Math.max(...failed.map((sample) => sample.at + sample.ms / 1000)) : NaN;
    const firstSuccessAfterUp = samples.filter((sample) => sample.at >= upAt && (sample.status === 200 || sample.status === 201)).map((sample) => sample.at + sample.ms / 1000).sort((a, b) => a - b)[0] ?? NaN;
    const notReady = readiness.filter((probeResult) => probeResult.status !== 200);
    const readyAgain = readiness.filter((probeResult) => probeResult.at >= upAt && probeResult.status === 200)[0]?.at ?? NaN;
    const codes = new Map<string, number>();
    for (const sample of failed) codes.set(`${sample.status} ${sample.code ?? ''}`.trim(), (codes.get(`${sample.status} ${sample.code ?? ''}`.trim()) ?? 0) + 1);
    const failedMs = failed.map((sample) => sample.ms);
    const withRetryAfter = failed.filter((sample) => sample.status === 503 && sample.retryAfter).length;

    // Invariants, read directly from the database once it is back.
    const dbUrl = cluster.url;
    const [{ schema }] = (await queryDatabase<{ schema: string }>(dbUrl, `select 'ws_' || replace(id::text, '-', '') as schema from daicho.workspace`)) as [{ schema: string }];
    const rows = await queryDatabase<{ name: string; id: string }>(dbUrl, `select f_name as name, id from "${schema}".obj_contact`);
    const byName = new Map<string, number>();
    for (const row of rows) byName.set(row.name, (byName.get(row.name) ?? 0) + 1);
    const duplicates = [...byName.values()].filter((count) => count > 1).length;
    const missing = [...acknowledged].filter((key) => !byName.has(key)).length;
    const [{ events }] = (await queryDatabase<{ events: string }>(dbUrl, `select count(*) as events from daicho.audit_event where kind = 'record.create' and object_name = 'contact'`)) as [{ events: string }];
    const [{ orphans }] = (await queryDatabase<{ orphans: string }>(dbUrl, `select count(*) as orphans from "${schema}".obj_contact c where not exists (select 1 from daicho.audit_event e where e.record_id = c.id and e.kind = 'record.create')`)) as [{ orphans: string }];

    console.log(describeMachine());
    console.log(`traffic ${durationS} s, ${CLIENTS} clients; PostgreSQL stopped at ${stopAt.toFixed(1)} s, started again at ${upAt.toFixed(1)} s (${outageS} s down)`);
    console.log(`requests: ${samples.length}, failed: ${failed.length} (${[...codes].map(([code, count]) => `${code}: ${count}`).join(', ') || 'none'})`);
    console.log(`failed requests answered in: median ${percentile(failedMs, 0.5).toFixed(0)} ms, p99 ${percentile(failedMs, 0.99).toFixed(0)} ms, max ${Math.max(0, ...failedMs).toFixed(0)} ms; 503s with Retry-After: ${withRetryAfter}`);
    console.log(`error window: ${firstFailure.toFixed(1)}–${lastFailure.toFixed(1)} s; first success ${(firstSuccessAfterUp - upAt).toFixed(2)} s after PostgreSQL was back`);
    console.log(`readiness: ${notReady.length} of ${readiness.length} probes not ready; ready again ${(readyAgain - upAt).toFixed(2)} s after PostgreSQL was back`);
    console.log(`data: ${acknowledged.size} creates acknowledged, ${rows.length} records, ${missing} acknowledged but missing, ${duplicates} duplicated keys, ${events} create events, ${orphans} records without their event`);
    const met = failed.every((sample) => sample.status === 503 && sample.retryAfter) && failedMs.every((ms) => ms < 3000) && missing === 0 && duplicates === 0 && Number(orphans) === 0 && Number(events) === rows.length && firstSuccessAfterUp - upAt < 10 && readyAgain - upAt < 10;
    console.log(met ? 'all checks met' : 'some checks NOT met');
  } finally {
    daicho.child.kill('SIGTERM');
    await daicho.exited;
    await proxy.close();
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function call(base: string, method: string, route: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; ms: number; retryAfter: string | null }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const started = performance.now();
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, ms: performance.now() - started, retryAfter: response.headers.get('retry-after') };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
