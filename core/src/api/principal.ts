import { constantTimeEqual, deriveKey, ipAllowed, ipNotAllowed, macOf, type AuthSettings, type Credential, type Principal } from '../auth/index.ts';
import { DaichoError } from '../errors/index.ts';
import { clientAddressOf, type HttpContext, type HttpMiddleware } from '../http/index.ts';
import type { ApiDeps } from './api-deps.ts';
import { readSessionCookie } from './session-cookie.ts';

const principals = new WeakMap<HttpContext, Principal>();
const credentials = new WeakMap<HttpContext, Credential>();

/** The principal of an authenticated request (set by {@link requireSession}). */
export function principalOf(ctx: HttpContext): Principal {
  const principal = principals.get(ctx);
  if (!principal) throw new DaichoError('UNAUTHENTICATED', 'Sign in first');
  return principal;
}

const csrfKeys = new WeakMap<AuthSettings, Buffer>();

/**
 * The CSRF token of a cookie session: an HMAC of the session token under a key derived from the
 * install's secret key. Bound to the session (a new sign-in gets a new one), stored nowhere, and
 * useless to an attacker who cannot read the page.
 */
export function csrfTokenFor(settings: AuthSettings, sessionToken: string): string {
  let key = csrfKeys.get(settings);
  if (!key) csrfKeys.set(settings, (key = deriveKey(settings.secretKey, 'csrf')));
  return macOf(key, sessionToken);
}

/** The CSRF token of the request's cookie session, or undefined for bearer credentials. */
export function csrfTokenOf(ctx: HttpContext, settings: AuthSettings): string | undefined {
  const credential = credentials.get(ctx);
  return credential?.kind === 'cookie' ? csrfTokenFor(settings, credential.token) : undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const csrfRejected = (reason: 'crossSite' | 'missingToken' | 'wrongToken') =>
  new DaichoError('CSRF_REJECTED', reason === 'crossSite' ? 'Requests from other sites may not change anything here' : 'Send the X-CSRF-Token of your session with requests that change something', { details: { reason } });

/**
 * Refuses a request another site started (`Sec-Fetch-Site: cross-site` or `same-site`, which a
 * browser sets and a page cannot forge). Requests without the header (older browsers, other
 * clients) pass this check.
 */
export function assertNotCrossSite(ctx: HttpContext): void {
  const site = ctx.get('sec-fetch-site').toLowerCase();
  if (site === 'cross-site' || site === 'same-site') throw csrfRejected('crossSite');
}

/** The credential a request carries: `Authorization: Bearer …` first, otherwise the session cookie. */
export function credentialOf(ctx: HttpContext, deps: Pick<ApiDeps, 'cookieSecure'>): Credential | undefined {
  const header = ctx.get('authorization');
  if (header) {
    const match = /^Bearer ([\w-]{20,200})$/.exec(header);
    return match ? { kind: 'bearer', token: match[1]! } : undefined;
  }
  const cookie = readSessionCookie(ctx, deps);
  return cookie === undefined ? undefined : { kind: 'cookie', token: cookie };
}

/** Throws IP_NOT_ALLOWED unless the address passes the workspace's list and, with a role, the role's list. */
export async function assertAddressAllowed(deps: ApiDeps, workspaceId: string, roleName: string | null | undefined, clientAddress: string): Promise<void> {
  if (!ipAllowed(clientAddress, await deps.workspaceAllowLists.get(workspaceId))) throw ipNotAllowed();
  if (roleName && deps.roleIpAllowList && !ipAllowed(clientAddress, await deps.roleIpAllowList(workspaceId, roleName))) throw ipNotAllowed();
}

export interface RequireSessionOptions {
  /** Let a user whose role requires TOTP but who has none through (to enrol, see who they are, sign out). */
  allowWithoutRequiredTotp?: boolean;
}

/**
 * Requires a live credential: a session or API token in `Authorization: Bearer …`, or the
 * browser's session cookie. A cookie-authenticated request that changes something must carry
 * the session's CSRF token in `X-CSRF-Token` and must not come from another site. Then the
 * client address must pass the workspace's and the role's IP allow-lists, and a role that
 * requires TOTP admits only users who have it.
 */
export function requireSession(deps: ApiDeps, options: RequireSessionOptions = {}): HttpMiddleware {
  return async (ctx, next) => {
    const credential = credentialOf(ctx, deps);
    const principal = credential ? await deps.sessions.authenticate(credential, clientAddressOf(ctx)) : undefined;
    if (!credential || !principal) {
      if (!credential || credential.kind === 'bearer') ctx.set('WWW-Authenticate', 'Bearer realm="daicho"');
      throw new DaichoError('UNAUTHENTICATED', ctx.get('authorization') || credential ? 'The session has expired or is not valid; sign in again' : 'Sign in first: send Authorization: Bearer <token>');
    }
    if (credential.kind === 'cookie' && !SAFE_METHODS.has(ctx.method)) {
      assertNotCrossSite(ctx);
      const sent = ctx.get('x-csrf-token');
      if (!sent) throw csrfRejected('missingToken');
      if (!constantTimeEqual(sent, csrfTokenFor(deps.auth, credential.token))) throw csrfRejected('wrongToken');
    }
    await assertAddressAllowed(deps, principal.workspaceId, principal.roleName, principal.clientAddress);
    if (!options.allowWithoutRequiredTotp && (await totpEnrolmentRequired(deps, principal))) {
      throw new DaichoError('TOTP_ENROLMENT_REQUIRED', 'Your role requires a second factor: set up an authenticator app first');
    }
    principals.set(ctx, principal);
    credentials.set(ctx, credential);
    await next();
  };
}

/** Whether the principal's role requires TOTP and the user has none yet (API tokens are exempt: they are past sign-in). */
export async function totpEnrolmentRequired(deps: ApiDeps, principal: Principal): Promise<boolean> {
  if (principal.authMethod === 'token' || principal.totpEnabled || !principal.roleName || !deps.roleRequiresTotp) return false;
  return deps.roleRequiresTotp(principal.workspaceId, principal.roleName);
}

/** Requires the admin capability (designing objects, importing definitions, managing users). */
export function requireAdmin(message = 'Only admins may change definitions'): HttpMiddleware {
  return async (ctx, next) => {
    if (!principalOf(ctx).isAdmin) throw new DaichoError('PERMISSION_DENIED', message);
    await next();
  };
}

/** Requires a person's session (bearer or cookie), not an API token: for managing the account itself. */
export function requireUserSession(): HttpMiddleware {
  return async (ctx, next) => {
    if (principalOf(ctx).authMethod === 'token') throw new DaichoError('PERMISSION_DENIED', 'API tokens cannot manage the account; sign in as the user');
    await next();
  };
}
