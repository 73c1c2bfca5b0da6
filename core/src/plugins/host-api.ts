import type { HostCallMethod, JsonValue, PluginPermission } from '@daicho/sdk';
import type { EntityManager } from '@mikro-orm/postgresql';
import { appendAuditEvent } from '../audit/index.ts';
import type { Mailer } from '../automation/index.ts';
import { DaichoError, errors } from '../errors/index.ts';
import type { Logger } from '../log/index.ts';
import type { MetadataCache } from '../metadata/index.ts';
import { createRecord, deleteRecord, getRecord, listRecords, updateRecord, type RecordAccess, type RecordsActor, type RecordsDeps } from '../records/index.ts';
import type { Db } from './installations.repository.ts';
import { grantsCover, permissionFor } from './plugin-grants.ts';
import { pluginFetch, type ResolveHost } from './plugin-http-fetch.ts';
import { kvDelete, kvGet, kvSet } from './plugin-kv.ts';
import { readSettingsForPlugin } from './plugin-settings.ts';
import type { TokenBuckets } from './rate-limiter.ts';
import type { HostCallHandler } from './sandbox/sandbox-contract.ts';

/** What the host API needs from the runtime, once per node. */
export interface HostApiDeps {
  em: () => EntityManager;
  metadata: MetadataCache;
  logger: Logger;
  /** The key plugin settings' secrets are sealed with. */
  settingsKey: Buffer;
  mailer?: Mailer | undefined;
  /** Per-plugin buckets for host calls. */
  callBuckets: TokenBuckets;
  /** Per-plugin buckets for e-mails. */
  mailBuckets: TokenBuckets;
  http: { resolve?: ResolveHost; allowInternal?: readonly string[]; timeoutMs: number; maxResponseBytes: number };
}

/** One invocation's side of the host API: which plugin, on whose behalf, in which transaction. */
export interface HostCallScope {
  workspaceId: string;
  pluginId: string;
  granted: readonly PluginPermission[];
  /** The user (or app role) whose record and field access applies. */
  actor: RecordsActor;
  /** Records services to use: bound to the write's transaction inside a before-hook. */
  records?: RecordsDeps;
  /** Keys outside effects (mail) so that a retried step does not repeat them. */
  idempotencyKey?: string;
}

/**
 * The actor's access, narrowed to what the plugin was granted: the plugin never does more than
 * both the user and its grants allow.
 */
export function narrowAccess(access: RecordAccess, granted: readonly PluginPermission[], pluginId: string): RecordAccess {
  return {
    allows: (objectName, action) => {
      if (!access.allows(objectName, action)) return false;
      if (objectName.startsWith(`${pluginId}.`)) return true;
      // A write-only grant passes the records services' own "may see the object" check; reads
      // themselves are refused before (records.get/list need records.read), and what a write
      // answers is cut to system fields (see writeResult).
      if (action === 'read') return granted.includes(`records.read:${objectName}`) || granted.includes(`records.write:${objectName}`);
      if (action === 'export') return granted.includes(`records.read:${objectName}`);
      return granted.includes(`records.write:${objectName}`);
    },
    fieldAccess: (objectName, fieldName) => access.fieldAccess(objectName, fieldName),
    recordScope: (objectName, mode) => access.recordScope(objectName, mode),
  };
}

const systemFields = ['id', 'version', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'ownerId'];

/** What a write answers a plugin that may write but not read the object: the record's system fields only. */
function writeResult(record: Record<string, unknown>, canRead: boolean): JsonValue {
  if (canRead) return asJson(record);
  return asJson(Object.fromEntries(Object.entries(record).filter(([key]) => systemFields.includes(key))));
}

function asJson(value: unknown): JsonValue {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue);
}

function objectArg(value: unknown, index: number): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw errors.validationFailed([{ path: `/${index}`, code: 'type', message: 'must be an object' }]);
  return value as Record<string, unknown>;
}

function stringArg(value: unknown, index: number): string {
  if (typeof value !== 'string') throw errors.validationFailed([{ path: `/${index}`, code: 'type', message: 'must be a string' }]);
  return value;
}

/**
 * The host-call handler of one invocation. Every call is checked twice: first against the
 * permissions the admin granted (a denial is audited, from outside any transaction, so it stays
 * even when the write around it rolls back), then, for records, by the records services with
 * the actor's own access, exactly as on the HTTP API.
 */
