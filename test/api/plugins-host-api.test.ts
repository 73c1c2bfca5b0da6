import type { ObjectDefinition, PermissionSetDefinition, PluginManifest, RoleDefinition } from '@daicho/sdk';
import { startTestDaicho, startTestSmtpServer, type TestDaicho, type TestSmtpServer } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { queryDatabase } from '../support/database-inspection.ts';
import { buildPluginPackage, uploadPlugin } from '../support/plugin-packages.ts';

// The host API as plugins meet it, through real sandbox runners: every call checked against the
// grants (denials audited), then against the acting user's record and field access; SSRF
// refused after DNS; per-plugin rate limits; consent for new permissions; the failure policy;
// queued work dead-lettered at uninstall. Test plan rows 9, 10, 13, 14, 25, 29, 50.

const deal: ObjectDefinition = {
  name: 'deal',
  labels: { en: 'Deal' },
  titleField: 'title',
  fields: [
    { name: 'title', type: 'text', labels: { en: 'Title' }, required: true },
    { name: 'secret', type: 'text', labels: { en: 'Secret' } },
  ],
};
const sets: PermissionSetDefinition[] = [{ name: 'rep_set', labels: { en: 'Rep' }, objects: { deal: { create: true, read: true, update: true, fields: { secret: 'none' } } } }];
const roles: RoleDefinition[] = [{ name: 'rep', labels: { en: 'Rep' }, permissionSets: ['rep_set'] }];

/** A plugin whose one action makes the host call named in its input and reports what happened. */
const probeSource = (id: string) => `
export default {
  actions: {
    '${id}.call': async (input, ctx) => {
      const [api, method] = input.method.split('.');
      try {
        return { ok: true, value: await ctx[api][method](...input.args) };
      } catch (error) {
        return { ok: false, code: error.code, message: error.message };
      }
    },
    '${id}.flood': async (input, ctx) => {
      let limited = 0;
      for (let i = 0; i < input.calls; i++) {
        try { await ctx.kv.get('k'); } catch (error) { if (error.code === 'PLUGIN_RATE_LIMITED') limited++; }
      }
      return { limited };
    },
    '${id}.spin': () => { for (;;) {} },
  },
  hooks: { deal: { afterCreate: () => null } },
};`;

const probeManifest = (id: string, permissions: string[], extra: Partial<PluginManifest> = {}): PluginManifest => ({
  id, version: '1.0.0', publisher: id.split('.')[0]!, displayName: { en: id }, description: { en: 'Probes the host API.' },
  engines: { daicho: '>=0.1.0' }, permissions, main: 'dist/plugin.js',
  contributes: { workflowActions: ['call', 'flood', 'spin'].map((name) => ({ type: `${id}.${name}`, labels: { en: name }, inputSchema: { type: 'object' } })) },
  ...extra,
});

let t: TestDaicho;
let smtp: TestSmtpServer;
let workspaceId: string;
let adminId: string;
const dnsAnswers = new Map<string, string[]>();

async function installProbe(id: string, permissions: string[], extra: Partial<PluginManifest> = {}) {
  const response = await uploadPlugin(t.baseUrl, t.adminToken, '/api/v1/plugins?grant=all', await buildPluginPackage(probeManifest(id, permissions, extra), probeSource(id)));
  expect(response.status, JSON.stringify(response.body)).toBe(201);
}

async function call(id: string, method: string, args: unknown[], userId = adminId) {
  const actor = await t.plugins.actorFor(workspaceId, userId);
  return t.plugins.invoke(workspaceId, id, `actions/${id}.call`, { method, args } as never, { actor }) as Promise<{ ok: boolean; code?: string; message?: string; value?: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  t = await startTestDaicho({
    serverUrl: inject('databaseUrl'),
    env: { DAICHO_PLUGIN_RUNNERS: '1', DAICHO_PLUGIN_RATE: '5', DAICHO_PLUGIN_RATE_BURST: '30', DAICHO_PLUGIN_JOB_INTERVAL: '60000', DAICHO_PLUGIN_TIMEOUT_MS: '50', DAICHO_PLUGIN_MAX_LIMIT_FAILURES: '2', DAICHO_SMTP_URL: smtp.url, DAICHO_MAIL_FROM: 'crm@example.com', DAICHO_PLUGIN_MAIL_PER_HOUR: '2' },
    pluginResolveHost: async (hostname) => {
      const answer = dnsAnswers.get(hostname);
      if (!answer) throw new Error('NXDOMAIN');
      return answer;
    },
  });
  expect((await t.api.post('/api/v1/meta/objects', deal)).status).toBe(201);
  for (const set of sets) expect((await t.api.put(`/api/v1/meta/permission-sets/${set.name}`, set)).status).toBe(201);
  for (const role of roles) expect((await t.api.put(`/api/v1/meta/roles/${role.name}`, role)).status).toBe(201);
  const me = (await t.api.get('/api/v1/auth/me')).body;
  workspaceId = me.workspaceId;
  adminId = me.userId ?? me.id;
}, 60_000);

afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

describe('row 9: a host call the plugin was not granted', () => {
  const all = ['records.read:deal', 'records.write:deal', 'http.fetch:https://api.example.test/*', 'mail.send', 'kv'];
  const calls: Array<{ method: string; args: unknown[]; needs: string }> = [
    { method: 'records.get', args: ['deal', '00000000-0000-7000-8000-000000000000'], needs: 'records.read:deal' },
    { method: 'records.list', args: ['deal', {}], needs: 'records.read:deal' },
    { method: 'records.create', args: ['deal', { title: 'x' }], needs: 'records.write:deal' },
    { method: 'records.update', args: ['deal', '00000000-0000-7000-8000-000000000000', { title: 'y' }], needs: 'records.write:deal' },
    { method: 'records.delete', args: ['deal', '00000000-0000-7000-8000-000000000000'], needs: 'records.write:deal' },
    { method: 'http.fetch', args: ['https://api.example.test/a'], needs: 'http.fetch:https://api.example.test/*' },
    { method: 'mail.send', args: [{ to: 'a@example.com', subject: 's', text: 't' }], needs: 'mail.send' },
    { method: 'kv.get', args: ['k'], needs: 'kv' },
    { method: 'kv.set', args: ['k', 1], needs: 'kv' },
    { method: 'kv.delete', args: ['k'], needs: 'kv' },
  ];

  it.each(all.map((permission, index) => ({ permission, index })))('without $permission every call needing it is PERMISSION_DENIED and audited', async ({ permission, index }) => {
    const id = `acme.m${index}`;
    await installProbe(id, all.filter((other) => other !== permission));
    for (const entry of calls.filter((candidate) => candidate.needs === permission)) {
      const result = await call(id, entry.method, entry.args);
      expect(result, entry.method).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' });
    }
    const audit = (await t.api.get('/api/v1/audit?kind=plugin.denied&limit=100')).body.events as Array<{ details: { plugin: string; method: string; permission: string } }>;
    const mine = audit.filter((event) => event.details.plugin === id);
    expect(mine.map((event) => event.details.method).sort()).toEqual(calls.filter((candidate) => candidate.needs === permission).map((entry) => entry.method).sort());
    expect(mine.every((event) => event.details.permission.startsWith(permission.split('*')[0]!))).toBe(true);
    if (permission === 'records.read:deal') {
      // Write without read: the write works, and answers the record's system fields only.
      const created = await call(id, 'records.create', ['deal', { title: 'written blind' }]);
      expect(created.ok).toBe(true);
      expect(created.value).toHaveProperty('id');
      expect(created.value).not.toHaveProperty('title');
    }
    // Granted calls are not refused for want of a permission.
    const other = calls.find((candidate) => candidate.needs !== permission && candidate.method === 'kv.get') ?? calls.find((candidate) => candidate.method === 'records.list')!;
    expect((await call(id, other.method, other.args)).code).not.toBe('PERMISSION_DENIED');
  });
});

describe('rows 10 and 50: the user\'s record and field access applies', () => {
  it('hides a field the user cannot read, and answers null for another workspace\'s record', async () => {
    await installProbe('acme.reader', ['records.read:deal', 'records.write:deal']);
    const rep = await t.createUserSession({ roleName: 'rep' });
    // The rep's own record (sharing lets them read it), with a value in a field hidden from them.
    const created = await t.api.post('/api/v1/records/deal', { title: 'Visible' }, { token: rep.token });
    expect(created.status).toBe(201);
    expect((await t.api.patch(`/api/v1/records/deal/${created.body.id}`, { secret: 'classified' }, { headers: { 'if-match': '*' } })).status).toBe(200);
    const asAdmin = await call('acme.reader', 'records.get', ['deal', created.body.id]);
    expect(asAdmin.value).toMatchObject({ title: 'Visible', secret: 'classified' });
    const asRep = await call('acme.reader', 'records.get', ['deal', created.body.id], rep.userId);
    expect(asRep.ok).toBe(true);
    expect(asRep.value.title).toBe('Visible');
    expect(asRep.value).not.toHaveProperty('secret');
    const listed = await call('acme.reader', 'records.list', ['deal', {}], rep.userId);
    expect(listed.value.records.every((record: object) => !('secret' in record))).toBe(true);
    const write = await call('acme.reader', 'records.create', ['deal', { title: 'Sneaky', secret: 'set by plugin' }], rep.userId);
    expect(write).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });

    const other = await t.createUserSession({ workspaceSlug: 'other', isAdmin: true });
    expect((await t.api.post('/api/v1/meta/objects', deal, { token: other.token })).status).toBe(201);
    const foreign = await t.api.post('/api/v1/records/deal', { title: 'Elsewhere' }, { token: other.token });
    expect(foreign.status).toBe(201);
    expect(await call('acme.reader', 'records.get', ['deal', foreign.body.id])).toEqual({ ok: true, value: null });
  });
});

