import { platformVersion, type HealthReport } from '@daicho/sdk';
import { createRouter, type RouteMount } from '../http/index.ts';

export interface HealthRoutesOptions {
  /** Resolves when every dependency the process needs is ready; throws with a reason otherwise. */
  checkDatabase: () => Promise<void>;
  /** Seconds the caller should wait before retrying when not ready. */
  retryAfterSeconds?: number;
}

/** `/healthz`: the process answers. `/readyz`: it can serve traffic (database up, migrated). */
export function healthRoutes(options: HealthRoutesOptions): RouteMount {
  const router = createRouter();
  const report = (status: HealthReport['status']): HealthReport => ({
    status,
    version: platformVersion,
    uptimeSeconds: Math.round(process.uptime()),
  });
  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = report('ok');
  });
  router.get('/readyz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    try {
      await options.checkDatabase();
      ctx.body = { ...report('ok'), checks: { database: { status: 'ok' } } } satisfies HealthReport;
    } catch (error) {
      ctx.status = 503;
      ctx.set('Retry-After', String(options.retryAfterSeconds ?? 5));
      ctx.state.logger.warn({ err: error }, 'not ready');
      ctx.body = {
        ...report('unavailable'),
        checks: { database: { status: 'unavailable', message: 'The database is unreachable or not migrated' } },
      } satisfies HealthReport;
    }
  });
  return { name: 'health', router };
}
