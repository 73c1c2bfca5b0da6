import { errors } from '../errors/index.ts';
import { createRouter, readJsonBody, type RouteMount } from '../http/index.ts';
import {
  addField, createObject, deleteField, deleteObject, exportDefinitions, findObjectRow, importDefinitions, listObjectRows, listObjectVersions,
  previewFieldChange, purgeDeletedFields, replaceField, replaceObject, restoreField, restoreObject, type MetadataDeps, type ObjectChangeResult,
} from '../metadata/index.ts';
import type { ApiDeps } from './api-deps.ts';
import { etagVersion, setEtag } from './etag.ts';
import { visibleDefinition } from '../records/index.ts';
import { policyOf, requireCapability } from './access-context.ts';
import { principalOf, requireSession } from './principal.ts';
import { metadataActorOf } from './request-context.ts';


function changeBody(result: ObjectChangeResult) {
  return { object: result.object.body, version: result.object.version, steps: result.steps, conversions: result.conversions, warnings: result.warnings };
}

/**
 * Object and field definitions: `/api/v1/meta/…`. Reading needs a session and shows only the
 * objects and fields the user may read (all of them with designObjects); changing needs designObjects.
 */
export function metaRoutes(deps: ApiDeps): RouteMount {
  const metadataDeps: MetadataDeps = { em: deps.em, cache: deps.metadata, logger: deps.logger, ...(deps.afterObjectChange ? { afterObjectChange: deps.afterObjectChange } : {}) };
  const router = createRouter({ prefix: '/api/v1/meta' });
  router.use(requireSession(deps));
  const admin = requireCapability(deps, 'designObjects');
  const db = () => deps.em().getKysely();

  router.get('/objects', async (ctx) => {
    const policy = await policyOf(ctx, deps);
    const designer = policy.has('designObjects');
    const rows = await listObjectRows(db(), principalOf(ctx).workspaceId, { includeDeleted: designer && ctx.query.deleted === 'true' });
    const visible = designer ? rows : rows.filter((row) => policy.allows(row.name, 'read')).map((row) => ({ ...row, body: visibleDefinition(policy, row.body) }));
    ctx.body = { objects: visible.map((row) => ({ ...row.body, version: row.version, ...(row.deletedAt ? { deletedAt: row.deletedAt.toISOString() } : {}) })) };
  });
  router.get('/objects/:name', async (ctx) => {
    const policy = await policyOf(ctx, deps);
    const designer = policy.has('designObjects');
    const row = await findObjectRow(db(), principalOf(ctx).workspaceId, ctx.params.name!);
    if (!row || row.deletedAt || (!designer && !policy.allows(row.name, 'read'))) throw errors.notFound('Object', ctx.params.name!);
    setEtag(ctx, row.version);
    ctx.body = { object: designer ? row.body : visibleDefinition(policy, row.body), version: row.version };
  });
  router.post('/objects', admin, async (ctx) => {
    const result = await createObject(metadataDeps, metadataActorOf(ctx), await readJsonBody(ctx));
    setEtag(ctx, result.object.version);
    ctx.status = 201;
    ctx.body = changeBody(result);
  });
  router.put('/objects/:name', admin, async (ctx) => {
    const ifMatch = etagVersion(ctx);
    const result = await replaceObject(metadataDeps, metadataActorOf(ctx), ctx.params.name!, await readJsonBody(ctx), ifMatch === '*' ? undefined : ifMatch);
    setEtag(ctx, result.object.version);
    ctx.body = changeBody(result);
  });
  router.delete('/objects/:name', admin, async (ctx) => {
    ctx.body = changeBody(await deleteObject(metadataDeps, metadataActorOf(ctx), ctx.params.name!));
  });
  router.post('/objects/:name/restore', admin, async (ctx) => {
    ctx.body = changeBody(await restoreObject(metadataDeps, metadataActorOf(ctx), ctx.params.name!));
  });
  router.get('/objects/:name/versions', admin, async (ctx) => {
    const row = await findObjectRow(db(), principalOf(ctx).workspaceId, ctx.params.name!);
    if (!row) throw errors.notFound('Object', ctx.params.name!);
    const versions = await listObjectVersions(db(), row.id);
    ctx.body = { versions: versions.map(({ body: _body, ...version }) => version) };
  });
  router.get('/objects/:name/versions/:version', admin, async (ctx) => {
    const row = await findObjectRow(db(), principalOf(ctx).workspaceId, ctx.params.name!);
    const found = row && (await listObjectVersions(db(), row.id)).find((version) => String(version.version) === ctx.params.version);
    if (!found) throw errors.notFound('Version', `${ctx.params.name}@${ctx.params.version}`);
    ctx.body = found;
  });
  router.post('/objects/:name/fields', admin, async (ctx) => {
    const result = await addField(metadataDeps, metadataActorOf(ctx), ctx.params.name!, await readJsonBody(ctx));
    ctx.status = 201;
    ctx.body = changeBody(result);
  });
  router.put('/objects/:name/fields/:field', admin, async (ctx) => {
    ctx.body = changeBody(await replaceField(metadataDeps, metadataActorOf(ctx), ctx.params.name!, ctx.params.field!, await readJsonBody(ctx)));
  });
  router.post('/objects/:name/fields/:field/preview', admin, async (ctx) => {
    ctx.body = await previewFieldChange(metadataDeps, metadataActorOf(ctx), ctx.params.name!, ctx.params.field!, await readJsonBody(ctx));
  });
  router.delete('/objects/:name/fields/:field', admin, async (ctx) => {
    ctx.body = changeBody(await deleteField(metadataDeps, metadataActorOf(ctx), ctx.params.name!, ctx.params.field!));
  });
  router.post('/objects/:name/fields/:field/restore', admin, async (ctx) => {
    ctx.body = changeBody(await restoreField(metadataDeps, metadataActorOf(ctx), ctx.params.name!, ctx.params.field!));
  });
  router.post('/purge-deleted-fields', admin, async (ctx) => {
    ctx.body = { purged: await purgeDeletedFields(metadataDeps, metadataActorOf(ctx), deps.fieldRetentionDays) };
  });
  router.get('/export', admin, async (ctx) => {
    ctx.set('Content-Disposition', 'attachment; filename="daicho-definitions.json"');
    ctx.body = await exportDefinitions(metadataDeps, metadataActorOf(ctx));
  });
  router.post('/import', admin, async (ctx) => {
    const results = await importDefinitions(metadataDeps, metadataActorOf(ctx), await readJsonBody(ctx, { limitBytes: 16 * 1024 * 1024 }));
    ctx.body = { objects: results.map(changeBody) };
  });
  return { name: 'meta', router };
}
