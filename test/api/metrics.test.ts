import { platformVersion, type ObjectDefinition } from '@daicho/sdk';
import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { queryDatabase } from '../support/database-inspection.ts';

const contact: ObjectDefinition = {
  name: 'contact',
  labels: { en: 'Contact' },
  titleField: 'email',
  fields: [{ name: 'email', type: 'email', labels: { en: 'E-mail' } }],
};

interface Exposition {
  text: string;
  types: Map<string, string>;
  /** Sample lines as `name{labels}` → value. */
  samples: Map<string, number>;
}

/** Parses the text format strictly: every line is a HELP, a TYPE or a sample of a typed family. */
function parseExposition(text: string): Exposition {
  expect(text.endsWith('\n')).toBe(true);
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of text.slice(0, -1).split('\n')) {
    const comment = /^# (HELP|TYPE) ([a-zA-Z_:][\w:]*) (.+)$/.exec(line);
    if (comment) {
      if (comment[1] === 'TYPE') {
        expect(['counter', 'gauge', 'histogram']).toContain(comment[3]);
        expect(types.has(comment[2]!)).toBe(false);
        types.set(comment[2]!, comment[3]!);
      }
      continue;
    }
    const sample = /^([a-zA-Z_:][\w:]*)(\{(?:[a-zA-Z_]\w*="(?:[^"\\\n]|\\["\\n])*",?)*\})? (-?[\d.e+-]+|\+Inf|-Inf|NaN)$/.exec(line);
    expect(sample, line).not.toBeNull();
    const name = sample![1]!;
    const family = types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
    expect(types.has(family), `${name} has no TYPE`).toBe(true);
    samples.set(`${name}${sample![2] ?? ''}`, Number(sample![3]));
  }
  return { text, types, samples };
}

