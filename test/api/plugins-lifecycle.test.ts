import type { ObjectDefinition, PluginManifest } from '@daicho/sdk';
import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { queryDatabase, workspaceSchema } from '../support/database-inspection.ts';
import { buildPluginPackage, uploadPlugin } from '../support/plugin-packages.ts';

// One plugin through its whole life, with real sandbox runner processes: install, use (a record
// hook that stamps and refuses writes, an after-hook, a workflow action), an upgrade whose
// migration fails (rolled back, checksums equal), one that works, disable (registries as before
// install), enable, uninstall (data kept), reinstall (data back), purge.

const deal: ObjectDefinition = {
  name: 'deal',
  labels: { en: 'Deal', ja: '商談' },
  titleField: 'title',
  fields: [
    { name: 'title', type: 'text', labels: { en: 'Title' }, required: true },
    { name: 'note', type: 'text', labels: { en: 'Note' } },
    { name: 'amount', type: 'integer', labels: { en: 'Amount' } },
  ],
};

const item = (extra: ObjectDefinition['fields'] = []): ObjectDefinition => ({
  name: 'acme.stock.item',
  labels: { en: 'Stock item', ja: '在庫品目' },
  titleField: 'sku',
  fields: [
    { name: 'sku', type: 'text', labels: { en: 'SKU' }, required: true },
    { name: 'qty', type: 'integer', labels: { en: 'Quantity' } },
    ...extra,
  ],
});

const manifest = (version: string, extra: Partial<PluginManifest> = {}): PluginManifest => ({
  id: 'acme.stock',
  version,
  publisher: 'acme',
  displayName: { en: 'Stock', ja: '在庫' },
  description: { en: 'Keeps stock.' },
  engines: { daicho: '>=0.1.0' },
  permissions: ['records.read:deal', 'records.write:deal', 'kv'],
  main: 'dist/plugin.js',
  contributes: {
    objects: ['definitions/item.object.json'],
    fields: [{ object: 'deal', file: 'definitions/deal-fields.json' }],
    recordHooks: [{ object: 'deal', events: ['beforeCreate', 'beforeUpdate', 'afterCreate'] }],
    workflowActions: [{
      type: 'acme.stock.reserve', labels: { en: 'Reserve stock' },
      inputSchema: { type: 'object', properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } }, required: ['sku', 'qty'] },
    }],
    settingsSchema: { type: 'object', properties: { warehouse: { type: 'string' }, apiKey: { type: 'string', format: 'password' } }, additionalProperties: false },
  },
  ...extra,
});

const source = (version: string, migrations: string) => `
import { definePlugin } from '@daicho/sdk';

export default definePlugin({
  hooks: {
    deal: {
      async beforeCreate(input, ctx) {
        if (input.record.title === 'forbidden') return { problems: [{ field: 'title', message: 'this title is refused by the stock plugin' }] };
        const seen = (await ctx.kv.get('seen')) ?? 0;
        await ctx.kv.set('seen', seen + 1);
        return { set: { note: 'stamped by ${version}' } };
      },
      async beforeUpdate(input) {
        if (input.record.amount !== null && input.record.amount < 0) return { problems: [{ field: 'amount', message: 'no negative amounts' }] };
        return null;
      },
      async afterCreate(input, ctx) {
        await ctx.records.create('acme.stock.item', { sku: 'after-' + input.record.title, qty: 0 });
        return null;
      },
    },
  },
  actions: {
    'acme.stock.reserve': async (input, ctx) => {
      const created = await ctx.records.create('acme.stock.item', { sku: input.sku, qty: input.qty });
      return { itemId: created.id, key: input.idempotencyKey };
    },
  },
  migrations: { ${migrations} },
});`;

const v1Migrations = `'1.0.0': async (input, ctx) => { await ctx.records.create('acme.stock.item', { sku: 'seed', qty: 1 }); return null; }`;
const dealFields = [{ name: 'stockLevel', type: 'integer', labels: { en: 'Stock level' } }];

let t: TestDaicho;
let workspaceId: string;

async function install(bytes: Uint8Array, query = '?grant=all') {
  return uploadPlugin(t.baseUrl, t.adminToken, `/api/v1/plugins${query}`, bytes);
}

async function upgrade(bytes: Uint8Array, query = '?grant=all') {
  return uploadPlugin(t.baseUrl, t.adminToken, `/api/v1/plugins/acme.stock/upgrade${query}`, bytes);
}

async function itemTable(): Promise<string> {
  const rows = await queryDatabase<{ body: { table: string } }>(t.testDatabase.url, `select body from daicho.definition where workspace_id = $1 and kind = 'object' and name = 'acme.stock.item'`, [workspaceId]);
  return `"${workspaceSchema(workspaceId)}"."${rows[0]!.body.table}"`;
}

