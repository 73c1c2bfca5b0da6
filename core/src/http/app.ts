import Router from '@koa/router';
import Koa from 'koa';
import { errors } from '../errors/index.ts';
import type { IpRange } from '../config/index.ts';
import type { Logger } from '../log/index.ts';
import { clientAddress } from './client-address.ts';
import type { HttpContext, HttpMiddleware, HttpRouter, RequestState } from './context.ts';
import { errorHandler } from './error-handler.ts';
import { bodyLimit } from './json-body.ts';
import { requestContext, type AccessLogFields, type RequestObserver } from './request-id.ts';
import { securityHeaders } from './security-headers.ts';
import { staticFiles } from './static-files.ts';

/** A router contributed by a domain's API module, mounted by the kernel. */
export interface RouteMount {
  /** A short name for logs and docs, e.g. "health" or "records". */
  name: string;
  router: HttpRouter;
}

export interface CreateHttpAppOptions {
  logger: Logger;
  bodyLimitBytes: number;
  routes: readonly RouteMount[];
  /** Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed; none by default. */
  trustedProxies?: readonly IpRange[];
  /** Folder of the built browser app, served for non-API GETs; omit to serve none. */
  staticRoot?: string;
  /** Adds fields to each request's access log line. */
  accessLogFields?: AccessLogFields;
  /** Hears each finished request (method, route template, status, duration), e.g. for metrics. */
  observeRequest?: RequestObserver;
}

/** Path prefixes that belong to the API and never fall back to the browser app. */
export const apiPrefixes = ['/api/', '/healthz', '/readyz', '/metrics'] as const;

/** Creates a router for a {@link RouteMount}. */
export function createRouter(options: { prefix?: string } = {}): HttpRouter {
  return new Router<RequestState>(options.prefix === undefined ? {} : { prefix: options.prefix });
}

/**
 * The Koa application: request ids and logging, the client address, security headers, the error
 * mapper, JSON bodies, the mounted routers and the static browser app, in that order.
 */
export function createHttpApp(options: CreateHttpAppOptions): Koa<RequestState> {
  const app = new Koa<RequestState>({ proxy: false });
  // Koa would print errors to stderr itself; ours are already logged by the error handler.
  app.silent = true;
  const use = (middleware: HttpMiddleware) => app.use(middleware as Koa.Middleware<RequestState>);
  use(requestContext(options.logger, options.accessLogFields, options.observeRequest));
  use(clientAddress(options.trustedProxies ?? []));
  use(securityHeaders());
  use(errorHandler());
  use(unmatchedRequests());
  use(bodyLimit(options.bodyLimitBytes));
  for (const mount of options.routes) {
    app.use(mount.router.routes());
    app.use(mount.router.allowedMethods());
  }
  if (options.staticRoot) use(staticFiles({ root: options.staticRoot, excludePrefixes: apiPrefixes }));
  return app;
}

/**
 * Turns what no route answered into the error shape: 405 when a router knows the path but not
 * the method (it has set `Allow`), 404 otherwise.
 */
function unmatchedRequests(): HttpMiddleware {
  return async (ctx: HttpContext, next) => {
    await next();
    if (ctx.body !== undefined && ctx.body !== null) return;
    if (ctx.status === 405 || ctx.status === 501) {
      const allowed = ctx.response.get('Allow').split(',').map((m) => m.trim()).filter(Boolean);
      throw errors.methodNotAllowed(ctx.method, ctx.path, allowed);
    }
    if (ctx.status === 404) throw errors.routeNotFound(ctx.method, ctx.path);
  };
}
