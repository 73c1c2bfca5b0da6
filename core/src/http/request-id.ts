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
    ctx.state.logger = logger.child({ requestId });
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      ctx.state.logger.info(
        { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round((performance.now() - started) * 10) / 10 },
        'request',
      );
    }
  };
}