export function createHostCallHandler(deps: HostApiDeps, scope: HostCallScope): HostCallHandler {
  // A plugin's own writes do not run record hooks (its own or others'): no hook loops between plugins.
  const { recordHooks: _hooks, ...records }: RecordsDeps = scope.records ?? { em: deps.em, metadata: deps.metadata, logger: deps.logger };
  const actor: RecordsActor = { ...scope.actor, access: narrowAccess(scope.actor.access, scope.granted, scope.pluginId) };
  const db = () => records.em().getKysely() as Db;
  const bucketKey = `${scope.workspaceId}:${scope.pluginId}`;
  const mayRead = (objectName: string) => objectName.startsWith(`${scope.pluginId}.`) || grantsCover(scope.granted, `records.read:${objectName}`);

  async function audit(method: string, permission: string, reason?: string): Promise<void> {
    try {
      await appendAuditEvent(deps.em().getKysely() as Db, { workspaceId: scope.workspaceId, actorId: scope.actor.userId || null, requestId: scope.actor.requestId ?? null }, {
        kind: 'plugin.denied', details: { plugin: scope.pluginId, method, permission, ...(reason ? { reason } : {}) },
      });
    } catch (error) {
      deps.logger.error({ err: error, plugin: scope.pluginId }, 'could not audit a plugin host-call denial');
    }
  }

  async function deny(method: string, permission: string): Promise<never> {
    await audit(method, permission);
    throw errors.permissionDenied(`The plugin ${scope.pluginId} has no ${permission} permission`, { permission, plugin: scope.pluginId });
  }

  return async (method: HostCallMethod, args: JsonValue[]): Promise<JsonValue> => {
    if (!deps.callBuckets.take(bucketKey)) {
      throw new DaichoError('PLUGIN_RATE_LIMITED', `The plugin ${scope.pluginId} makes host calls too fast`, { details: { plugin: scope.pluginId } });
    }
    if (!Array.isArray(args)) throw errors.validationFailed([{ path: '', code: 'type', message: 'arguments must be an array' }]);
    const needed = permissionFor(method, args);
    // A plugin's own objects (named `<plugin id>.…`) are its to read and write; everything else needs a grant.
    const own = needed !== undefined && /^records\.(read|write):/.test(needed) && needed.slice(needed.indexOf(':') + 1).startsWith(`${scope.pluginId}.`);
    if (needed !== undefined && !own && !grantsCover(scope.granted, needed)) {
      return deny(method, method === 'http.fetch' ? `http.fetch:${String(args[0])}` : needed);
    }
    switch (method) {
      case 'records.get': {
        try {
          return asJson(await getRecord(records, actor, stringArg(args[0], 0), stringArg(args[1], 1)));
        } catch (error) {
          // Absent, in another workspace, or outside the actor's sharing: the same answer.
          if (error instanceof DaichoError && error.code === 'NOT_FOUND') return null;
          throw error;
        }
      }
      case 'records.list': {
        const query = args[1] === undefined || args[1] === null ? {} : objectArg(args[1], 1);
        const page = await listRecords(records, actor, stringArg(args[0], 0), {
          ...(query.filter !== undefined ? { filter: query.filter } : {}),
          ...(Array.isArray(query.sort) ? { sort: query.sort as Array<{ field: string; direction?: 'asc' | 'desc' }> } : {}),
          ...(typeof query.limit === 'number' ? { limit: query.limit } : {}),
          ...(typeof query.cursor === 'string' ? { cursor: query.cursor } : {}),
        });
        return asJson({ records: page.records, nextCursor: page.nextCursor ?? null });
      }
      case 'records.create':
        return writeResult((await createRecord(records, actor, stringArg(args[0], 0), objectArg(args[1], 1))).body as Record<string, unknown>, mayRead(String(args[0])));
      case 'records.update': {
        const version = args[3];
        return writeResult(await updateRecord(records, actor, stringArg(args[0], 0), stringArg(args[1], 1), objectArg(args[2], 2), typeof version === 'number' ? { bodyVersion: version } : { ifMatch: '*' }), mayRead(String(args[0])));
      }
      case 'records.delete':
        await deleteRecord(records, actor, stringArg(args[0], 0), stringArg(args[1], 1));
        return null;
      case 'http.fetch': {
        const options = args[1] === undefined || args[1] === null ? {} : objectArg(args[1], 1);
        try {
          const response = await pluginFetch(stringArg(args[0], 0), {
            ...(typeof options.method === 'string' ? { method: options.method } : {}),
            ...(options.headers && typeof options.headers === 'object' ? { headers: options.headers as Record<string, string> } : {}),
            ...(typeof options.body === 'string' ? { body: options.body } : {}),
          }, { ...deps.http, isGranted: (url) => grantsCover(scope.granted, `http.fetch:${url}`) });
          return asJson(response);
        } catch (error) {
          // A refused hop (internal address, redirect to an ungranted URL) is a denial too: audited.
          if (error instanceof DaichoError && error.code === 'PERMISSION_DENIED') await audit('http.fetch', String((error.details as { permission?: string }).permission), (error.details as { reason?: string }).reason);
          throw error;
        }
      }
      case 'mail.send': {
        const message = objectArg(args[0], 0);
        if (!deps.mailer) throw errors.serviceUnavailable('Outgoing mail', 60);
        if (!deps.mailBuckets.take(bucketKey)) throw new DaichoError('PLUGIN_RATE_LIMITED', `The plugin ${scope.pluginId} sent its share of e-mail for now`, { details: { plugin: scope.pluginId, what: 'mail' } });
        const to = stringArg(message.to, 0);
        const subject = stringArg(message.subject, 0);
        const text = typeof message.text === 'string' ? message.text : typeof message.html === 'string' ? message.html.replace(/<[^>]*>/g, '') : '';
        const messageId = `<${scope.idempotencyKey ?? crypto.randomUUID()}.${scope.pluginId}@plugins.daicho>`;
        const sent = await deps.mailer.send({ to, subject, text, messageId });
        return { messageId: sent.messageId };
      }
      case 'settings.get':
        return asJson(await readSettingsForPlugin(db(), deps.settingsKey, scope.workspaceId, scope.pluginId));
      case 'kv.get':
        return kvGet(db(), scope.workspaceId, scope.pluginId, args[0]);
      case 'kv.set':
        return kvSet(db(), scope.workspaceId, scope.pluginId, args[0], args[1]);
      case 'kv.delete':
        return kvDelete(db(), scope.workspaceId, scope.pluginId, args[0]);
      default:
        return deny(String(method), `unknown:${String(method)}`);
    }
  };
}
