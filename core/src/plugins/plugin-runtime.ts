import type { BeforeHookResult, HandlerPath, JsonValue, PluginManifest, PluginPackage, RecordHookEvent } from '@daicho/sdk';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Cron } from 'croner';
import { sql } from 'kysely';
import type { AccessResolver } from '../access/index.ts';
import { appendAuditEvent } from '../audit/index.ts';
import type { ActionRegistry } from '../automation/index.ts';
import { findUser } from '../auth/index.ts';
import { generateUuidV7 } from '../db/index.ts';
import { DaichoError, errors } from '../errors/index.ts';
import type { Logger } from '../log/index.ts';
import type { MetadataCache } from '../metadata/index.ts';
import type { RecordAccess, RecordHookRegistry, RecordsActor, RecordsDeps } from '../records/index.ts';
import { createPlatformAjv } from '../validation/index.ts';
import { createHostCallHandler, type HostApiDeps } from './host-api.ts';
import { findInstallation, listInstallations, recordOutcome, saveInstallation, type Db, type Installation } from './installations.repository.ts';
import type { SandboxLimits, SandboxPool } from './sandbox/sandbox-contract.ts';

/** Reads a package's bytes into memory (the SDK's `readPluginPackage`). */
export type PackageReader = (bytes: Uint8Array) => Promise<PluginPackage>;

export interface PluginRuntimeOptions {
  em: () => EntityManager;
  metadata: MetadataCache;
  logger: Logger;
  pool: SandboxPool;
  recordHooks: RecordHookRegistry;
  actions: ActionRegistry;
  access: AccessResolver;
  hostApi: HostApiDeps;
  readPackage: PackageReader;
  limits: SandboxLimits;
  /** Failed invocations in a row, and limit breaches (timeout, deadline, memory), after which a plugin is disabled. */
  failurePolicy: { maxConsecutiveFailures: number; maxLimitFailures: number };
  /** Whether this node runs queued plugin work and schedules (worker and all nodes). */
  background: boolean;
  jobs: { maxAttempts: number; retryDelayMs: number; intervalMs: number };
}

/** On whose behalf, and in which transaction, one invocation runs. */
export interface InvocationScope {
  actor: RecordsActor;
  records?: RecordsDeps;
  idempotencyKey?: string;
  /**
   * Whether failures count towards the failure policy (default true). Migrations pass false: they
   * run in a transaction that holds the installation row, and their failure rolls back anyway.
   */
  countFailures?: boolean;
}

interface ActivePlugin {
  installation: Installation;
  sandboxKey: string | undefined;
  disposers: Array<() => void>;
}

const limitCodes = new Set(['PLUGIN_TIMEOUT', 'PLUGIN_DEADLINE', 'PLUGIN_MEMORY_LIMIT']);
const failureCodes = new Set(['PLUGIN_ERROR', 'PLUGIN_OUTPUT_TOO_LARGE', 'PLUGIN_UNAVAILABLE', ...limitCodes]);

export const sandboxKeyOf = (workspaceId: string, manifest: PluginManifest) => `${workspaceId}:${manifest.id}@${manifest.version}`;

/**
 * The plugins at work on this node: their code in the sandbox pool, their registrations in the
 * domains' registries (each with its disposer), the queue of their after-write work and their
 * schedules, and the failure policy that disables a plugin that keeps failing.
 */
