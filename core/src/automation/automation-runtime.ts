import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { deriveKey, openSecret, sealSecret } from '../auth/index.ts';
import type { Logger } from '../log/index.ts';
import type { MetadataCache } from '../metadata/index.ts';
import type { RecordHookRegistry } from '../records/index.ts';
import { createActionRegistry, type ActionRegistry } from './action-registry.ts';
import { registerBuiltInActions } from './built-in-actions.ts';
import { createTimerService } from './timer-poller.ts';
import { createChangeFeedDispatcher } from './change-feed-dispatcher.ts';
import { createMailer } from './mailer.ts';
import { createRunExecutor } from './run-executor.ts';
import { startRunQueue, type RunQueue } from './run-queue.ts';
import type { WorkflowDeps } from './workflow-definitions.service.ts';
import type { RunsDeps } from './workflow-runs.service.ts';
import { createWorkflowScheduler } from './workflow-scheduler.ts';

export interface StartAutomationOptions {
  em: () => EntityManager;
  metadata: MetadataCache;
  logger: Logger;
  /** Connection settings acting as the application role (pg-boss's pool). */
  clientConfig: pg.ClientConfig;
  /** The installation's secret key: webhook secrets are sealed with a key derived from it. */
  secretKey: Buffer;
  smtpUrl?: string | undefined;
  mailFrom: string;
  maxAttempts: number;
  retryDelaySeconds: number;
  maxDepth: number;
  dispatchIntervalMs: number;
  /** How often each node claims due automation timers, in milliseconds (default 250). */
  timerIntervalMs?: number;
  /** Seconds without a heartbeat after which a dead worker's job goes to another worker. */
  heartbeatSeconds?: number;
  /**
   * Whether this node works runs, reads the change feed and fires schedules (default true). An
   * `api` node passes false: it keeps the queue only to send jobs (retry, manual starts).
   */
  background?: boolean;
  /** Record hooks that runs' record writes go through (plugins'). */
  recordHooks?: RecordHookRegistry;
}

/** Workflows at work on this node: the action registry, the queue, the dispatcher, the scheduler and the workers. */
export interface Automation {
  /** The extension point for action types. */
  registry: ActionRegistry;
  workflowDeps: WorkflowDeps;
  runsDeps: RunsDeps;
  /** One round of the change-feed dispatcher, the scheduler and the timer backfill (what the timer runs). */
  tick(): Promise<void>;
  /** Starts the runs of the automation timers due by `now` (what the timer poller runs); returns how many it claimed. */
  fireDueTimers(now?: Date): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts automation on this node (decision 0009): pg-boss in its own schema, the run workers,
 * and a timer that reads the change feed and fires due schedules. Every node may run it.
 */
export async function startAutomation(options: StartAutomationOptions): Promise<Automation> {
  const registry = createActionRegistry();
  registerBuiltInActions(registry);
  const queue: RunQueue = await startRunQueue({ clientConfig: options.clientConfig, logger: options.logger, ...(options.heartbeatSeconds ? { heartbeatSeconds: options.heartbeatSeconds } : {}) });
  const mailer = options.smtpUrl ? createMailer({ url: options.smtpUrl, from: options.mailFrom }) : undefined;
  const key = deriveKey(options.secretKey, 'workflow-secret');
  const context = (workspaceId: string, workflowName: string) => `${workspaceId}:${workflowName}`;
  const executor = createRunExecutor({
    em: options.em, metadata: options.metadata, logger: options.logger, registry, queue, mailer,
    openSecret: (workspaceId, workflowName, sealed) => openSecret(key, sealed, context(workspaceId, workflowName))?.toString('utf8'),
    maxAttempts: options.maxAttempts, retryDelaySeconds: options.retryDelaySeconds, recordHooks: options.recordHooks,
  });
  const background = options.background ?? true;
  if (background) await queue.work((job) => executor.execute(job));
  const dispatcher = createChangeFeedDispatcher({ em: options.em, metadata: options.metadata, logger: options.logger, queue, maxDepth: options.maxDepth });
  const scheduler = createWorkflowScheduler({ em: options.em, metadata: options.metadata, logger: options.logger, queue });
  const timers = createTimerService({ em: options.em, metadata: options.metadata, logger: options.logger, queue });
  const tick = async () => {
    await dispatcher.dispatchPending();
    await scheduler.fireDue();
    await timers.backfill();
  };
  // Due timers are claimed on a timer of their own, faster than the change feed: the due time of
  // an escalation step is known in advance, so its lag is the poller's interval and batch time.
  let polling: Promise<unknown> | undefined;
  const poller = background
    ? setInterval(() => {
      if (polling) return;
      polling = timers.fireDue()
        .catch((error: unknown) => options.logger.warn({ err: error }, 'firing due automation timers failed; retrying next round'))
        .finally(() => {
          polling = undefined;
        });
    }, options.timerIntervalMs ?? 250)
    : undefined;
  poller?.unref();
  let running: Promise<void> | undefined;
  const timer = background
    ? setInterval(() => {
      if (running) return;
      running = tick()
        .catch((error: unknown) => options.logger.warn({ err: error }, 'workflow dispatch failed; retrying next round'))
        .finally(() => {
          running = undefined;
        });
    }, options.dispatchIntervalMs)
    : undefined;
  timer?.unref();
  return {
    registry,
    workflowDeps: {
      em: options.em, metadata: options.metadata, registry,
      sealSecret: (workspaceId, workflowName, secret) => sealSecret(key, Buffer.from(secret, 'utf8'), context(workspaceId, workflowName)),
    },
    runsDeps: { em: options.em, metadata: options.metadata, logger: options.logger, queue, registry },
    tick,
    fireDueTimers: (now) => timers.fireDue(now),
    async stop() {
      if (timer) clearInterval(timer);
      if (poller) clearInterval(poller);
      await running;
      await polling;
      await queue.stop();
      mailer?.close();
    },
  };
}