describe('row 13: http.fetch and internal addresses', () => {
  it('refuses hosts that resolve to internal addresses and internal literals, after DNS, for a granted pattern', async () => {
    await installProbe('acme.fetcher', ['http.fetch:https://*.example.test/*']);
    dnsAnswers.set('metadata.example.test', ['169.254.169.254']);
    dnsAnswers.set('intranet.example.test', ['10.1.2.3']);
    dnsAnswers.set('rebind.example.test', ['93.184.216.34', '127.0.0.1']);
    dnsAnswers.set('v6.example.test', ['::ffff:127.0.0.1']);
    for (const host of ['metadata', 'intranet', 'rebind', 'v6']) {
      const result = await call('acme.fetcher', 'http.fetch', [`https://${host}.example.test/x`]);
      expect(result, host).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' });
      expect(result.message).toContain('internal address');
    }
    for (const url of ['https://127.0.0.1/', 'http://169.254.169.254/latest', 'https://2130706433/', 'https://[::1]/', 'https://evil.test/']) {
      expect((await call('acme.fetcher', 'http.fetch', [url])).code, url).toBe('PERMISSION_DENIED');
    }
    const audit = (await t.api.get('/api/v1/audit?kind=plugin.denied&limit=100')).body.events as Array<{ details: { plugin: string; reason?: string } }>;
    expect(audit.filter((event) => event.details.plugin === 'acme.fetcher' && event.details.reason === 'the host resolves to an internal address')).toHaveLength(4);
  });
});

describe('row 14: a plugin flooding the host API', () => {
  it('is rate limited per plugin; another plugin is unaffected and the API keeps serving', async () => {
    await installProbe('acme.flood', ['kv']);
    await installProbe('acme.calm', ['kv']);
    const actor = await t.plugins.actorFor(workspaceId, adminId);
    const flood = t.plugins.invoke(workspaceId, 'acme.flood', 'actions/acme.flood.flood', { calls: 200 }, { actor }) as Promise<{ limited: number }>;
    const calm = await t.plugins.invoke(workspaceId, 'acme.calm', 'actions/acme.calm.flood', { calls: 5 }, { actor }) as { limited: number };
    expect((await t.fetch('/readyz')).status).toBe(200);
    expect((await flood).limited).toBeGreaterThan(100);
    expect(calm.limited).toBe(0);
  });
});

describe('failure policy', () => {
  it('disables a plugin that keeps breaking its limits, with an audit entry, while the API serves', async () => {
    await installProbe('acme.spinner', ['kv']);
    const actor = await t.plugins.actorFor(workspaceId, adminId);
    for (let i = 0; i < 2; i++) {
      await expect(t.plugins.invoke(workspaceId, 'acme.spinner', 'actions/acme.spinner.spin', {}, { actor })).rejects.toMatchObject({ code: 'PLUGIN_TIMEOUT' });
      expect((await t.fetch('/readyz')).status).toBe(200);
    }
    expect((await t.api.get('/api/v1/plugins/acme.spinner')).body).toMatchObject({ state: 'disabled', disabledReason: expect.stringContaining('limits') });
    const audit = (await t.api.get('/api/v1/audit?kind=plugin.disable')).body.events;
    expect(audit[0]).toMatchObject({ details: { plugin: 'acme.spinner', automatic: true } });
    await expect(t.plugins.invoke(workspaceId, 'acme.spinner', 'actions/acme.spinner.spin', {}, { actor })).rejects.toMatchObject({ code: 'PLUGIN_UNAVAILABLE' });
  });
});

