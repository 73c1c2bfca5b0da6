import { randomUUID } from 'node:crypto';
import type { Logger } from '../log/index.ts';
import type { HttpMiddleware } from './context.ts';

const ACCEPTED_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Gives each request an id: the caller's `X-Request-Id` when it is well-formed (so that a
 * proxy's id flows through), a new UUID otherwise. The id is echoed in the response and bound
 * to a child logger, and each finished request is logged once (path only: query strings can
 * carry secrets).
 */
export function requestContext(logger: Logger): HttpMiddleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = ACCEPTED_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    // The child logger is made on first use: most requests at level warn never log.
    let child: Logger | undefined;
    Object.defineProperty(ctx.state, 'logger', { get: () => (child ??= logger.child({ requestId })), configurable: true, enumerable: true });
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      if (logger.isLevelEnabled('info')) {
        ctx.state.logger.info(
          { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round((performance.now() - started) * 10) / 10 },
          'request',
        );
      }
    }
  };
}
