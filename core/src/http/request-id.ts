import { randomUUID } from 'node:crypto';
import type { Logger } from '../log/index.ts';
import type { HttpContext, HttpMiddleware } from './context.ts';

const ACCEPTED_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Fields the mounting code adds to each access log line (e.g. who the request acted for). */
export type AccessLogFields = (ctx: HttpContext) => Record<string, unknown>;

/** A finished request as metrics see it: no path, no ids, only the route template. */
export interface RequestSample {
  method: string;
  /** The route template that answered, or null when none did (browser app files, 404s). */
  route: string | null;
  status: number;
  seconds: number;
}

/** Called once per finished request (e.g. to count it); must not throw. */
export type RequestObserver = (sample: RequestSample) => void;

interface MatchedLayer {
  methods: string[];
  path: string | RegExp;
}

/**
 * The route template that answered (`/api/v1/records/:object/:id`), never the path itself: paths
 * carry ids and names, and query strings can carry secrets. Null when no route matched.
 */
function routeTemplate(ctx: HttpContext): string | null {
  const matched = ((ctx as unknown as { matched?: MatchedLayer[] }).matched ?? []).filter((layer) => layer.methods.length > 0);
  const layer = matched.findLast((candidate) => candidate.methods.includes(ctx.method)) ?? matched.at(-1);
  return layer ? String(layer.path) : null;
}

/**
 * Gives each request an id: the caller's `X-Request-Id` when it is well-formed (so that a
 * proxy's id flows through), a new UUID otherwise. The id is echoed in the response and bound
 * to a child logger, and each finished request is logged once: the access log line, with the
 * method, route template, status, duration and whatever `fields` adds; `observe` hears the same.
 */
export function requestContext(logger: Logger, fields?: AccessLogFields, observe?: RequestObserver): HttpMiddleware {
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
      const ms = performance.now() - started;
      const route = routeTemplate(ctx);
      observe?.({ method: ctx.method, route, status: ctx.status, seconds: ms / 1000 });
      if (logger.isLevelEnabled('info')) {
        ctx.state.logger.info(
          { method: ctx.method, route, status: ctx.status, ms: Math.round(ms * 10) / 10, ...fields?.(ctx) },
          'request',
        );
      }
    }
  };
}
