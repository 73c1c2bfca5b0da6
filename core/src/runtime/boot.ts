import { existsSync } from 'node:fs';
import type Koa from 'koa';
import { createAccessResolver } from '../access/index.ts';
import {
  accessLogFields, accessRoutes, auditRoutes, automationRoutes, authRoutes, businessCalendarsRoutes, healthRoutes, metaRoutes, recordsRoutes, referenceRoutes, tokensRoutes, totpRoutes, usersRoutes,
  workspaceSecurityRoutes, type ApiDeps, type RoleIpAllowList, type RoleRequiresTotp,
} from '../api/index.ts';
import { createAuditSealer, type AuditSealer } from '../audit/index.ts';
import { startAutomation, type Automation } from '../automation/index.ts';
import { createAuthSettings, createSessionAuthenticator, createWorkspaceAllowLists, UserSchema, type AuthSettings } from '../auth/index.ts';
import type { Config } from '../config/index.ts';
import { openDatabase, startEmbeddedPostgres, type Database, type EmbeddedPostgres } from '../db/index.ts';
import { createHttpApp, type RequestState } from '../http/index.ts';
import type { Logger } from '../log/index.ts';
import { createMetadataCache, type MetadataCache } from '../metadata/index.ts';
import { createRollupHook } from '../records/index.ts';
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
  /** Seals audit events into their workspace's hash chain, every second. */
  auditSealer: AuditSealer;
  /** Workflows: the action registry, the change-feed dispatcher, the run workers. */
  automation: Automation;
  /** Closes the database and stops the embedded PostgreSQL, if any. */
  shutdown(): Promise<void>;
}

/** Hooks a composition can add to the platform (the access module's, or a test's). */
export interface BootOptions {
  /** The IP allow-list of a role (see ApiDeps.roleIpAllowList). */
  roleIpAllowList?: RoleIpAllowList;
  /** Whether a role requires TOTP (see ApiDeps.roleRequiresTotp). */
  roleRequiresTotp?: RoleRequiresTotp;
}

/**
 * Brings the platform up to the point where it can serve: database (embedded when no
 * DATABASE_URL), migrations, first-start seed, HTTP app. Undoes what it did if a step fails.
 */
export async function bootDaicho(config: Config, logger: Logger, options: BootOptions = {}): Promise<BootedDaicho> {
  let embedded: EmbeddedPostgres | undefined;
  let database: Database | undefined;
  let automation: Automation | undefined;
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
    await metadata.startListening(db.clientConfig('daicho-metadata-listener'));
    automation = await startAutomation({
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
    });
    const apiDeps: ApiDeps = {
      em: () => db.em(),
      metadata,
      sessions: createSessionAuthenticator({ em: () => db.em(), settings: auth, ttlMs: config.sessionCacheMs }),
      access: createAccessResolver({ db: () => db.em().getKysely(), metadata, logger }),
      workspaceAllowLists: createWorkspaceAllowLists({ em: () => db.em(), ttlMs: config.sessionCacheMs }),
      auth,
      cookieSecure: config.cookieSecure,
      // A role's sign-in limits live in its definition; tests may put their own in.
      roleIpAllowList: options.roleIpAllowList ?? (async (workspaceId, roleName) => (await metadata.get(workspaceId)).roles.get(roleName)?.body.ipAllowList),
      roleRequiresTotp: options.roleRequiresTotp ?? (async (workspaceId, roleName) => Boolean((await metadata.get(workspaceId)).roles.get(roleName)?.body.requireTotp)),
      logger,
      fieldRetentionDays: config.fieldRetentionDays,
      importLimitBytes: config.importLimitBytes,
      afterObjectChange: createRollupHook({ em: () => db.em(), metadata, logger }),
    };
    const app = createHttpApp({
      logger,
      bodyLimitBytes: config.bodyLimitBytes,
      trustedProxies: config.trustedProxies,
      routes: [
        healthRoutes({ checkDatabase: () => db.checkReady() }),
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
      ],
      staticRoot: existsSync(config.adminUiDir) ? config.adminUiDir : undefined,
      accessLogFields,
    });
    const auditSealer = createAuditSealer({ db: () => db.em().getKysely(), logger });
    auditSealer.start();
    if (!existsSync(config.adminUiDir)) {
      logger.warn({ adminUiDir: config.adminUiDir }, 'the admin UI is not built; run `pnpm start` (which builds it) to serve it');
    }
    const stopEmbedded = embedded;
    const runningAutomation = automation;
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
      automation: runningAutomation,
      async shutdown() {
        await runningAutomation.stop();
        await auditSealer.stop();
        await metadata.stop();
        await db.close();
        await stopEmbedded?.stop();
      },
    };
  } catch (error) {
    await automation?.stop().catch(() => undefined);
    await database?.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw error;
  }
}
