import {
  cancelRun, deleteWorkflow, dryRunWorkflow, findRun, listRuns, listSteps, retryRun, saveWorkflow, setWorkflowEnabled, startManualRun, type Automation,
} from '../automation/index.ts';
import { escalationRoutes } from './escalation.routes.ts';
import { DaichoError, errors } from '../errors/index.ts';
import { createRouter, readJsonBody, type HttpContext, type RouteMount } from '../http/index.ts';
import { findDefinitionRow, listDefinitionRows, listDefinitionVersions } from '../metadata/index.ts';
import { accessActorOf, recordsActorOf, requireCapability } from './access-context.ts';
import type { ApiDeps } from './api-deps.ts';
import { etagVersion, setEtag } from './etag.ts';
import { principalOf, requireSession } from './principal.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const runStatuses = ['queued', 'running', 'waiting', 'completed', 'deadLetter', 'cancelled', 'skipped'];

function queryString(ctx: HttpContext, name: string): string | undefined {
  const value = ctx.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw errors.invalidQuery(name, 'must be given once, not empty');
  return value;
}

function runId(ctx: HttpContext): string {
  const id = ctx.params.id!;
  if (!UUID.test(id)) throw errors.notFound('Run', id);
  return id;
}

/**
 * Workflows (`/api/v1/meta/workflows…`: define, enable, disable, dry run), escalation rules
 * (`/api/v1/meta/escalation-rules…`, the same), their runs (`/api/v1/automation/runs…`: list,
 * inspect, retry, cancel), their timers (`/api/v1/automation/timers`) and the manual start on a record.
 */
export function automationRoutes(deps: ApiDeps, automation: Automation): RouteMount {
  const router = createRouter({ prefix: '/api/v1' });
  router.use(requireSession(deps));
  const designObjects = requireCapability(deps, 'designObjects');
  const db = () => deps.em().getKysely();

  router.get('/meta/workflows', designObjects, async (ctx) => {
    const rows = await listDefinitionRows(db(), principalOf(ctx).workspaceId, 'workflow');
    ctx.body = { workflows: rows.map((row) => ({ ...row.body, version: row.version })) };
  });
  router.get('/meta/workflows/:name', designObjects, async (ctx) => {
    const row = await findDefinitionRow(db(), principalOf(ctx).workspaceId, 'workflow', ctx.params.name!);
    if (!row || row.deletedAt) throw errors.notFound('Workflow', ctx.params.name!);
    setEtag(ctx, row.version);
    ctx.body = { definition: row.body, version: row.version };
  });
  router.put('/meta/workflows/:name', designObjects, async (ctx) => {
    const body = await readJsonBody(ctx);
    if (body === null || typeof body !== 'object' || Array.isArray(body) || (body as { name?: unknown }).name !== ctx.params.name) {
      throw errors.validationFailed([{ path: '/name', code: 'const', message: `must be "${ctx.params.name}", the name in the path` }]);
    }
    const ifMatch = etagVersion(ctx);
    const saved = await saveWorkflow(automation.workflowDeps, accessActorOf(ctx), body, ifMatch === undefined || ifMatch === '*' ? {} : { expectedVersion: ifMatch });
    setEtag(ctx, saved.version);
    ctx.status = saved.version === 1 ? 201 : 200;
    ctx.body = saved;
  });
  router.delete('/meta/workflows/:name', designObjects, async (ctx) => {
    await deleteWorkflow(automation.workflowDeps, accessActorOf(ctx), ctx.params.name!);
    ctx.status = 204;
  });
  router.get('/meta/workflows/:name/versions', designObjects, async (ctx) => {
    const row = await findDefinitionRow(db(), principalOf(ctx).workspaceId, 'workflow', ctx.params.name!);
    if (!row) throw errors.notFound('Workflow', ctx.params.name!);
    ctx.body = { versions: await listDefinitionVersions(db(), row.id) };
  });
  for (const [path, enabled] of [['enable', true], ['disable', false]] as const) {
    router.post(`/meta/workflows/:name/${path}`, designObjects, async (ctx) => {
      const saved = await setWorkflowEnabled(automation.workflowDeps, accessActorOf(ctx), ctx.params.name!, enabled);
      setEtag(ctx, saved.version);
      ctx.body = saved;
    });
  }
  router.post('/meta/workflows/:name/dry-run', designObjects, async (ctx) => {
    const body = ((await readJsonBody(ctx)) ?? {}) as { recordId?: unknown; previous?: unknown };
    if (body.recordId !== undefined && (typeof body.recordId !== 'string' || !UUID.test(body.recordId))) {
      throw errors.validationFailed([{ path: '/recordId', code: 'format', message: 'must be a record id' }]);
    }
    if (body.previous !== undefined && (body.previous === null || typeof body.previous !== 'object' || Array.isArray(body.previous))) {
      throw errors.validationFailed([{ path: '/previous', code: 'type', message: 'must be an object of field values' }]);
    }
    ctx.body = await dryRunWorkflow(automation.runsDeps, await recordsActorOf(ctx, deps), ctx.params.name!, {
      ...(body.recordId ? { recordId: body.recordId } : {}), ...(body.previous ? { previous: body.previous as Record<string, unknown> } : {}),
    });
  });

  router.get('/automation/runs', designObjects, async (ctx) => {
    const status = queryString(ctx, 'status');
    if (status !== undefined && !runStatuses.includes(status)) throw errors.invalidQuery('status', `must be one of ${runStatuses.join(', ')}`);
    const record = queryString(ctx, 'record');
    if (record !== undefined && !UUID.test(record)) throw errors.invalidQuery('record', 'must be a record id');
    const cursor = queryString(ctx, 'cursor');
    if (cursor !== undefined && !UUID.test(cursor)) throw new DaichoError('INVALID_CURSOR', 'The cursor is not one this list returned');
    const limitText = queryString(ctx, 'limit');
    const limit = limitText === undefined ? 50 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw errors.invalidQuery('limit', 'must be an integer between 1 and 200');
    const workflow = queryString(ctx, 'workflow');
    ctx.body = await listRuns(db(), principalOf(ctx).workspaceId, {
      limit, ...(workflow ? { workflow } : {}), ...(record ? { recordId: record } : {}), ...(status ? { status } : {}), ...(cursor ? { after: cursor } : {}),
    });
  });
  router.get('/automation/runs/:id', designObjects, async (ctx) => {
    const run = await findRun(db(), principalOf(ctx).workspaceId, runId(ctx));
    if (!run) throw errors.notFound('Run', ctx.params.id!);
    ctx.body = { ...run, steps: await listSteps(db(), run.id) };
  });
  router.post('/automation/runs/:id/retry', designObjects, async (ctx) => {
    ctx.body = await retryRun(automation.runsDeps, principalOf(ctx).workspaceId, runId(ctx));
  });
  router.post('/automation/runs/:id/cancel', designObjects, async (ctx) => {
    ctx.body = await cancelRun(automation.runsDeps, principalOf(ctx).workspaceId, runId(ctx));
  });

  escalationRoutes(router, deps, automation, designObjects);

  router.post('/records/:object/:id/workflows/:name', async (ctx) => {
    const run = await startManualRun(automation.runsDeps, await recordsActorOf(ctx, deps), ctx.params.object!, ctx.params.id!, ctx.params.name!);
    ctx.status = 202;
    ctx.body = run;
  });
  return { name: 'automation', router };
}
