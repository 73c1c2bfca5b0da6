import { createHash, timingSafeEqual } from 'node:crypto';
import type { SecretKey } from '../config/index.ts';
import { DaichoError } from '../errors/index.ts';
import { createRouter, type RouteMount } from '../http/index.ts';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics/index.ts';

export interface MetricsRoutesOptions {
  /** The exposition text of this process's metrics. */
  render: () => Promise<string>;
  /** When set, a scrape must send `Authorization: Bearer <token>` (DAICHO_METRICS_TOKEN). */
  token: SecretKey | undefined;
}

const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest();

/** `GET /metrics`: this process's metrics in the Prometheus text format. */
export function metricsRoutes(options: MetricsRoutesOptions): RouteMount {
  const router = createRouter();
  const expected = options.token ? digest(options.token.reveal()) : undefined;
  router.get('/metrics', async (ctx) => {
    if (expected) {
      const sent = /^Bearer (\S+)$/i.exec(ctx.get('authorization'))?.[1];
      // Equal-length digests: the comparison takes the same time whatever was sent.
      if (!sent || !timingSafeEqual(digest(Buffer.from(sent, 'utf8')), expected)) {
        ctx.set('WWW-Authenticate', 'Bearer realm="daicho-metrics"');
        throw new DaichoError('UNAUTHENTICATED', 'Send Authorization: Bearer <DAICHO_METRICS_TOKEN> to read the metrics');
      }
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.type = PROMETHEUS_CONTENT_TYPE;
    ctx.body = await options.render();
  });
  return { name: 'metrics', router };
}