async function scrape(daicho: TestDaicho, headers: Record<string, string> = {}): Promise<Exposition> {
  const response = await daicho.fetch('/metrics', { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(await response.text());
}

describe('GET /metrics', () => {
  let daicho: TestDaicho;
  let recordId: string;

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    expect((await daicho.api.post('/api/v1/meta/objects', contact)).status).toBe(201);
    recordId = (await daicho.api.post('/api/v1/records/contact', { email: 'hanako.yamada@example.jp' })).body.id as string;
  });
  afterAll(async () => {
    await daicho?.close();
  });

  it('counts requests by method, route template and status, with a latency histogram by route', async () => {
    const before = await scrape(daicho);
    const key = 'daicho_http_requests_total{method="GET",route="/api/v1/records/:object/:id",status="200"}';
    const start = before.samples.get(key) ?? 0;
    for (let i = 0; i < 3; i += 1) expect((await daicho.api.get(`/api/v1/records/contact/${recordId}`)).status).toBe(200);
    expect((await daicho.api.get('/api/v1/records/contact/0190a0a0-0000-7000-8000-000000000000')).status).toBe(404);
    expect((await daicho.api.get(`/api/v1/records/contact/${recordId}`, { token: null })).status).toBe(401);
    await daicho.fetch('/api/v1/no-such/hanako.yamada@example.jp');
    await daicho.fetch('/api/v1/records/contact', { method: 'PROPFIND' });

    const after = await scrape(daicho);
    expect(after.types.get('daicho_http_requests_total')).toBe('counter');
    expect(after.types.get('daicho_http_request_duration_seconds')).toBe('histogram');
    expect(after.samples.get(key)).toBe(start + 3);
    expect(after.samples.get('daicho_http_requests_total{method="GET",route="/api/v1/records/:object/:id",status="404"}')).toBe(1);
    expect(after.samples.get('daicho_http_requests_total{method="GET",route="/api/v1/records/:object/:id",status="401"}')).toBe(1);
    expect(after.samples.get('daicho_http_requests_total{method="GET",route="none",status="404"}')).toBe(1);
    expect([...after.samples.keys()].some((sample) => sample.startsWith('daicho_http_requests_total{method="other",'))).toBe(true);
    // The scrape before this one was counted too.
    expect(after.samples.get('daicho_http_requests_total{method="GET",route="/metrics",status="200"}')).toBeGreaterThanOrEqual(1);

    const histogram = 'daicho_http_request_duration_seconds';
    const labels = 'method="GET",route="/api/v1/records/:object/:id"';
    const count = after.samples.get(`${histogram}_count{${labels}}`)!;
    expect(count - (before.samples.get(`${histogram}_count{${labels}}`) ?? 0)).toBe(5);
    expect(after.samples.get(`${histogram}_bucket{${labels},le="+Inf"}`)).toBe(count);
    expect(after.samples.get(`${histogram}_sum{${labels}}`)).toBeGreaterThan(0);
    const buckets = [...after.samples].filter(([sample]) => sample.startsWith(`${histogram}_bucket{${labels},`)).map(([, value]) => value);
    expect(buckets.length).toBe(12);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
  });

  it('reports the pool, memory, event-loop delay and the backlog of background work', async () => {
    const metrics = await scrape(daicho);
    expect(metrics.samples.get(`daicho_info{version="${platformVersion}",role="all"}`)).toBe(1);
    expect(metrics.samples.get('daicho_db_pool_max')).toBe(10);
    expect(metrics.samples.get('daicho_db_pool_open')).toBeGreaterThanOrEqual(1);
    expect(metrics.samples.get('daicho_db_pool_waiting')).toBe(0);
    expect(metrics.samples.get('process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
    expect(metrics.samples.get('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(metrics.samples.get('nodejs_eventloop_lag_seconds{stat="max"}')).toBeGreaterThanOrEqual(0);
    expect(metrics.samples.get('daicho_audit_events_unsealed')).toBeGreaterThanOrEqual(0);
    expect(metrics.samples.get('daicho_automation_feed_lag_events')).toBeGreaterThanOrEqual(0);
    for (const status of ['queued', 'running', 'waiting', 'completed', 'deadLetter']) expect(metrics.samples.get(`daicho_workflow_runs{status="${status}"}`)).toBe(0);
    expect(metrics.samples.get('daicho_job_queue_jobs{queue="workflow-run",state="queued"}')).toBeGreaterThanOrEqual(0);
  });

  it('reads the backlog at most once per interval, however often it is scraped', async () => {
    await daicho.auditSealer.stop();
    await daicho.auditSealer.sealPending();
    const first = await scrape(daicho);
    expect((await daicho.api.post('/api/v1/records/contact', { email: 'saburo@example.jp' })).status).toBe(201);
    const unsealed = await queryDatabase<{ n: string }>(daicho.testDatabase.url, 'select count(*) as n from daicho.audit_event where chain_position is null');
    expect(Number(unsealed[0]!.n)).toBeGreaterThan(0);
    // Within the cache interval (5 s) a scrape shows the previous read.
    expect((await scrape(daicho)).samples.get('daicho_audit_events_unsealed')).toBe(first.samples.get('daicho_audit_events_unsealed'));
    await daicho.auditSealer.sealPending();
  });

  it('never shows paths, ids, tokens or record values', async () => {
    const session = await daicho.createUserSession({ email: 'taro.suzuki@example.jp' });
    await daicho.api.get(`/api/v1/records/contact/${recordId}?access_token=query-secret-1`, { token: session.token });
    const { text } = await scrape(daicho);
    for (const secret of [recordId, session.token, session.userId, 'query-secret-1', 'hanako.yamada', 'taro.suzuki', 'example.jp', daicho.testDatabase.url]) expect(text).not.toContain(secret);
  });
});

describe('GET /metrics with DAICHO_METRICS_TOKEN', () => {
  let daicho: TestDaicho;
  const token = 'scrape-token-0123456789';

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl'), env: { DAICHO_METRICS_TOKEN: token } });
  });
  afterAll(async () => {
    await daicho?.close();
  });

  it('answers only a request that bears the token', async () => {
    const without = await daicho.fetch('/metrics');
    expect(without.status).toBe(401);
    expect(without.headers.get('www-authenticate')).toBe('Bearer realm="daicho-metrics"');
    expect(((await without.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    expect((await daicho.fetch('/metrics', { headers: { authorization: `Bearer ${token}x` } })).status).toBe(401);
    expect((await daicho.fetch('/metrics', { headers: { authorization: `Bearer ${daicho.adminToken}` } })).status).toBe(401);
    await scrape(daicho, { authorization: `Bearer ${token}` });
    expect(JSON.stringify(daicho.logLines())).not.toContain(token);
  });
});

describe('DAICHO_ROLE', () => {
  it('worker: serves only /healthz, /readyz and /metrics, and seals the audit trail', async () => {
    const worker = await startTestDaicho({ serverUrl: inject('databaseUrl'), env: { DAICHO_ROLE: 'worker' } });
    try {
      for (const path of ['/healthz', '/readyz']) expect((await worker.fetch(path)).status).toBe(200);
      const metrics = await scrape(worker);
      expect([...metrics.samples.keys()].find((key) => key.startsWith('daicho_info{'))).toContain('role="worker"');
      expect(metrics.samples.has('daicho_audit_events_unsealed')).toBe(true);
      for (const path of ['/api/v1/auth/me', '/api/v1/meta/objects', '/']) expect((await worker.fetch(path)).status).toBe(404);
      expect((await worker.fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
      // The first start wrote audit events; the worker's sealer seals them within its second.
      await expect.poll(async () => (await queryDatabase<{ n: string }>(worker.testDatabase.url, 'select count(*) as n from daicho.audit_event where chain_position is null'))[0]!.n, { timeout: 5000, interval: 200 }).toBe('0');
    } finally {
      await worker.close();
    }
  });

  it('api: serves the API but leaves the audit trail to workers and reports no backlog', async () => {
    const api = await startTestDaicho({ serverUrl: inject('databaseUrl'), env: { DAICHO_ROLE: 'api' } });
    try {
      expect((await api.api.post('/api/v1/meta/objects', contact)).status).toBe(201);
      expect((await api.api.post('/api/v1/records/contact', { email: 'jiro@example.jp' })).status).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const unsealed = await queryDatabase<{ n: string }>(api.testDatabase.url, 'select count(*) as n from daicho.audit_event where chain_position is null');
      expect(Number(unsealed[0]!.n)).toBeGreaterThanOrEqual(2);
      const metrics = await scrape(api);
      expect([...metrics.samples.keys()].find((key) => key.startsWith('daicho_info{'))).toContain('role="api"');
      expect([...metrics.types.keys()].filter((name) => /audit|workflow|job_queue|feed/.test(name))).toEqual([]);
    } finally {
      await api.close();
    }
  });
});
