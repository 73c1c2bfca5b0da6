import type { Principal } from '../auth/index.ts';
import { DaichoError } from '../errors/index.ts';
import type { HttpContext, HttpMiddleware } from '../http/index.ts';
import type { ApiDeps } from './api-deps.ts';

const principals = new WeakMap<HttpContext, Principal>();

/** The principal of an authenticated request (set by {@link requireSession}). */
export function principalOf(ctx: HttpContext): Principal {
  const principal = principals.get(ctx);
  if (!principal) throw new DaichoError('UNAUTHENTICATED', 'Sign in first');
  return principal;
}

/** Requires a live session token in `Authorization: Bearer …`. */
export function requireSession(deps: ApiDeps): HttpMiddleware {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    const match = /^Bearer ([\w-]{20,200})$/.exec(header);
    const principal = match ? await deps.sessions.authenticate(match[1]!) : undefined;
    if (!principal) {
      ctx.set('WWW-Authenticate', 'Bearer realm="daicho"');
      throw new DaichoError('UNAUTHENTICATED', header ? 'The session has expired or is not valid; sign in again' : 'Sign in first: send Authorization: Bearer <token>');
    }
    principals.set(ctx, principal);
    await next();
  };
}

/** Requires the admin capability (designing objects, importing definitions). */
export function requireAdmin(): HttpMiddleware {
  return async (ctx, next) => {
    if (!principalOf(ctx).isAdmin) throw new DaichoError('PERMISSION_DENIED', 'Only admins may change definitions');
    await next();
  };
}
