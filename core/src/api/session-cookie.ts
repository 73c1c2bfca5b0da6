import { isSecureRequest, type HttpContext } from '../http/index.ts';
import type { ApiDeps } from './api-deps.ts';

/**
 * The browser's session cookie. Over TLS it is `__Host-daicho_session` with Secure, Path=/ and
 * no Domain, so that no other host or path can set or shadow it; on plain http (a laptop in
 * development) browsers refuse `__Host-` without Secure, so it is `daicho_session` there.
 * HttpOnly keeps it from scripts; SameSite=Strict keeps it off every request another site
 * starts (the browser app's own calls are same-origin, so nothing is lost).
 */
export const SECURE_SESSION_COOKIE = '__Host-daicho_session';
export const PLAIN_SESSION_COOKIE = 'daicho_session';

export function secureCookies(ctx: HttpContext, deps: Pick<ApiDeps, 'cookieSecure'>): boolean {
  return deps.cookieSecure === 'always' || isSecureRequest(ctx);
}

function readCookies(ctx: HttpContext): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (ctx.get('cookie') || '').split(';')) {
    const equals = part.indexOf('=');
    if (equals === -1) continue;
    const name = part.slice(0, equals).trim();
    // The first of two cookies with one name is the more specific one; keep it.
    if (!cookies.has(name)) cookies.set(name, part.slice(equals + 1).trim());
  }
  return cookies;
}

/**
 * The session token from the request's cookie. Over TLS only the `__Host-` cookie counts: a
 * plain cookie could have been planted by a man in the middle on http or by a sibling domain.
 */
export function readSessionCookie(ctx: HttpContext, deps: Pick<ApiDeps, 'cookieSecure'>): string | undefined {
  const cookies = readCookies(ctx);
  const value = cookies.get(SECURE_SESSION_COOKIE) ?? (secureCookies(ctx, deps) ? undefined : cookies.get(PLAIN_SESSION_COOKIE));
  return value !== undefined && /^[\w-]{20,200}$/.test(value) ? value : undefined;
}

export function setSessionCookie(ctx: HttpContext, deps: Pick<ApiDeps, 'cookieSecure'>, token: string, expiresAt: Date): void {
  const secure = secureCookies(ctx, deps);
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  ctx.append('Set-Cookie', `${secure ? SECURE_SESSION_COOKIE : PLAIN_SESSION_COOKIE}=${token}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`);
}

export function clearSessionCookie(ctx: HttpContext, deps: Pick<ApiDeps, 'cookieSecure'>): void {
  const secure = secureCookies(ctx, deps);
  ctx.append('Set-Cookie', `${secure ? SECURE_SESSION_COOKIE : PLAIN_SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`);
}
