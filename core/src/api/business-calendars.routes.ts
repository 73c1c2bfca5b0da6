import { compiledCalendarOf, computeBusinessTime } from '../calendars/index.ts';
import { errors } from '../errors/index.ts';
import { createRouter, readJsonBody, type RouteMount } from '../http/index.ts';
import { deleteBusinessCalendar, findDefinitionRow, listDefinitionRows, listDefinitionVersions, saveBusinessCalendar } from '../metadata/index.ts';
import { requireCapability } from './access-context.ts';
import type { ApiDeps } from './api-deps.ts';
import { etagVersion, setEtag } from './etag.ts';
import { principalOf, requireSession } from './principal.ts';
import { metadataActorOf } from './request-context.ts';

const what = 'Business calendar';

/**
 * Business-hours calendars: `/api/v1/meta/business-calendars[/:name]` (+ versions) and
 * `POST /api/v1/meta/business-calendars/:name/compute` for business-time arithmetic on one.
 * Everything needs the designObjects permission.
 */
export function businessCalendarsRoutes(deps: ApiDeps): RouteMount {
  const metadataDeps = { em: deps.em, cache: deps.metadata };
  const router = createRouter({ prefix: '/api/v1/meta/business-calendars' });
  router.use(requireSession(deps));
  router.use(requireCapability(deps, 'designObjects'));
  const db = () => deps.em().getKysely();
  const findLive = async (workspaceId: string, name: string) => {
    const row = await findDefinitionRow(db(), workspaceId, 'businessCalendar', name);
    if (!row || row.deletedAt) throw errors.notFound(what, name);
    return row;
  };

  router.get('/', async (ctx) => {
    const rows = await listDefinitionRows(db(), principalOf(ctx).workspaceId, 'businessCalendar');
    ctx.body = { businessCalendars: rows.map((row) => ({ ...row.body, version: row.version })) };
  });
  router.get('/:name', async (ctx) => {
    const row = await findLive(principalOf(ctx).workspaceId, ctx.params.name!);
    setEtag(ctx, row.version);
    ctx.body = { definition: row.body, version: row.version };
  });
  router.put('/:name', async (ctx) => {
    const body = await readJsonBody(ctx);
    if (body === null || typeof body !== 'object' || Array.isArray(body) || (body as { name?: unknown }).name !== ctx.params.name) {
      throw errors.validationFailed([{ path: '/name', code: 'const', message: `must be "${ctx.params.name}", the name in the path` }]);
    }
    const ifMatch = etagVersion(ctx);
    const row = await saveBusinessCalendar(metadataDeps, metadataActorOf(ctx), body, ifMatch === undefined || ifMatch === '*' ? {} : { expectedVersion: ifMatch });
    setEtag(ctx, row.version);
    ctx.status = row.version === 1 ? 201 : 200;
    ctx.body = { definition: row.body, version: row.version };
  });
  router.delete('/:name', async (ctx) => {
    await deleteBusinessCalendar(metadataDeps, metadataActorOf(ctx), ctx.params.name!);
    ctx.status = 204;
  });
  router.get('/:name/versions', async (ctx) => {
    const row = await findDefinitionRow(db(), principalOf(ctx).workspaceId, 'businessCalendar', ctx.params.name!);
    if (!row) throw errors.notFound(what, ctx.params.name!);
    const versions = await listDefinitionVersions(db(), row.id);
    ctx.body = { versions: versions.map(({ body: _body, ...version }) => version) };
  });
  router.get('/:name/versions/:version', async (ctx) => {
    const row = await findDefinitionRow(db(), principalOf(ctx).workspaceId, 'businessCalendar', ctx.params.name!);
    const found = row && (await listDefinitionVersions(db(), row.id)).find((version) => String(version.version) === ctx.params.version);
    if (!found) throw errors.notFound('Version', `${ctx.params.name}@${ctx.params.version}`);
    ctx.body = found;
  });
  router.post('/:name/compute', async (ctx) => {
    const workspaceId = principalOf(ctx).workspaceId;
    const input = await readJsonBody(ctx);
    // The snapshot's definition object is stable per metadata version, so its compiled days are reused.
    const stored = (await deps.metadata.get(workspaceId)).businessCalendars.get(ctx.params.name!) ?? (await findLive(workspaceId, ctx.params.name!));
    ctx.body = computeBusinessTime(compiledCalendarOf(stored.body), input);
  });
  return { name: 'business-calendars', router };
}