/** A checksum of everything the plugin owns: its records, its definitions, its installation. */
async function checksums(): Promise<Record<string, string>> {
  const one = async (sql: string, values: unknown[] = []) => (await queryDatabase<{ sum: string | null }>(t.testDatabase.url, sql, values))[0]!.sum ?? '';
  return {
    items: await one(`select md5(coalesce(string_agg(t::text, '|' order by id), '')) as sum from ${await itemTable()} t`),
    definitions: await one(`select md5(string_agg(name || ':' || version || ':' || body::text, '|' order by name)) as sum from daicho.definition where workspace_id = $1`, [workspaceId]),
    installation: await one(`select md5(version || state || digest || granted_permissions::text) as sum from daicho.plugin_installation where workspace_id = $1`, [workspaceId]),
  };
}

async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await t.plugins.processJobs();
    await t.auditSealer.sealPending();
    await t.automation.tick();
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const registries = () => ({ hooks: t.plugins.registrations(), actions: t.automation.registry.types().sort() });

beforeAll(async () => {
  t = await startTestDaicho({ serverUrl: inject('databaseUrl'), env: { DAICHO_PLUGIN_RUNNERS: '1', DAICHO_WORKFLOW_DISPATCH_INTERVAL: '100', DAICHO_PLUGIN_JOB_INTERVAL: '100' } });
  expect((await t.api.post('/api/v1/meta/objects', deal)).status).toBe(201);
  workspaceId = (await t.api.get('/api/v1/auth/me')).body.workspaceId ?? (await queryDatabase<{ id: string }>(t.testDatabase.url, `select id from daicho.workspace where slug = 'demo'`))[0]!.id;
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('a plugin from install to purge', () => {
  let before: ReturnType<typeof registries>;
  let dealId: string;

  it('installs: objects and fields applied, migration run, hooks and actions registered, audited', async () => {
    before = registries();
    const response = await install(await buildPluginPackage(manifest('1.0.0'), source('1.0.0', v1Migrations), { 'definitions/item.object.json': item(), 'definitions/deal-fields.json': dealFields }));
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).toMatchObject({ id: 'acme.stock', version: '1.0.0', state: 'enabled' });
    expect(response.body.permissions[0]).toMatchObject({ permission: 'records.read:deal', granted: true, description: { en: expect.any(String), ja: expect.any(String) } });
    const items = await t.api.get('/api/v1/records/acme.stock.item');
    expect(items.body.records.map((record: { sku: string }) => record.sku)).toEqual(['seed']);
    expect(((b) => b.object ?? b)((await t.api.get('/api/v1/meta/objects/deal')).body).fields.some((field: { name: string }) => field.name === 'stockLevel')).toBe(true);
    expect(registries().actions).toContain('acme.stock.reserve');
    const audit = await t.api.get('/api/v1/audit?kind=plugin.install');
    expect(audit.body.events[0]).toMatchObject({ kind: 'plugin.install', details: { plugin: 'acme.stock', version: '1.0.0' } });
  });

  it('runs its record hooks: stamps a create, refuses another (422, nothing written), queues the after-hook', async () => {
    const created = await t.api.post('/api/v1/records/deal', { title: 'Tokyo' });
    expect(created.status).toBe(201);
    expect(created.body.note).toBe('stamped by 1.0.0');
    dealId = created.body.id;
    const refused = await t.api.post('/api/v1/records/deal', { title: 'forbidden' });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { problems: [{ path: '/title', message: 'this title is refused by the stock plugin' }] } });
    const listed = await t.api.get('/api/v1/records/deal');
    expect(listed.body.records.map((record: { title: string }) => record.title)).toEqual(['Tokyo']);
    const negative = await t.api.patch(`/api/v1/records/deal/${dealId}`, { amount: -1 }, { headers: { 'if-match': '*' } });
    expect(negative.status).toBe(422);
    await eventually(async () => (await t.api.get('/api/v1/records/acme.stock.item')).body.records.some((record: { sku: string }) => record.sku === 'after-Tokyo'));
  });

  it('runs its workflow action in a workflow, with input checked at save', async () => {
    const bad = await t.api.put('/api/v1/meta/workflows/reserve', { name: 'reserve', labels: { en: 'Reserve' }, trigger: { type: 'manual', object: 'deal' }, actions: [{ type: 'acme.stock.reserve', input: { sku: 'x' } }] });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.problems[0].path).toBe('/actions/0/input');
    const saved = await t.api.put('/api/v1/meta/workflows/reserve', { name: 'reserve', labels: { en: 'Reserve' }, trigger: { type: 'manual', object: 'deal' }, actions: [{ type: 'acme.stock.reserve', input: { sku: 'reserved', qty: 2 } }] });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const started = await t.api.post(`/api/v1/records/deal/${dealId}/workflows/reserve`);
    expect(started.status).toBe(202);
    const run = await eventually(async () => {
      const current = (await t.api.get(`/api/v1/automation/runs/${started.body.id}`)).body;
      return current.status === 'completed' || current.status === 'deadLetter' ? current : undefined;
    });
    expect(run.status, JSON.stringify(run)).toBe('completed');
    expect(run.steps?.[0]?.output ?? run.steps?.[0]).toBeDefined();
    const items = (await t.api.get('/api/v1/records/acme.stock.item')).body.records;
    expect(items.find((record: { sku: string }) => record.sku === 'reserved')).toMatchObject({ qty: 2 });
  });

  it('rolls an upgrade back when its migration fails halfway: checksums equal, old version active', async () => {
    const sums = await checksums();
    const failing = source('1.1.0', `${v1Migrations}, '1.1.0': async (input, ctx) => { await ctx.records.create('acme.stock.item', { sku: 'half', qty: 1 }); throw new Error('step two failed'); }`);
    const response = await upgrade(await buildPluginPackage(manifest('1.1.0'), failing, { 'definitions/item.object.json': item([{ name: 'location', type: 'text', labels: { en: 'Location' } }]), 'definitions/deal-fields.json': dealFields }));
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('PLUGIN_ERROR');
    expect(await checksums()).toEqual(sums);
    expect((await t.api.get('/api/v1/plugins/acme.stock')).body).toMatchObject({ version: '1.0.0', state: 'enabled' });
    expect((await t.api.post('/api/v1/records/deal', { title: 'Still v1' })).body.note).toBe('stamped by 1.0.0');
  });

  it('refuses an upgrade that is not newer', async () => {
    const response = await upgrade(await buildPluginPackage(manifest('1.0.0'), source('1.0.0', v1Migrations), { 'definitions/item.object.json': item(), 'definitions/deal-fields.json': dealFields }));
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('PLUGIN_VERSION_NOT_NEWER');
  });

  it('upgrades: definitions diffed by name (data kept), the new migration run, the new code live', async () => {
    // The after-hook work of earlier writes is done first, so that the migration sees every item.
    await eventually(async () => (await queryDatabase(t.testDatabase.url, `select 1 from daicho.plugin_job where status in ('queued', 'running')`)).length === 0);
    const migrations = `${v1Migrations}, '1.2.0': async (input, ctx) => { const page = await ctx.records.list('acme.stock.item', { limit: 100 }); for (const record of page.records) await ctx.records.update('acme.stock.item', record.id, { location: 'main' }); return null; }`;
    const response = await upgrade(await buildPluginPackage(manifest('1.2.0'), source('1.2.0', migrations), { 'definitions/item.object.json': item([{ name: 'location', type: 'text', labels: { en: 'Location' } }]), 'definitions/deal-fields.json': dealFields }));
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ version: '1.2.0', state: 'enabled' });
    const items = (await t.api.get('/api/v1/records/acme.stock.item')).body.records as Array<{ sku: string; location: string }>;
    expect(items.map((record) => record.sku)).toEqual(expect.arrayContaining(['seed', 'after-Tokyo', 'reserved']));
    expect(items.every((record) => record.location === 'main')).toBe(true);
    expect((await t.api.post('/api/v1/records/deal', { title: 'Now v1.2' })).body.note).toBe('stamped by 1.2.0');
  });

  it('disables: every registration removed (registries exactly as before install); enables again', async () => {
    const disabled = await t.api.post('/api/v1/plugins/acme.stock/disable');
    expect(disabled.status).toBe(200);
    expect(disabled.body.state).toBe('disabled');
    expect(registries()).toEqual(before);
    expect((await t.api.post('/api/v1/records/deal', { title: 'forbidden' })).status).toBe(201);
    const enabled = await t.api.post('/api/v1/plugins/acme.stock/enable');
    expect(enabled.body.state).toBe('enabled');
    expect((await t.api.post('/api/v1/records/deal', { title: 'forbidden' })).status).toBe(422);
  });

  it('keeps settings, with secrets write-only', async () => {
    const saved = await t.api.put('/api/v1/plugins/acme.stock/settings', { warehouse: 'Osaka', apiKey: 's3cret' });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ values: { warehouse: 'Osaka' }, secrets: { apiKey: { set: true } } });
    expect(JSON.stringify((await t.api.get('/api/v1/plugins/acme.stock/settings')).body)).not.toContain('s3cret');
    const invalid = await t.api.put('/api/v1/plugins/acme.stock/settings', { warehouse: 3 });
    expect(invalid.status).toBe(422);
  });

  it('uninstalls keeping the data, reinstalls with the data back, and purges only on confirmation', async () => {
    // After-create hooks of the deals made above run as queued work: let them finish, so that the
    // count below is the data the uninstall must keep.
    await expect.poll(async () => Number((await queryDatabase<{ n: string }>(t.testDatabase.url, `select count(*) as n from daicho.plugin_job where status in ('queued', 'running')`))[0]!.n), { timeout: 15_000 }).toBe(0);
    const countBefore = (await t.api.get('/api/v1/records/acme.stock.item')).body.records.length;
    const removed = await t.api.delete('/api/v1/plugins/acme.stock');
    expect(removed.status).toBe(200);
    expect(removed.body.state).toBe('uninstalled');
    expect(registries()).toEqual(before);
    expect((await t.api.get('/api/v1/records/acme.stock.item')).status).toBe(404);
    const rows = await queryDatabase<{ n: string }>(t.testDatabase.url, `select count(*) as n from ${await itemTable()}`);
    expect(Number(rows[0]!.n)).toBe(countBefore);
    expect((await t.api.get('/api/v1/plugins')).body.plugins).toEqual([]);

    const again = await install(await buildPluginPackage(manifest('1.2.0'), source('1.2.0', `'1.0.0': () => null, '1.2.0': () => null`), { 'definitions/item.object.json': item([{ name: 'location', type: 'text', labels: { en: 'Location' } }]), 'definitions/deal-fields.json': dealFields }));
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect((await t.api.get('/api/v1/records/acme.stock.item')).body.records.length).toBe(countBefore);

    expect((await t.api.delete('/api/v1/plugins/acme.stock')).status).toBe(200);
    const unconfirmed = await t.api.post('/api/v1/plugins/acme.stock/purge', { confirm: 'acme.other' });
    expect(unconfirmed.status).toBe(422);
    const purged = await t.api.post('/api/v1/plugins/acme.stock/purge', { confirm: 'acme.stock' });
    expect(purged.status).toBe(200);
    expect(purged.body.purgedObjects).toEqual(['acme.stock.item']);
    expect((await queryDatabase(t.testDatabase.url, `select 1 from daicho.definition where workspace_id = $1 and name = 'acme.stock.item'`, [workspaceId])).length).toBe(0);
    const audit = await t.api.get('/api/v1/audit?kind=plugin.purge');
    expect(audit.body.events[0]).toMatchObject({ details: { plugin: 'acme.stock', purgedObjects: ['acme.stock.item'] } });
    expect((await t.fetch('/readyz')).status).toBe(200);
  });

  it('row 28: purges an uninstalled plugin\'s data once the retention period is over, audited', async () => {
    const tiny: PluginManifest = { id: 'acme.tiny', version: '1.0.0', publisher: 'acme', displayName: { en: 'Tiny' }, description: { en: 'Keeps a little.' }, engines: { daicho: '>=0.1.0' }, permissions: [], contributes: { objects: ['definitions/note.object.json'] } };
    const note: ObjectDefinition = { name: 'acme.tiny.note', labels: { en: 'Note' }, fields: [{ name: 'text', type: 'text', labels: { en: 'Text' } }] };
    expect((await install(await buildPluginPackage(tiny, undefined, { 'definitions/note.object.json': note }))).status).toBe(201);
    expect((await t.api.post('/api/v1/records/acme.tiny.note', { text: 'kept for a while' })).status).toBe(201);
    expect((await t.api.delete('/api/v1/plugins/acme.tiny')).status).toBe(200);
    expect(await t.purgeExpiredPlugins(new Date(Date.now() + 29 * 86_400_000))).toEqual([]);
    expect((await queryDatabase(t.testDatabase.url, `select 1 from daicho.definition where workspace_id = $1 and name = 'acme.tiny.note'`, [workspaceId])).length).toBe(1);
    expect(await t.purgeExpiredPlugins(new Date(Date.now() + 31 * 86_400_000))).toEqual([{ workspaceId, pluginId: 'acme.tiny' }]);
    expect((await queryDatabase(t.testDatabase.url, `select 1 from daicho.definition where workspace_id = $1 and name = 'acme.tiny.note'`, [workspaceId])).length).toBe(0);
    const audit = await t.api.get('/api/v1/audit?kind=plugin.purge');
    expect(audit.body.events[0]).toMatchObject({ actorId: null, details: { plugin: 'acme.tiny', reason: 'retention', purgedObjects: ['acme.tiny.note'] } });
  });
});