export function createPluginRuntime(options: PluginRuntimeOptions) {
  const active = new Map<string, ActivePlugin>();
  /** Action types are global on a node; each workspace where the plugin is enabled adds itself. */
  const actionUsers = new Map<string, { workspaces: Set<string>; dispose: () => void }>();
  const failures = new Map<string, number>();
  const ajv = createPlatformAjv({ allErrors: true, strict: false, formats: ['date', 'date-time', 'email', 'uri', 'uuid'] });
  const validators = new Map<string, ReturnType<typeof ajv.compile>>();
  const keyOf = (workspaceId: string, pluginId: string) => `${workspaceId}:${pluginId}`;
  /** Activations and deactivations of one plugin run one after another (the lifecycle and the reconciler may race). */
  const locks = new Map<string, Promise<unknown>>();
  const serially = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const previous = locks.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    locks.set(key, next);
    void next.finally(() => {
      if (locks.get(key) === next) locks.delete(key);
    }).catch(() => undefined);
    return next;
  };
  const signatureOf = (installation: Pick<Installation, 'version' | 'digest' | 'grantedPermissions'>) => `${installation.version}|${installation.digest}|${installation.grantedPermissions.join(',')}`;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  async function codeOf(installation: Pick<Installation, 'manifest' | 'packageBytes'>): Promise<string | undefined> {
    if (!installation.manifest.main) return undefined;
    const pkg = await options.readPackage(installation.packageBytes);
    const file = pkg.files.get(installation.manifest.main);
    if (!file) throw new DaichoError('INVALID_PLUGIN_PACKAGE', `The package has no ${installation.manifest.main}`, { details: { reason: 'missingMain', path: installation.manifest.main } });
    return Buffer.from(file).toString('utf8');
  }

  /** Loads a version's code into the pool under its own key (an upgrade's code sits beside the running version's). */
  async function loadCode(workspaceId: string, installation: Pick<Installation, 'manifest' | 'packageBytes'>): Promise<string | undefined> {
    const code = await codeOf(installation);
    if (code === undefined) return undefined;
    const key = sandboxKeyOf(workspaceId, installation.manifest);
    await options.pool.load({ key, code, limits: options.limits }, { eager: installation.manifest.activation === 'startup' });
    return key;
  }

  /** The user's access in the workspace: their role's, as on the HTTP API. */
  async function actorFor(workspaceId: string, userId: string | null): Promise<RecordsActor> {
    const user = userId ? await findUser(options.em(), workspaceId, userId) : undefined;
    if (!user || user.status !== 'active') {
      const none: RecordAccess = { allows: () => false, fieldAccess: () => 'none', recordScope: () => undefined };
      return { workspaceId, userId: userId ?? '00000000-0000-0000-0000-000000000000', timeZone: 'UTC', access: none };
    }
    const access = await options.access.policyFor(workspaceId, { userId: user.id, isAdmin: user.isAdmin, roleName: user.roleName });
    return { workspaceId, userId: user.id, timeZone: user.timeZone, access };
  }

  async function invokeSandbox(installation: Installation, sandboxKey: string, handler: HandlerPath, input: JsonValue, scope: InvocationScope): Promise<JsonValue> {
    const hostCalls = createHostCallHandler(options.hostApi, {
      workspaceId: installation.workspaceId, pluginId: installation.pluginId, granted: installation.grantedPermissions, actor: scope.actor,
      ...(scope.records ? { records: scope.records } : {}), ...(scope.idempotencyKey ? { idempotencyKey: scope.idempotencyKey } : {}),
    });
    const key = keyOf(installation.workspaceId, installation.pluginId);
    try {
      const result = await options.pool.invoke(sandboxKey, handler, input, hostCalls);
      for (const line of result.logs) options.logger[line.level === 'debug' ? 'debug' : line.level]({ plugin: installation.pluginId, workspaceId: installation.workspaceId, handler }, line.message);
      if (scope.countFailures !== false && failures.get(key)) {
        failures.delete(key);
        await recordOutcome(options.em().getKysely() as Db, installation.workspaceId, installation.pluginId, 'ok');
      }
      return result.value;
    } catch (error) {
      const code = error instanceof DaichoError ? error.code : (error as { code?: string }).code;
      if (scope.countFailures !== false && code && failureCodes.has(code)) await countFailure(installation, code);
      throw error;
    }
  }

  /** Counts a failure on its own connection (the caller's transaction may roll back) and disables the plugin past the policy. */
  async function countFailure(installation: Installation, code: string): Promise<void> {
    const key = keyOf(installation.workspaceId, installation.pluginId);
    failures.set(key, (failures.get(key) ?? 0) + 1);
    try {
      const counts = await recordOutcome(options.em().getKysely() as Db, installation.workspaceId, installation.pluginId, limitCodes.has(code) ? 'limit' : 'failed');
      const policy = options.failurePolicy;
      if (counts.consecutive >= policy.maxConsecutiveFailures || counts.limits >= policy.maxLimitFailures) {
        const reason = counts.limits >= policy.maxLimitFailures ? `exceeded its limits ${counts.limits} times (last: ${code})` : `failed ${counts.consecutive} times in a row (last: ${code})`;
        await disableForFailures(installation, reason);
      }
    } catch (error) {
      options.logger.error({ err: error, plugin: installation.pluginId }, 'could not count a plugin failure');
    }
  }

  async function disableForFailures(installation: Installation, reason: string): Promise<void> {
    await options.em().transactional(async (trx) => {
      const db = trx.getKysely() as Db;
      const current = await findInstallation(db, installation.workspaceId, installation.pluginId, { forUpdate: true });
      if (!current || current.state !== 'enabled') return;
      await saveInstallation(db, { ...current, state: 'disabled', disabledReason: reason });
      await appendAuditEvent(db, { workspaceId: installation.workspaceId }, { kind: 'plugin.disable', details: { plugin: installation.pluginId, version: current.version, reason, automatic: true } });
    });
    // The admins' notification: a warning every log pipeline alerts on, and the audit entry above.
    options.logger.warn({ plugin: installation.pluginId, workspaceId: installation.workspaceId, reason }, 'plugin disabled by the failure policy; an admin may enable it again');
    await deactivate(installation.workspaceId, installation.pluginId);
  }

  function validatorFor(type: string, schema: Record<string, unknown>) {
    let validate = validators.get(type);
    if (!validate) {
      validate = ajv.compile(schema);
      validators.set(type, validate);
    }
    return validate;
  }

  function registerActions(entry: ActivePlugin): void {
    const { installation } = entry;
    for (const action of installation.manifest.contributes?.workflowActions ?? []) {
      let users = actionUsers.get(action.type);
      if (!users) {
        const workspaces = new Set<string>();
        const dispose = options.actions.register({
          type: action.type,
          check: (step, scope) => {
            if (!workspaces.has(scope.metadata.workspaceId)) return [{ path: '/type', code: 'unknownAction', message: `the plugin providing "${action.type}" is not enabled in this workspace` }];
            const validate = validatorFor(action.type, action.inputSchema);
            const input = (step as { input?: unknown }).input ?? {};
            return validate(input) ? [] : (validate.errors ?? []).map((problem) => ({ path: `/input${problem.instancePath}`, code: problem.keyword, message: problem.message ?? 'is not valid' }));
          },
          execute: async (step, context) => {
            const current = active.get(keyOf(context.workspaceId, installation.pluginId));
            if (!current?.sandboxKey) throw new DaichoError('PLUGIN_UNAVAILABLE', `The plugin ${installation.pluginId} is not enabled`, { details: { plugin: installation.pluginId, reason: 'handler removed' } });
            const input = ((step as { input?: Record<string, JsonValue> }).input ?? {});
            const validate = validatorFor(action.type, action.inputSchema);
            if (!validate(input)) throw errors.validationFailed((validate.errors ?? []).map((problem) => ({ path: `/input${problem.instancePath}`, code: problem.keyword, message: problem.message ?? 'is not valid' })));
            const actor = await actorFor(context.workspaceId, context.actor.userId);
            const output = await invokeSandbox(current.installation, current.sandboxKey, `actions/${action.type}`, { ...input, idempotencyKey: context.idempotencyKey }, { actor: { ...actor, requestId: context.actor.requestId ?? '' }, records: context.records, idempotencyKey: context.idempotencyKey });
            return { output };
          },
          describe: (step) => ({ plugin: installation.pluginId, input: (step as { input?: unknown }).input ?? {} }),
        });
        users = { workspaces, dispose };
        actionUsers.set(action.type, users);
      }
      users.workspaces.add(installation.workspaceId);
      const type = action.type;
      entry.disposers.push(() => {
        const current = actionUsers.get(type);
        if (!current) return;
        current.workspaces.delete(installation.workspaceId);
        if (current.workspaces.size === 0) {
          current.dispose();
          actionUsers.delete(type);
          validators.delete(type);
        }
      });
    }
  }

  function registerHooks(entry: ActivePlugin): void {
    const { installation } = entry;
    for (const hook of installation.manifest.contributes?.recordHooks ?? []) {
      entry.disposers.push(options.recordHooks.register({
        workspaceId: installation.workspaceId,
        object: hook.object,
        events: hook.events,
        run: async (call) => {
          const current = active.get(keyOf(installation.workspaceId, installation.pluginId));
          if (!current?.sandboxKey) return undefined;
          const handler = `hooks/${hook.object}/${call.event}`;
          const input = { object: call.object, event: call.event, record: call.record as Record<string, JsonValue>, previous: call.previous as Record<string, JsonValue> | null, userId: call.actor.userId };
          if (call.event === 'beforeCreate' || call.event === 'beforeUpdate') {
            const result = (await invokeSandbox(current.installation, current.sandboxKey, handler, JSON.parse(JSON.stringify(input)) as JsonValue, { actor: call.actor, records: call.records })) as BeforeHookResult | null;
            if (result?.set && Object.keys(result.set).length > 0 && !current.installation.grantedPermissions.includes(`records.write:${hook.object}`)) {
              throw errors.permissionDenied(`The plugin ${installation.pluginId} has no records.write:${hook.object} permission`, { permission: `records.write:${hook.object}`, plugin: installation.pluginId });
            }
            return result ?? undefined;
          }
          // After-hooks are queued in the write's transaction: they run if and only if the write commits.
          await enqueueJob(call.db, { workspaceId: installation.workspaceId, pluginId: installation.pluginId, handler, input: JSON.parse(JSON.stringify(input)) as JsonValue, runAs: call.actor.userId || null });
          return undefined;
        },
      }));
    }
  }

  async function registerSchedules(entry: ActivePlugin): Promise<void> {
    const { installation } = entry;
    if (!options.background || !installation.grantedPermissions.includes('schedule')) return;
    const schedules = installation.manifest.contributes?.schedules ?? [];
    if (schedules.length === 0) return;
    // Cron is evaluated in the workspace's time zone.
    const { rows } = await sql<{ time_zone: string }>`select time_zone from daicho.workspace where id = ${installation.workspaceId}`.execute(options.em().getKysely() as Db);
    const timezone = rows[0]?.time_zone ?? 'UTC';
    for (const schedule of schedules) {
      const cron = new Cron(schedule.cron, { timezone }, async () => {
        try {
          await fireSchedule(installation, schedule.name, new Date());
        } catch (error) {
          options.logger.error({ err: error, plugin: installation.pluginId, schedule: schedule.name }, 'could not queue a plugin schedule');
        }
      });
      entry.disposers.push(() => cron.stop());
    }
  }

  /**
   * Queues one firing of a schedule, as the installing admin (the plugin's app role). Every
   * worker node fires; the dedupe key (the minute) lets one job through per time.
   */
  async function fireSchedule(installation: Pick<Installation, 'workspaceId' | 'pluginId' | 'installedBy'>, name: string, at: Date): Promise<void> {
    const firedAt = new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString();
    await enqueueJob(options.em().getKysely() as Db, { workspaceId: installation.workspaceId, pluginId: installation.pluginId, handler: `schedules/${name}`, input: { firedAt }, runAs: installation.installedBy, dedupeKey: `schedule:${name}:${firedAt}` });
  }

  /** Loads an enabled installation's code and registers its contributions. */
  async function activate(installation: Installation): Promise<void> {
    const key = keyOf(installation.workspaceId, installation.pluginId);
    return serially(key, () => activateNow(installation));
  }

  async function activateNow(installation: Installation): Promise<void> {
    const key = keyOf(installation.workspaceId, installation.pluginId);
    if (active.has(key)) await deactivateNow(installation.workspaceId, installation.pluginId);
    const sandboxKey = await loadCode(installation.workspaceId, installation);
    const entry: ActivePlugin = { installation, sandboxKey, disposers: [] };
    active.set(key, entry);
    registerActions(entry);
    registerHooks(entry);
    await registerSchedules(entry);
  }

  /** Runs every disposer of the plugin and unloads its code. */
  async function deactivate(workspaceId: string, pluginId: string): Promise<void> {
    return serially(keyOf(workspaceId, pluginId), () => deactivateNow(workspaceId, pluginId));
  }

  async function deactivateNow(workspaceId: string, pluginId: string): Promise<void> {
    const key = keyOf(workspaceId, pluginId);
    const entry = active.get(key);
    if (!entry) return;
    active.delete(key);
    for (const dispose of entry.disposers.reverse()) dispose();
    if (entry.sandboxKey) await options.pool.unload(entry.sandboxKey).catch((error: unknown) => options.logger.warn({ err: error, plugin: pluginId }, 'unloading plugin code failed'));
  }

  async function enqueueJob(db: Db, job: { workspaceId: string; pluginId: string; handler: string; input: JsonValue; runAs: string | null; dedupeKey?: string }): Promise<void> {
    await sql`insert into daicho.plugin_job (id, workspace_id, plugin_id, handler, input, run_as, dedupe_key, status)
      values (${generateUuidV7()}, ${job.workspaceId}, ${job.pluginId}, ${job.handler}, ${JSON.stringify(job.input)}::jsonb, ${job.runAs}, ${job.dedupeKey ?? null}, 'queued')
      on conflict do nothing`.execute(db);
  }

  /** Runs queued plugin work that is due: claimed one by one (`skip locked`), retried, dead-lettered. */
  async function processJobs(limit = 20): Promise<number> {
    let done = 0;
    for (; done < limit; done++) {
      const claimed = await options.em().transactional(async (trx) => {
        const db = trx.getKysely() as Db;
        const { rows } = await sql<{ id: string; workspace_id: string; plugin_id: string; handler: string; input: JsonValue; run_as: string | null; attempts: number }>`
          select id, workspace_id, plugin_id, handler, input, run_as, attempts from daicho.plugin_job where status = 'queued' and run_after <= now()
          order by run_after limit 1 for update skip locked`.execute(db);
        const row = rows[0];
        if (row) await sql`update daicho.plugin_job set status = 'running', attempts = attempts + 1 where id = ${row.id}`.execute(db);
        return row;
      });
      if (!claimed) break;
      const entry = active.get(keyOf(claimed.workspace_id, claimed.plugin_id));
      const db = options.em().getKysely() as Db;
      if (!entry?.sandboxKey) {
        const stored = await findInstallation(db, claimed.workspace_id, claimed.plugin_id);
        if (stored?.state === 'enabled' && !active.has(keyOf(claimed.workspace_id, claimed.plugin_id))) {
          // Enabled on another node since this one started: load it here, then run the job on the next round.
          await activate(stored).catch((error: unknown) => options.logger.error({ err: error, plugin: claimed.plugin_id }, 'could not load a plugin'));
          await sql`update daicho.plugin_job set status = 'queued' where id = ${claimed.id}`.execute(db);
          continue;
        }
        await sql`update daicho.plugin_job set status = 'deadLetter', error = ${JSON.stringify({ code: 'PLUGIN_UNAVAILABLE', message: 'handler removed' })}::jsonb, finished_at = now() where id = ${claimed.id}`.execute(db);
        continue;
      }
      try {
        const actor = await actorFor(claimed.workspace_id, claimed.run_as);
        await invokeSandbox(entry.installation, entry.sandboxKey, claimed.handler, claimed.input, { actor: { ...actor, requestId: `plugin-job:${claimed.id}` }, idempotencyKey: claimed.id });
        await sql`update daicho.plugin_job set status = 'completed', error = null, finished_at = now() where id = ${claimed.id}`.execute(db);
      } catch (error) {
        const failure = { code: error instanceof DaichoError ? error.code : 'INTERNAL_ERROR', message: (error as Error).message };
        const last = claimed.attempts + 1 >= options.jobs.maxAttempts;
        await sql`update daicho.plugin_job set status = ${last ? 'deadLetter' : 'queued'}, error = ${JSON.stringify(failure)}::jsonb,
          run_after = now() + ${`${options.jobs.retryDelayMs * 2 ** claimed.attempts} milliseconds`}::interval, finished_at = ${last ? new Date() : null} where id = ${claimed.id}`.execute(db);
      }
    }
    return done;
  }

  /**
   * Brings this node's registrations in line with the stored installations: what another node
   * installed, upgraded, enabled or disabled takes effect here on the next round.
   */
  async function reconcile(): Promise<void> {
    const { rows } = await sql<{ workspace_id: string; plugin_id: string; version: string; state: string; digest: string; granted_permissions: string[] }>`
      select workspace_id, plugin_id, version, state, digest, granted_permissions from daicho.plugin_installation`.execute(options.em().getKysely() as Db);
    const enabled = new Map(rows.filter((row) => row.state === 'enabled').map((row) => [keyOf(row.workspace_id, row.plugin_id), row]));
    // The rows above may already be stale (an admin enabled or disabled the plugin meanwhile, on
    // this node): each change is decided again on the stored state, inside the plugin's own queue.
    for (const [key, entry] of [...active.entries()]) {
      if (!enabled.has(key)) await settle(entry.installation.workspaceId, entry.installation.pluginId);
    }
    for (const [key, row] of enabled) {
      const current = active.get(key);
      if (current && signatureOf(current.installation) === signatureOf({ version: row.version, digest: row.digest.trim(), grantedPermissions: row.granted_permissions })) continue;
      await settle(row.workspace_id, row.plugin_id);
    }
  }

  /** Makes this node's registration of one plugin match what is stored now. */
  function settle(workspaceId: string, pluginId: string): Promise<void> {
    const key = keyOf(workspaceId, pluginId);
    return serially(key, async () => {
      const stored = await findInstallation(options.em().getKysely() as Db, workspaceId, pluginId);
      const current = active.get(key);
      if (stored?.state !== 'enabled') {
        if (current) await deactivateNow(workspaceId, pluginId);
        return;
      }
      if (current && signatureOf(current.installation) === signatureOf(stored)) return;
      await activateNow(stored).catch((error: unknown) => options.logger.error({ err: error, plugin: pluginId }, 'could not load an enabled plugin'));
    });
  }

  return {
    activate,
    reconcile,
    /** Queues a schedule's firing now (what its cron does on worker nodes). */
    fireSchedule: async (workspaceId: string, pluginId: string, name: string, at = new Date()) => {
      const entry = active.get(keyOf(workspaceId, pluginId));
      if (!entry?.installation.manifest.contributes?.schedules?.some((schedule) => schedule.name === name)) throw errors.notFound('Schedule', `${pluginId}/${name}`);
      await fireSchedule(entry.installation, name, at);
    },
    /** The cron schedules registered on this node (worker nodes only). */
    scheduleCount: () => [...active.values()].reduce((count, entry) => count + (options.background && entry.installation.grantedPermissions.includes('schedule') ? (entry.installation.manifest.contributes?.schedules?.length ?? 0) : 0), 0),
    deactivate,
    loadCode,
    actorFor,
    enqueueJob,
    processJobs,
    /** The handler paths a loaded bundle exports. */
    handlersOf: (key: string) => options.pool.handlers(key),
    /** Forgets code loaded for a version that did not go live (a failed upgrade). */
    unloadKey: (key: string) => options.pool.unload(key).catch((error: unknown) => options.logger.warn({ err: error, key }, 'unloading plugin code failed')),
    /** What this node's registries hold for plugins (for checks that disposers removed everything). */
    registrations: () => options.recordHooks.all().map((hook) => `${hook.workspaceId}:${hook.object}:${hook.events.join(',')}`).sort(),
    isActive: (workspaceId: string, pluginId: string) => active.has(keyOf(workspaceId, pluginId)),
    /** Invokes a handler of an installation whose code is loaded under `sandboxKey` (a migration of a version not active yet). */
    invokeLoaded: invokeSandbox,
    async invoke(workspaceId: string, pluginId: string, handler: HandlerPath, input: JsonValue, scope: InvocationScope): Promise<JsonValue> {
      const entry = active.get(keyOf(workspaceId, pluginId));
      if (!entry?.sandboxKey) throw new DaichoError('PLUGIN_UNAVAILABLE', `The plugin ${pluginId} is not enabled`, { details: { plugin: pluginId } });
      return invokeSandbox(entry.installation, entry.sandboxKey, handler, input, scope);
    },
    /** Activates every enabled installation (at boot); one that fails to load is logged, not fatal. */
    async loadEnabled(): Promise<void> {
      for (const installation of await listInstallations(options.em().getKysely() as Db)) {
        if (installation.state !== 'enabled') continue;
        await activate(installation).catch((error: unknown) => options.logger.error({ err: error, plugin: installation.pluginId, workspaceId: installation.workspaceId }, 'could not load an enabled plugin'));
      }
    },
    start(): void {
      if (timer) return;
      timer = setInterval(() => {
        if (running) return;
        running = reconcile().then(() => (options.background ? processJobs() : 0)).catch((error: unknown) => options.logger.warn({ err: error }, 'plugin jobs failed; retrying next round')).finally(() => {
          running = undefined;
        });
      }, options.jobs.intervalMs);
      timer.unref();
    },
    async close(): Promise<void> {
      if (timer) clearInterval(timer);
      await running;
      for (const entry of [...active.values()]) await deactivate(entry.installation.workspaceId, entry.installation.pluginId);
    },
  };
}

export type PluginRuntime = ReturnType<typeof createPluginRuntime>;
export type { RecordHookEvent };
