import { deleteEscalationRule, dryRunEscalationRule, listTimers, saveEscalationRule, setEscalationRuleEnabled, type Automation } from '../automation/index.ts';
import { errors } from '../errors/index.ts';
import { readJsonBody, type HttpContext, type HttpMiddleware, type HttpRouter } from '../http/index.ts';
import { findDefinitionRow, listDefinitionRows, listDefinitionVersions } from '../metadata/index.ts';
import { accessActorOf, recordsActorOf } from './access-context.ts';
import type { ApiDeps } from './api-deps.ts';
import { etagVersion, setEtag } from './etag.ts';
import { principalOf } from './principal.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const timerStates = ['pending', 'paused', 'fired', 'cancelled'];

function queryString(ctx: HttpContext, name: string): string | undefined {
  const value = ctx.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw errors.invalidQuery(name, 'must be given once, not empty');
  return value;
}

/**
 * Escalation rules (`/api/v1/meta/escalation-rules…`: define, versions, enable, disable, dry run,
 * mirroring workflows) and automation timers (`/api/v1/automation/timers`: what is planned for
 * which record, and when). Their runs are workflow runs: `/api/v1/automation/runs?workflow=<rule>`.
 */
export function escalationRoutes(router: HttpRouter, deps: ApiDeps, automation: Automation, designObjects: HttpMiddleware): void {
  const db = () => deps.em().getKysely();
  const findRule = async (ctx: HttpContext) => {
    const row = await findDefinitionRow(db(), principalOf(ctx).workspaceId, 'escalationRule', ctx.params.name!);
    if (!row || row.deletedAt) throw errors.notFound('Escalation rule', ctx.params.name!);
    return row;
  };

  router.get('/meta/escalation-rules', designObjects, async (ctx) => {
    const rows = await listDefinitionRows(db(), principalOf(ctx).workspaceId, 'escalationRule');
    ctx.body = { escalationRules: rows.map((row) => ({ ...row.body, version: row.version })) };
  });
  router.get('/meta/escalation-rules/:name', designObjects, async (ctx) => {
    const row = await findRule(ctx);
    setEtag(ctx, row.version);
    ctx.body = { definition: row.body, version: row.version };
  });
  router.put('/meta/escalation-rules/:name', designObjects, async (ctx) => {
    const body = await readJsonBody(ctx);
    if (body === null || typeof body !== 'object' || Array.isArray(body) || (body as { name?: unknown }).name !== ctx.params.name) {
      throw errors.validationFailed([{ path: '/name', code: 'const', message: `must be "${ctx.params.name}", the name in the path` }]);
    }
    const ifMatch = etagVersion(ctx);
    const saved = await saveEscalationRule(automation.workflowDeps, accessActorOf(ctx), body, ifMatch === undefined || ifMatch === '*' ? {} : { expectedVersion: ifMatch });
    setEtag(ctx, saved.version);
    ctx.status = saved.version === 1 ? 201 : 200;
    ctx.body = saved;
  });
  router.delete('/meta/escalation-rules/:name', designObjects, async (ctx) => {
    await deleteEscalationRule(automation.workflowDeps, accessActorOf(ctx), ctx.params.name!);
    ctx.status = 204;
  });
  router.get('/meta/escalation-rules/:name/versions', designObjects, async (ctx) => {
    const row = await findDefinitionRow(db(), principalOf(ctx).workspaceId, 'escalationRule', ctx.params.name!);
    if (!row) throw errors.notFound('Escalation rule', ctx.params.name!);
    ctx.body = { versions: await listDefinitionVersions(db(), row.id) };
  });
  for (const [path, enabled] of [['enable', true], ['disable', false]] as const) {
    router.post(`/meta/escalation-rules/:name/${path}`, designObjects, async (ctx) => {
      const saved = await setEscalationRuleEnabled(automation.workflowDeps, accessActorOf(ctx), ctx.params.name!, enabled);
      setEtag(ctx, saved.version);
      ctx.body = saved;
    });
  }
  router.post('/meta/escalation-rules/:name/dry-run', designObjects, async (ctx) => {
    const body = ((await readJsonBody(ctx)) ?? {}) as { recordId?: unknown };
    if (typeof body.recordId !== 'string' || !UUID.test(body.recordId)) throw errors.validationFailed([{ path: '/recordId', code: 'format', message: 'must be a record id' }]);
    ctx.body = await dryRunEscalationRule(automation.runsDeps, await recordsActorOf(ctx, deps), ctx.params.name!, body.recordId);
  });

  router.get('/automation/timers', designObjects, async (ctx) => {
    const state = queryString(ctx, 'state');
    if (state !== undefined && !timerStates.includes(state)) throw errors.invalidQuery('state', `must be one of ${timerStates.join(', ')}`);
    const record = queryString(ctx, 'record');
    if (record !== undefined && !UUID.test(record)) throw errors.invalidQuery('record', 'must be a record id');
    const limitText = queryString(ctx, 'limit');
    const limit = limitText === undefined ? 100 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw errors.invalidQuery('limit', 'must be an integer between 1 and 500');
    const definition = queryString(ctx, 'definition');
    ctx.body = { timers: await listTimers(db(), principalOf(ctx).workspaceId, { limit, ...(definition ? { definition } : {}), ...(record ? { recordId: record } : {}), ...(state ? { state } : {}) }) };
  });
}
