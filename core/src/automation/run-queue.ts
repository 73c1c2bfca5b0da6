import { PgBoss, type JobResult } from 'pg-boss';
import type pg from 'pg';
import { CompiledQuery, type Kysely } from 'kysely';
import type { Logger } from '../log/index.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** pg-boss's schema in the platform database. */
export const JOBS_SCHEMA = 'daicho_jobs';
/** The queue whose jobs say "advance this run". */
export const RUN_QUEUE = 'workflow-run';
/** Jobs a worker fetches at once. */
const RUN_BATCH = 8;

export interface RunJob {
  workspaceId: string;
  runId: string;
}

/** The durable queue of run jobs (pg-boss, in the platform database). */
export interface RunQueue {
  /** Enqueues a run job in the caller's transaction: it exists if and only if the transaction commits. */
  enqueue(db: Db, job: RunJob, options?: { startAfter?: Date }): Promise<void>;
  /** Enqueues many run jobs with one statement, in the caller's transaction. */
  enqueueMany(db: Db, jobs: RunJob[]): Promise<void>;
  work(handler: (job: RunJob) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/** pg-boss statements run on a Kysely connection or transaction of ours. */
function kyselyExecutor(db: Db) {
  return {
    executeSql: async (text: string, values: unknown[] = []) => ({ rows: (await db.executeQuery(CompiledQuery.raw(text, values))).rows as unknown[] }),
  };
}

/**
 * Starts pg-boss on connections that act as the application role, so that it creates and owns
 * its schema (like workspace schemas, decision 0008) and the running platform can use it.
 */
export async function startRunQueue(options: { clientConfig: pg.ClientConfig; logger: Logger; concurrency?: number; pollingIntervalSeconds?: number; heartbeatSeconds?: number }): Promise<RunQueue> {
  const config = options.clientConfig;
  // A worker that dies (SIGKILL, power loss) leaves its job active. Workers mark their jobs every
  // half heartbeat; a job not marked for a whole one is failed by a supervisor (any node, checking
  // every half heartbeat) and retried at once, so a run in flight resumes within about 1.5×
  // heartbeat instead of after expireInSeconds.
  const heartbeatSeconds = Math.max(10, options.heartbeatSeconds ?? 30);
  const superviseSeconds = Math.max(1, Math.floor(heartbeatSeconds / 2));
  const boss = new PgBoss({
    ...(config.connectionString ? { connectionString: config.connectionString } : {}),
    ...(typeof config.options === 'string' ? { options: config.options } : {}),
    application_name: 'daicho-jobs',
    schema: JOBS_SCHEMA,
    max: 4,
    superviseIntervalSeconds: superviseSeconds,
    monitorIntervalSeconds: superviseSeconds,
  });
  boss.on('error', (error: unknown) => options.logger.warn({ err: error }, 'the job queue reported an error'));
  await boss.start();
  // Retries are the runs' own (per step, with backoff, dead letter after the last attempt);
  // pg-boss retries only jobs whose worker died (heartbeat lost, or expired) or threw unexpectedly.
  // updateQueue: a database made before these settings gets them too.
  const queueOptions = { retryLimit: 5, retryDelay: 1, retryBackoff: true, retryDelayMax: 60, expireInSeconds: 600, heartbeatSeconds };
  await boss.createQueue(RUN_QUEUE, queueOptions);
  await boss.updateQueue(RUN_QUEUE, queueOptions);
  let workerId: string | undefined;
  return {
    async enqueue(db, job, enqueueOptions = {}) {
      await boss.send(RUN_QUEUE, job, { db: kyselyExecutor(db), ...(enqueueOptions.startAfter ? { startAfter: enqueueOptions.startAfter } : {}) });
    },
    async enqueueMany(db, jobs) {
      if (jobs.length > 0) await boss.insert(RUN_QUEUE, jobs.map((data) => ({ data })), { db: kyselyExecutor(db) });
    },
    async work(handler) {
      // Batches, fetched back to back while they come full: with one job per fetch a worker waits
      // the polling interval after every job, which capped a node at 8 runs a second (4 workers ×
      // 2 fetches). A batch's jobs run one after another (at most `concurrency` runs at once on a
      // node, so requests keep their connections) and are settled one by one: a job whose handler
      // threw is retried alone.
      workerId = await boss.work<RunJob>(RUN_QUEUE, {
        pollingIntervalSeconds: options.pollingIntervalSeconds ?? 0.5, localConcurrency: options.concurrency ?? 4, batchSize: RUN_BATCH, burstWhenBatchFull: true, perJobResults: true,
      }, async (jobs) => {
        const results: JobResult[] = [];
        for (const job of jobs) {
          try {
            await handler(job.data);
            results.push({ id: job.id, status: 'completed' });
          } catch (error) {
            options.logger.warn({ err: error, runId: job.data.runId }, 'a workflow run job failed; the queue retries it');
            results.push({ id: job.id, status: 'failed', output: { message: error instanceof Error ? error.message : String(error) } });
          }
        }
        return results;
      });
    },
    async stop() {
      if (workerId) await boss.offWork(RUN_QUEUE, { id: workerId, wait: true }).catch(() => undefined);
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}
