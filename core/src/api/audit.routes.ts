import { listAuditEvents, listRecordHistory, sealAuditTrail, verifyAuditTrail, type AuditQuery, type CanReadField } from '../audit/index.ts';
import { DaichoError, errors } from '../errors/index.ts';
import { createRouter, type HttpContext, type RouteMount } from '../http/index.ts';
import { getRecord, type RecordsDeps } from '../records/index.ts';
import type { ApiDeps } from './api-deps.ts';
import { parsePage, single as singleParameter, type QueryString } from './list-query.ts';
import { policyOf, recordsActorOf, requireCapability } from './access-context.ts';
import { principalOf, requireSession } from './principal.ts';

export interface AuditRoutesOptions {
  /**
   * Which fields of which objects the request's user may see; changes of other fields are left
   * out of every event returned. Default: the user's field permissions.
   */
  fieldVisibility?: (ctx: HttpContext) => CanReadField | Promise<CanReadField>;
}

/** A query parameter given at most once; empty counts as absent. */
function single(query: QueryString, name: string): string | undefined {
  const value = singleParameter(query, name);
  return value === '' ? undefined : value;
}

function instant(query: QueryString, name: string): Date | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (!/^\d{4}-\d\d-\d\d(T[\d:.]+(Z|[+-]\d\d:\d\d)?)?$/.test(value) || Number.isNaN(date.getTime())) throw errors.invalidQuery(name, 'must be an ISO 8601 date or date-time, such as 2026-11-22T09:00:00Z');
  return date;
}

const page = (query: QueryString) => parsePage(query, single);

/** `kind`, `object`, `recordId`, `actor`, `from`, `to`, `cursor`, `limit`. */
function parseAuditQuery(query: QueryString): AuditQuery {
  const result: AuditQuery = page(query);
  const kinds = single(query, 'kind')?.split(',').map((kind) => kind.trim()).filter(Boolean);
  if (kinds) result.kinds = kinds;
  const objectName = single(query, 'object');
  if (objectName !== undefined) result.objectName = objectName;
  const recordId = single(query, 'recordId');
  if (recordId !== undefined) result.recordId = recordId;
  const actorId = single(query, 'actor');
  if (actorId !== undefined) result.actorId = actorId;
  const from = instant(query, 'from');
  if (from) result.from = from;
  const to = instant(query, 'to');
  if (to) result.to = to;
  return result;
}

/**
 * The audit trail: `/api/v1/audit` (the workspace's log, viewAudit), `/api/v1/audit/verify`
 * (check the hash chain, viewAudit) and `/api/v1/records/:object/:id/history` (a record's events,
 * for anyone who can read the record).
 */
export function auditRoutes(deps: ApiDeps, options: AuditRoutesOptions = {}): RouteMount {
  const recordsDeps: RecordsDeps = { em: deps.em, metadata: deps.metadata, logger: deps.logger };
  const router = createRouter({ prefix: '/api/v1' });
  router.use(requireSession(deps));
  const db = () => deps.em().getKysely();
  const fieldVisibility = options.fieldVisibility ?? (async (ctx: HttpContext): Promise<CanReadField> => {
    const policy = await policyOf(ctx, deps);
    return (objectName, fieldName) => policy.fieldAccess(objectName, fieldName) !== 'none';
  });
  const readOptions = async (ctx: HttpContext) => ({ canReadField: await fieldVisibility(ctx) });
  const viewAudit = requireCapability(deps, 'viewAudit');

  router.get('/audit', viewAudit, async (ctx) => {
    const { workspaceId } = principalOf(ctx);
    const query = parseAuditQuery(ctx.query);
    // Sealed first, so that every event listed shows its chain position.
    await sealAuditTrail(db(), workspaceId);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await listAuditEvents(db(), workspaceId, query, await readOptions(ctx));
  });
  router.get('/audit/verify', viewAudit, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await verifyAuditTrail(db(), principalOf(ctx).workspaceId);
  });
  router.get('/records/:object/:id/history', async (ctx) => {
    const actor = await recordsActorOf(ctx, deps);
    const objectName = ctx.params.object!;
    const id = ctx.params.id!;
    // Whoever can read the record (live or in the recycle bin) can read its history.
    try {
      await getRecord(recordsDeps, actor, objectName, id);
    } catch (error) {
      if (!(error instanceof DaichoError) || error.code !== 'NOT_FOUND') throw error;
      await getRecord(recordsDeps, actor, objectName, id, { deleted: true });
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await listRecordHistory(db(), actor.workspaceId, objectName, id, page(ctx.query), await readOptions(ctx));
  });
  return { name: 'audit', router };
}