describe('consent', () => {
  it('stores an install without full consent as pendingConsent, applying nothing, until consent', async () => {
    const bytes = await buildPluginPackage(probeManifest('acme.asker', ['kv', 'mail.send']), probeSource('acme.asker'));
    const response = await uploadPlugin(t.baseUrl, t.adminToken, '/api/v1/plugins?grant=kv', bytes);
    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: 'PLUGIN_CONSENT_REQUIRED', details: { plugin: 'acme.asker', permissions: [{ permission: 'mail.send', description: { en: expect.any(String), ja: expect.any(String) } }] } });
    expect((await t.api.get('/api/v1/plugins/acme.asker')).body.state).toBe('pendingConsent');
    expect(t.automation.registry.types()).not.toContain('acme.asker.call');
    const consented = await t.api.post('/api/v1/plugins/acme.asker/consent', { grant: 'all' });
    expect(consented.status).toBe(200);
    expect(consented.body.state).toBe('enabled');
    expect(t.automation.registry.types()).toContain('acme.asker.call');
    expect((await t.api.get('/api/v1/audit?kind=plugin.consent')).body.events[0]).toMatchObject({ details: { plugin: 'acme.asker' } });
  });

  it('row 25: an upgrade that adds a permission waits for consent; the old version keeps running', async () => {
    await installProbe('acme.grower', ['kv']);
    const next = await buildPluginPackage({ ...probeManifest('acme.grower', ['kv', 'http.fetch:https://api.example.test/*']), version: '1.1.0' }, probeSource('acme.grower'));
    const response = await uploadPlugin(t.baseUrl, t.adminToken, '/api/v1/plugins/acme.grower/upgrade', next);
    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: 'PLUGIN_CONSENT_REQUIRED', details: { upgrade: true, permissions: [{ permission: 'http.fetch:https://api.example.test/*' }] } });
    const pending = (await t.api.get('/api/v1/plugins/acme.grower')).body;
    expect(pending).toMatchObject({ version: '1.0.0', state: 'enabled', pendingUpgrade: { version: '1.1.0' } });
    expect(await call('acme.grower', 'kv.get', ['k'])).toEqual({ ok: true, value: null });
    const consented = await t.api.post('/api/v1/plugins/acme.grower/consent', { grant: 'all' });
    expect(consented.status).toBe(200);
    expect(consented.body).toMatchObject({ version: '1.1.0', pendingUpgrade: null });
    expect((await t.api.get('/api/v1/audit?kind=plugin.consent')).body.events[0]).toMatchObject({ details: { plugin: 'acme.grower', version: '1.1.0', from: '1.0.0' } });
  });
});

describe('row 29: uninstall while work is queued', () => {
  it('dead-letters queued after-hook work with "handler removed"', async () => {
    await installProbe('acme.queued', ['records.read:deal'], { contributes: { recordHooks: [{ object: 'deal', events: ['afterCreate'] }] } });
    expect((await t.api.post('/api/v1/records/deal', { title: 'Queued' })).status).toBe(201);
    const queued = await queryDatabase<{ status: string }>(t.testDatabase.url, `select status from daicho.plugin_job where plugin_id = 'acme.queued'`);
    expect(queued.map((row) => row.status)).toEqual(['queued']);
    expect((await t.api.delete('/api/v1/plugins/acme.queued')).status).toBe(200);
    const after = await queryDatabase<{ status: string; error: { message: string } }>(t.testDatabase.url, `select status, error from daicho.plugin_job where plugin_id = 'acme.queued'`);
    expect(after).toEqual([{ status: 'deadLetter', error: { code: 'PLUGIN_UNAVAILABLE', message: 'handler removed' } }]);
  });
});

