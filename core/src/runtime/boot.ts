import { existsSync } from 'node:fs';
import { platformVersion } from '@daicho/sdk';
import type Koa from 'koa';
import { createAccessResolver } from '../access/index.ts';
import {
  accessLogFields, accessRoutes, auditRoutes, automationRoutes, authRoutes, businessCalendarsRoutes, healthRoutes, metaRoutes, metricsRoutes, pluginsRoutes, recordsRoutes, referenceRoutes, tokensRoutes, totpRoutes, usersRoutes,
  workspaceSecurityRoutes, type ApiDeps, type RoleIpAllowList, type RoleRequiresTotp,
} from '../api/index.ts';
import { createAuditSealer, type AuditSealer } from '../audit/index.ts';
import { createMailer, startAutomation, type Automation } from '../automation/index.ts';
import { createAuthSettings, createSessionAuthenticator, createWorkspaceAllowLists, deriveKey, UserSchema, type AuthSettings } from '../auth/index.ts';
import type { Config } from '../config/index.ts';
import { createNotificationListener, openDatabase, startEmbeddedPostgres, type Database, type EmbeddedPostgres, type NotificationListener } from '../db/index.ts';
import { createHttpApp, type RequestState } from '../http/index.ts';
import type { Logger } from '../log/index.ts';
import { createMetadataCache, type MetadataCache } from '../metadata/index.ts';
import { createPlatformMetrics, type PlatformMetrics } from '../metrics/index.ts';
import { readPluginPackage } from '@daicho/sdk/plugin-tools';
import { createPluginRuntime, createSandboxPool, purgeExpiredPlugins, createTokenBuckets, sandboxLimitsFromConfig, type PluginRuntime, type PluginsDeps, type ResolveHost, type SandboxPool } from '../plugins/index.ts';
import { createRecordHookRegistry, createRollupHook } from '../records/index.ts';
import { WorkspaceSchema } from '../workspaces/index.ts';
import { seedFirstStart, type FirstStartResult } from './first-start.ts';
import { resolveSecretKey } from './secret-key.ts';

/** A booted platform: database connected and migrated, HTTP app built but not listening. */
export interface BootedDaicho {
  config: Config;
  logger: Logger;
  database: Database;
  app: Koa<RequestState>;
  /** Present on the start that set the install up. */
  firstStart: FirstStartResult | undefined;
  /** Whether the database is the embedded one. */
  embedded: boolean;
  metadata: MetadataCache;
  /** Authentication settings in force (the secret key among them: never log them). */
  auth: AuthSettings;
  /** Seals audit events into their workspace's hash chain, every second (started on worker nodes). */
  auditSealer: AuditSealer;
  /** This process's metrics, served at /metrics. */
  metrics: PlatformMetrics;
  /** Workflows: the action registry, the change-feed dispatcher, the run workers. */
  automation: Automation;
  /** Plugins at work on this node: their code in the sandbox pool, their registrations, their queued work. */
  plugins: PluginRuntime;
  /** The lifecycle services' dependencies (install, upgrade, …), for tests and the CLI. */
  pluginsDeps: PluginsDeps;
  /** One round of the retention purge of uninstalled plugins (what worker nodes run hourly), as of `now`. */
  purgeExpiredPlugins(now?: Date): Promise<Array<{ workspaceId: string; pluginId: string }>>;
  /** Closes the database and stops the embedded PostgreSQL, if any. */
  shutdown(): Promise<void>;
}

/** Hooks a composition can add to the platform (the access module's, or a test's). */
export interface BootOptions {
  /** The IP allow-list of a role (see ApiDeps.roleIpAllowList). */
  roleIpAllowList?: RoleIpAllowList;
  /** Whether a role requires TOTP (see ApiDeps.roleRequiresTotp). */
  roleRequiresTotp?: RoleRequiresTotp;
  /** The resolver plugins' http.fetch uses (tests put a stub DNS in). */
  pluginResolveHost?: ResolveHost;
}

/**
 * Brings the platform up to the point where it can serve: database (embedded when no
 * DATABASE_URL), migrations, first-start seed, HTTP app. Undoes what it did if a step fails.
 *
 * What starts depends on the role (DAICHO_ROLE). Every node keeps its metadata cache in step
 * (LISTEN/NOTIFY) and serves /healthz, /readyz and /metrics. `api` and `all` serve the API and
 * the browser app; `worker` and `all` run the audit sealer and read the backlog for /metrics.
 * Automation's queue starts on every node (the workflow API sends jobs through it); its workers,
 * the change-feed dispatcher and schedules only where background work runs. Several of each are
 * safe: the sealer and the dispatcher lock per workspace and skip what another node holds, and
 * pg-boss hands each job to one worker.
 */
