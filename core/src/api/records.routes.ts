import { errors } from '../errors/index.ts';
import { createRouter, readBodyStream, readJsonBody, type HttpContext, type RouteMount } from '../http/index.ts';
import {
  createRecord, deleteRecord, getRecord, importRecords, listRecords, purgeRecord, requestHash, restoreRecord, searchRecords, updateRecord,
  assertIdempotencyKey, exportRecordsCsv, importRecordsCsv, visibleObjects, type RecordsDeps,
} from '../records/index.ts';
import type { ApiDeps } from './api-deps.ts';
import { etagVersion, setEtag } from './etag.ts';
import { parseListBody, parseListQuery } from './list-query.ts';
import { buildOpenApi } from './openapi.ts';
import { policyOf, recordsActorOf } from './access-context.ts';
import { principalOf, requireSession } from './principal.ts';

function versionOf(record: unknown): number {
  return (record as { version: number }).version;
}

/** Splits a PATCH body's `version` (a precondition) from the fields it changes. */
function splitVersion(body: unknown): { changes: unknown; version?: number } {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !('version' in body)) return { changes: body };
  const { version, ...changes } = body as Record<string, unknown>;
  if (!Number.isInteger(version)) throw errors.validationFailed([{ path: '/version', code: 'type', message: 'must be the integer version you read' }]);
  return { changes, version: version as number };
}

/** Records of any object: `/api/v1/records/:object…`, and global search at `/api/v1/search`. */
export function recordsRoutes(deps: ApiDeps): RouteMount {
  const recordsDeps: RecordsDeps = { em: deps.em, metadata: deps.metadata, logger: deps.logger, ...(deps.recordHooks ? { recordHooks: deps.recordHooks } : {}) };
  const router = createRouter({ prefix: '/api/v1' });
  router.use(requireSession(deps));

  router.get('/openapi.json', async (ctx) => {
    // Each user's document describes only the objects and fields they may read.
    ctx.body = buildOpenApi(visibleObjects(await deps.metadata.get(principalOf(ctx).workspaceId), await policyOf(ctx, deps)));
  });
  router.get('/search', async (ctx) => {
    const q = typeof ctx.query.q === 'string' ? ctx.query.q : '';
    const objects = typeof ctx.query.objects === 'string' ? ctx.query.objects.split(',').filter(Boolean) : undefined;
    const limit = typeof ctx.query.limit === 'string' ? Number(ctx.query.limit) : undefined;
    ctx.body = { hits: await searchRecords(recordsDeps, await recordsActorOf(ctx, deps), q, { objects, limitPerObject: limit }) };
  });

  router.get('/records/:object', async (ctx) => {
    ctx.body = await listRecords(recordsDeps, await recordsActorOf(ctx, deps), ctx.params.object!, parseListQuery(ctx.query));
  });
  router.post('/records/:object/query', async (ctx) => {
    ctx.body = await listRecords(recordsDeps, await recordsActorOf(ctx, deps), ctx.params.object!, parseListBody(await readJsonBody(ctx)));
  });
  router.get('/records/:object/export.csv', async (ctx) => {
    const { filter, sort, fields, deleted } = parseListQuery(ctx.query);
    const stream = await exportRecordsCsv(recordsDeps, await recordsActorOf(ctx, deps), ctx.params.object!, { filter, sort, fields, deleted });
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', `attachment; filename="${ctx.params.object!.replace(/[^\w.-]/g, '_')}.csv"`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = stream;
  });
  router.post('/records/:object/import', async (ctx) => {
    if (ctx.is('text/csv')) {
      const option = (name: string) => (typeof ctx.query[name] === 'string' ? (ctx.query[name] as string) : undefined);
      const json = (name: string) => {
        const text = option(name);
        if (text === undefined) return undefined;
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw errors.invalidQuery(name, 'must be JSON');
        }
      };
      const encoding = option('encoding');
      if (encoding !== undefined && !['auto', 'utf-8', 'shift_jis'].includes(encoding)) throw errors.invalidQuery('encoding', 'must be auto, utf-8 or shift_jis');
      ctx.body = await importRecordsCsv(recordsDeps, await recordsActorOf(ctx, deps), ctx.params.object!, readBodyStream(ctx, deps.importLimitBytes), {
        mode: option('mode') === 'partial' ? 'partial' : 'atomic',
        ...(json('mapping') ? { mapping: json('mapping') as Record<string, string> } : {}),
        ...(json('duplicates') ? { duplicates: json('duplicates') as { fields: string[]; action: 'skip' | 'update' | 'error' } } : {}),
        ...(encoding ? { encoding: encoding as 'auto' | 'utf-8' | 'shift_jis' } : {}),
      });
      return;
    }
    const body = (await readJsonBody(ctx, { limitBytes: deps.importLimitBytes, maxNodes: 20_000_000 })) as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || !Array.isArray(body.records)) throw errors.validationFailed([{ path: '/records', code: 'required', message: 'is required: an array of records' }]);
    const report = await importRecords(recordsDeps, await recordsActorOf(ctx, deps), ctx.params.object!, body.records, {
      mode: body.mode === 'partial' ? 'partial' : 'atomic',
      ...(body.duplicates ? { duplicates: body.duplicates as { fields: string[]; action: 'skip' | 'update' | 'error' } } : {}),
    });
    ctx.body = report;
  });
  router.post('/records/:object', async (ctx: HttpContext) => {
    const body = await readJsonBody(ctx);
    const key = ctx.get('idempotency-key');
    if (key) assertIdempotencyKey(key);
    const result = await createRecord(recordsDeps, await recordsActorOf(ctx, deps), ctx.params.object!, body, key ? { idempotencyKey: key, requestHash: requestHash(`POST ${ctx.path}`, body) } : {});
    ctx.status = result.status;
    if (result.replayed) ctx.set('Idempotent-Replayed', 'true');
    setEtag(ctx, versionOf(result.body));
    ctx.set('Location', `${ctx.path}/${(result.body as { id: string }).id}`);
    ctx.body = result.body;
  });
  router.get('/records/:object/:id', async (ctx) => {
    const record = await getRecord(recordsDeps, await recordsActorOf(ctx, deps), ctx.params.object!, ctx.params.id!, { deleted: ctx.query.deleted === 'true' });
    setEtag(ctx, record.version);
    ctx.body = record;
  });
  router.patch('/records/:object/:id', async (ctx) => {
    const { changes, version } = splitVersion(await readJsonBody(ctx));
    const record = await updateRecord(recordsDeps, await recordsActorOf(ctx, deps), ctx.params.object!, ctx.params.id!, changes, { ifMatch: etagVersion(ctx), bodyVersion: version });
    setEtag(ctx, record.version);
    ctx.body = record;
  });
  router.delete('/records/:object/:id', async (ctx) => {
    await deleteRecord(recordsDeps, await recordsActorOf(ctx, deps), ctx.params.object!, ctx.params.id!, { ifMatch: etagVersion(ctx) });
    ctx.status = 204;
  });
  router.post('/records/:object/:id/restore', async (ctx) => {
    const record = await restoreRecord(recordsDeps, await recordsActorOf(ctx, deps), ctx.params.object!, ctx.params.id!);
    setEtag(ctx, record.version);
    ctx.body = record;
  });
  router.post('/records/:object/:id/purge', async (ctx) => {
    await purgeRecord(recordsDeps, await recordsActorOf(ctx, deps), ctx.params.object!, ctx.params.id!);
    ctx.status = 204;
  });
  return { name: 'records', router };
}