describe('mail.send', () => {
  it('sends through the platform mailer, capped per plugin', async () => {
    await installProbe('acme.mailer', ['mail.send']);
    const message = { to: 'boss@example.com', subject: 'From a plugin', text: 'Hello' };
    expect(await call('acme.mailer', 'mail.send', [message])).toMatchObject({ ok: true, value: { messageId: expect.any(String) } });
    expect(await call('acme.mailer', 'mail.send', [message])).toMatchObject({ ok: true });
    expect(await call('acme.mailer', 'mail.send', [message])).toMatchObject({ ok: false, code: 'PLUGIN_RATE_LIMITED' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(smtp.messages.filter((received) => received.subject === 'From a plugin')).toHaveLength(2);
  });
});

describe('records calls inside a before-hook', () => {
  it('run in the write\'s own transaction: a refused write takes the hook\'s own writes with it', async () => {
    const log: ObjectDefinition = { name: 'acme.txn.log', labels: { en: 'Log' }, fields: [{ name: 'text', type: 'text', labels: { en: 'Text' } }] };
    const hookSource = `export default { hooks: { deal: { async beforeCreate(input, ctx) {
      await ctx.records.create('acme.txn.log', { text: input.record.title });
      const seen = await ctx.records.list('acme.txn.log', {});
      if (input.record.title === 'refuse') return { problems: [{ field: 'title', message: 'refused after logging' }] };
      return { set: { title: input.record.title + ' (' + seen.records.length + ')' } };
    } } } };`;
    const manifest: PluginManifest = {
      id: 'acme.txn', version: '1.0.0', publisher: 'acme', displayName: { en: 'Txn' }, description: { en: 'Logs in the write transaction.' }, engines: { daicho: '>=0.1.0' },
      permissions: ['records.read:deal', 'records.write:deal'], main: 'dist/plugin.js',
      contributes: { objects: ['definitions/log.object.json'], recordHooks: [{ object: 'deal', events: ['beforeCreate'] }] },
    };
    const response = await uploadPlugin(t.baseUrl, t.adminToken, '/api/v1/plugins?grant=all', await buildPluginPackage(manifest, hookSource, { 'definitions/log.object.json': log }));
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const ok = await t.api.post('/api/v1/records/deal', { title: 'ok' });
    expect(ok.status).toBe(201);
    expect(ok.body.title).toBe('ok (1)');
    expect((await t.api.post('/api/v1/records/deal', { title: 'refuse' })).status).toBe(422);
    const logged = (await t.api.get('/api/v1/records/acme.txn.log')).body.records.map((record: { text: string }) => record.text);
    expect(logged).toEqual(['ok']);
    expect((await t.api.delete('/api/v1/plugins/acme.txn')).status).toBe(200);
  });
});

describe('schedules', () => {
  it('queue one job per firing time, run as the installing admin with the plugin\'s grants', async () => {
    const scheduleSource = `export default {
      schedules: { tick: async (input, ctx) => { await ctx.kv.set('fired', input.firedAt); await ctx.records.create('deal', { title: 'scheduled' }); return null; } },
      actions: { 'acme.nightly.read': async (input, ctx) => ctx.kv.get('fired') },
    };`;
    const manifest: PluginManifest = {
      id: 'acme.nightly', version: '1.0.0', publisher: 'acme', displayName: { en: 'Nightly' }, description: { en: 'Runs at night.' }, engines: { daicho: '>=0.1.0' },
      permissions: ['schedule', 'kv', 'records.write:deal'], main: 'dist/plugin.js',
      contributes: { schedules: [{ name: 'tick', cron: '0 3 * * *' }], workflowActions: [{ type: 'acme.nightly.read', labels: { en: 'Read' }, inputSchema: { type: 'object' } }] },
    };
    const response = await uploadPlugin(t.baseUrl, t.adminToken, '/api/v1/plugins?grant=all', await buildPluginPackage(manifest, scheduleSource));
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const at = new Date('2026-11-23T03:00:10Z');
    await t.plugins.fireSchedule(workspaceId, 'acme.nightly', 'tick', at);
    await t.plugins.fireSchedule(workspaceId, 'acme.nightly', 'tick', new Date('2026-11-23T03:00:40Z'));
    const jobs = await queryDatabase<{ run_as: string }>(t.testDatabase.url, `select run_as from daicho.plugin_job where plugin_id = 'acme.nightly'`);
    expect(jobs).toEqual([{ run_as: adminId }]);
    await t.plugins.processJobs();
    const actor = await t.plugins.actorFor(workspaceId, adminId);
    expect(await t.plugins.invoke(workspaceId, 'acme.nightly', 'actions/acme.nightly.read', {}, { actor })).toBe('2026-11-23T03:00:00.000Z');
    const done = await queryDatabase<{ status: string; error: unknown }>(t.testDatabase.url, `select status, error from daicho.plugin_job where plugin_id = 'acme.nightly'`);
    expect(done, JSON.stringify(done)).toEqual([{ status: 'completed', error: null }]);
  });
});

describe('several nodes', () => {
  it('a node brings its registrations in line with what another node stored', async () => {
    await installProbe('acme.elsewhere', ['kv']);
    expect(t.automation.registry.types()).toContain('acme.elsewhere.call');
    // Another node disables it: only the stored state changes.
    await queryDatabase(t.testDatabase.url, `update daicho.plugin_installation set state = 'disabled' where plugin_id = 'acme.elsewhere'`);
    await t.plugins.reconcile();
    expect(t.automation.registry.types()).not.toContain('acme.elsewhere.call');
    await queryDatabase(t.testDatabase.url, `update daicho.plugin_installation set state = 'enabled' where plugin_id = 'acme.elsewhere'`);
    await t.plugins.reconcile();
    expect(t.automation.registry.types()).toContain('acme.elsewhere.call');
    expect(await call('acme.elsewhere', 'kv.get', ['k'])).toEqual({ ok: true, value: null });
  });
});