export async function bootDaicho(config: Config, logger: Logger, options: BootOptions = {}): Promise<BootedDaicho> {
  let embedded: EmbeddedPostgres | undefined;
  let database: Database | undefined;
  let automation: Automation | undefined;
  let listener: NotificationListener | undefined;
  let metrics: PlatformMetrics | undefined;
  let pool: SandboxPool | undefined;
  let plugins: PluginRuntime | undefined;
  const servesApi = config.role !== 'worker';
  const runsBackground = config.role !== 'api';
  try {
    if (config.databaseUrl === undefined) {
      embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, logger });
    }
    database = await openDatabase({
      url: config.databaseUrl ?? embedded!.url,
      entities: [WorkspaceSchema, UserSchema],
      poolMax: config.dbPoolMax,
      connectTimeoutMs: config.dbConnectTimeoutMs,
      statementTimeoutMs: config.dbStatementTimeoutMs,
      logger,
      appRole: config.databaseAppRole,
    });
    await database.migrate();
    const auth = createAuthSettings(await resolveSecretKey(config, logger), {
      passwordPolicy: { minLength: config.passwordMinLength, maxLength: config.passwordMaxLength },
      throttle: {
        maxFailures: config.loginMaxFailures,
        maxFailuresPerAddress: config.loginMaxFailuresPerAddress,
        windowSeconds: config.loginFailureWindowSeconds,
        lockSeconds: config.loginLockSeconds,
        delayMs: config.loginDelayMs,
      },
      sessionIdleMinutes: config.sessionIdleMinutes,
      sessionAbsoluteHours: config.sessionAbsoluteHours,
      apiTokenMaxDays: config.apiTokenMaxDays,
    });
    const firstStart = config.seedDemo ? await seedFirstStart(database.em()) : undefined;
    const db = database;
    const metadata = createMetadataCache({ db: () => db.em().getKysely(), logger });
    const sessions = createSessionAuthenticator({ em: () => db.em(), settings: auth, ttlMs: config.sessionCacheMs });
    const workspaceAllowLists = createWorkspaceAllowLists({ em: () => db.em(), ttlMs: config.sessionCacheMs });
    // One LISTEN connection carries other nodes' definition changes and revocations.
    listener = createNotificationListener({ connection: db.clientConfig('daicho-listener'), logger });
    metadata.listenTo(listener);
    sessions.listenTo(listener);
    workspaceAllowLists.listenTo(listener);
    await listener.start();
    const recordHooks = createRecordHookRegistry();
    automation = await startAutomation({
      recordHooks,
      em: () => db.em(),
      metadata,
      logger,
      clientConfig: db.clientConfig('daicho-jobs'),
      secretKey: auth.secretKey,
      smtpUrl: config.smtpUrl,
      mailFrom: config.mailFrom,
      maxAttempts: config.workflowMaxAttempts,
      retryDelaySeconds: config.workflowRetryDelaySeconds,
      maxDepth: config.workflowMaxDepth,
      dispatchIntervalMs: config.workflowDispatchIntervalMs,
      heartbeatSeconds: config.workflowHeartbeatSeconds,
      timerIntervalMs: config.automationTimerIntervalMs,
      background: runsBackground,
    });
    const access = createAccessResolver({ db: () => db.em().getKysely(), metadata, logger });
    pool = createSandboxPool({ runners: config.pluginRunners, logger });
    const settingsKey = deriveKey(auth.secretKey, 'plugin-secret');
    const pluginMailer = config.smtpUrl ? createMailer({ url: config.smtpUrl, from: config.mailFrom }) : undefined;
    const runtime = createPluginRuntime({
      em: () => db.em(), metadata, logger, pool, recordHooks, actions: automation.registry, access,
      hostApi: {
        em: () => db.em(), metadata, logger, settingsKey, mailer: pluginMailer,
        callBuckets: createTokenBuckets({ capacity: config.pluginHostCallBurst, perSecond: config.pluginHostCallsPerSecond }),
        mailBuckets: createTokenBuckets({ capacity: config.pluginMailPerHour, perSecond: config.pluginMailPerHour / 3600 }),
        http: { allowInternal: config.pluginHttpAllow, timeoutMs: config.pluginHttpTimeoutMs, maxResponseBytes: config.pluginHttpMaxResponseBytes, ...(options.pluginResolveHost ? { resolve: options.pluginResolveHost } : {}) },
      },
      readPackage: (bytes) => readPluginPackage(bytes),
      limits: sandboxLimitsFromConfig(config),
      failurePolicy: { maxConsecutiveFailures: config.pluginMaxFailures, maxLimitFailures: config.pluginMaxLimitFailures },
      background: runsBackground,
      jobs: { maxAttempts: config.workflowMaxAttempts, retryDelayMs: config.workflowRetryDelaySeconds * 1000, intervalMs: config.pluginJobIntervalMs },
    });
    plugins = runtime;
    const afterObjectChange = createRollupHook({ em: () => db.em(), metadata, logger });
    const pluginsDeps: PluginsDeps = {
      em: () => db.em(), metadata, logger, runtime, platformVersion, afterObjectChange,
      signatures: { trustedKeys: config.pluginTrustedKeys, required: config.pluginRequireSignature ?? config.pluginTrustedKeys.length > 0 },
    };
    // Enabled plugins register now; their code loads into an isolate at first use (or now, for `activation: startup`).
    await runtime.loadEnabled();
    runtime.start();
    // Uninstalled plugins' data goes after the retention period; worker nodes look every hour.
    const retention = runsBackground ? setInterval(() => {
      purgeExpiredPlugins(pluginsDeps, config.pluginRetentionDays).catch((error: unknown) => logger.warn({ err: error }, 'the plugin retention purge failed; retrying next hour'));
    }, 3_600_000) : undefined;
    retention?.unref();
    const apiDeps: ApiDeps = {
      em: () => db.em(),
      metadata,
      sessions,
      access,
      recordHooks,
      workspaceAllowLists,
      auth,
      cookieSecure: config.cookieSecure,
      // A role's sign-in limits live in its definition; tests may put their own in.
      roleIpAllowList: options.roleIpAllowList ?? (async (workspaceId, roleName) => (await metadata.get(workspaceId)).roles.get(roleName)?.body.ipAllowList),
      roleRequiresTotp: options.roleRequiresTotp ?? (async (workspaceId, roleName) => Boolean((await metadata.get(workspaceId)).roles.get(roleName)?.body.requireTotp)),
      logger,
      fieldRetentionDays: config.fieldRetentionDays,
      importLimitBytes: config.importLimitBytes,
      afterObjectChange,
    };
    const platformMetrics = createPlatformMetrics({
      logger,
      role: config.role,
      version: platformVersion,
      poolStats: () => db.poolStats(),
      // The backlog is the same seen from any node: workers report it.
      ...(runsBackground ? { db: () => db.em().getKysely() } : {}),
    });
    metrics = platformMetrics;
    const operationalRoutes = [
      healthRoutes({ checkDatabase: () => db.checkReady() }),
      metricsRoutes({ render: () => platformMetrics.render(), token: config.metricsToken }),
    ];
    const serveUi = servesApi && existsSync(config.adminUiDir);
    const app = createHttpApp({
      logger,
      bodyLimitBytes: config.bodyLimitBytes,
      trustedProxies: config.trustedProxies,
      observeRequest: (sample) => platformMetrics.observeRequest(sample),
      routes: !servesApi ? operationalRoutes : [
        ...operationalRoutes,
        authRoutes(apiDeps),
        totpRoutes(apiDeps),
        tokensRoutes(apiDeps),
        usersRoutes(apiDeps),
        workspaceSecurityRoutes(apiDeps),
        metaRoutes(apiDeps),
        accessRoutes(apiDeps),
        businessCalendarsRoutes(apiDeps),
        referenceRoutes(),
        recordsRoutes(apiDeps),
        auditRoutes(apiDeps),
        automationRoutes(apiDeps, automation),
        pluginsRoutes(apiDeps, pluginsDeps, { maxPackageBytes: config.importLimitBytes, settingsKey }),
      ],
      staticRoot: serveUi ? config.adminUiDir : undefined,
      accessLogFields,
    });
    const auditSealer = createAuditSealer({ db: () => db.em().getKysely(), logger });
    if (runsBackground) auditSealer.start();
    if (servesApi && !serveUi) {
      logger.warn({ adminUiDir: config.adminUiDir }, 'the admin UI is not built; run `pnpm start` (which builds it) to serve it');
    }
    const stopEmbedded = embedded;
    const runningAutomation = automation;
    const runningPool = pool;
    return {
      config,
      logger,
      database,
      app,
      firstStart,
      embedded: stopEmbedded !== undefined,
      metadata,
      auth,
      auditSealer,
      metrics: platformMetrics,
      automation: runningAutomation,
      plugins: runtime,
      pluginsDeps,
      purgeExpiredPlugins: (now) => purgeExpiredPlugins(pluginsDeps, config.pluginRetentionDays, now),
      async shutdown() {
        platformMetrics.stop();
        if (retention) clearInterval(retention);
        await runtime.close();
        await runningPool.close();
        pluginMailer?.close();
        await runningAutomation.stop();
        await auditSealer.stop();
        metadata.stop();
        await listener?.stop();
        await db.close();
        await stopEmbedded?.stop();
      },
    };
  } catch (error) {
    metrics?.stop();
    await plugins?.close().catch(() => undefined);
    await pool?.close().catch(() => undefined);
    await automation?.stop().catch(() => undefined);
    await listener?.stop().catch(() => undefined);
    await database?.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw error;
  }
}
