import {
  completeTotpLogin, login, parseUserChanges, revokeSession, revokeUserSessions, setUserPassword, updateUser, verifyCurrentPassword,
  type LoginChecks, type SessionKind, type SignedIn, type StoredPrincipal,
} from '../auth/index.ts';
import { errors, type InputProblem } from '../errors/index.ts';
import { clientAddressOf, createRouter, readJsonBody, type HttpContext, type RouteMount } from '../http/index.ts';
import type { ApiDeps } from './api-deps.ts';
import {
  assertAddressAllowed, assertNotCrossSite, credentialOf, csrfTokenFor, csrfTokenOf, principalOf, requireSession, requireUserSession, totpEnrolmentRequired,
} from './principal.ts';
import { clearSessionCookie, setSessionCookie } from './session-cookie.ts';

type Body = Record<string, unknown>;

/** Reads a JSON object body and checks that the named keys hold non-empty strings of at most 1000 characters. */
export async function readStrings(ctx: HttpContext, required: readonly string[]): Promise<Body> {
  const body = await readJsonBody(ctx);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw errors.validationFailed([{ path: '', code: 'type', message: 'must be a JSON object' }]);
  const record = body as Body;
  const problems: InputProblem[] = required
    .filter((key) => typeof record[key] !== 'string' || (record[key] as string).length === 0 || (record[key] as string).length > 1000)
    .map((key) => ({ path: `/${key}`, code: 'required', message: 'is required' }));
  if (problems.length > 0) throw errors.validationFailed(problems);
  return record;
}

/** The principal as the API shows it: no session id. */
export function publicPrincipal(principal: StoredPrincipal) {
  const { sessionId: _session, ...rest } = principal;
  return rest;
}

/**
 * Sign-in and the signed-in user's own account: `/api/v1/auth/…`. Sessions are bearer tokens by
 * default; `"session": "cookie"` opens a browser session in an HttpOnly cookie instead, whose
 * state-changing requests need the CSRF token returned here and by `GET /me`.
 */
export function authRoutes(deps: ApiDeps): RouteMount {
  const router = createRouter({ prefix: '/api/v1/auth' });
  const checks: LoginChecks = { assertAddressAllowed: (workspaceId, roleName, address) => assertAddressAllowed(deps, workspaceId, roleName, address) };
  const session = requireSession(deps);
  const sessionBeforeTotp = requireSession(deps, { allowWithoutRequiredTotp: true });
  const person = requireUserSession();

  /** Answers a completed sign-in: the token in the body, or the cookie and its CSRF token. */
  async function respondSignedIn(ctx: HttpContext, kind: SessionKind, signedIn: SignedIn): Promise<void> {
    ctx.set('Cache-Control', 'no-store');
    const principal = { ...signedIn.principal, clientAddress: clientAddressOf(ctx) };
    const user = publicPrincipal(principal);
    const totpEnrolment = await totpEnrolmentRequired(deps, principal);
    if (kind === 'cookie') {
      setSessionCookie(ctx, deps, signedIn.token, signedIn.expiresAt);
      ctx.body = { expiresAt: signedIn.expiresAt.toISOString(), csrfToken: csrfTokenFor(deps.auth, signedIn.token), totpEnrolmentRequired: totpEnrolment, user };
    } else {
      ctx.body = { token: signedIn.token, expiresAt: signedIn.expiresAt.toISOString(), totpEnrolmentRequired: totpEnrolment, user };
    }
  }

  router.post('/login', async (ctx) => {
    // A sign-in another site starts would put the victim into the attacker's account.
    assertNotCrossSite(ctx);
    const body = await readStrings(ctx, ['workspace', 'email', 'password']);
    const kind = body.session ?? 'bearer';
    if (kind !== 'bearer' && kind !== 'cookie') throw errors.validationFailed([{ path: '/session', code: 'enum', message: 'must be bearer or cookie' }]);
    if (body.totpCode !== undefined && typeof body.totpCode !== 'string') throw errors.validationFailed([{ path: '/totpCode', code: 'type', message: 'must be a string' }]);
    const result = await login(deps.em(), deps.auth, checks, {
      workspace: body.workspace as string,
      email: body.email as string,
      password: body.password as string,
      clientAddress: clientAddressOf(ctx),
      ...(ctx.state.requestId ? { requestId: ctx.state.requestId as string } : {}),
      sessionKind: kind,
      ...(typeof body.totpCode === 'string' ? { totpCode: body.totpCode } : {}),
    });
    ctx.set('Cache-Control', 'no-store');
    if (result.status === 'totpRequired') {
      ctx.body = { totpRequired: true, challenge: result.challenge, challengeExpiresAt: result.challengeExpiresAt.toISOString() };
      return;
    }
    if (kind === 'cookie') await endPresentedCookieSession(ctx);
    await respondSignedIn(ctx, kind, result);
  });

  router.post('/login/totp', async (ctx) => {
    assertNotCrossSite(ctx);
    const body = await readStrings(ctx, ['challenge', 'code']);
    const signedIn = await completeTotpLogin(deps.em(), deps.auth, checks, { challenge: body.challenge as string, code: body.code as string, clientAddress: clientAddressOf(ctx), ...(ctx.state.requestId ? { requestId: ctx.state.requestId as string } : {}) });
    const kind = signedIn.principal.authMethod === 'cookie' ? 'cookie' : 'bearer';
    if (kind === 'cookie') await endPresentedCookieSession(ctx);
    await respondSignedIn(ctx, kind, signedIn);
  });

  /** A new sign-in never keeps the session the browser came with (session fixation). */
  async function endPresentedCookieSession(ctx: HttpContext): Promise<void> {
    const presented = ctx.get('authorization') ? undefined : credentialOf(ctx, deps);
    if (presented?.kind !== 'cookie') return;
    const old = await deps.sessions.authenticate(presented, clientAddressOf(ctx));
    if (!old) return;
    await revokeSession(deps.em(), old.sessionId);
    await deps.sessions.forget(old.sessionId);
  }

  router.get('/me', sessionBeforeTotp, async (ctx) => {
    const principal = principalOf(ctx);
    const csrfToken = csrfTokenOf(ctx, deps.auth);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { ...publicPrincipal(principal), totpEnrolmentRequired: await totpEnrolmentRequired(deps, principal), ...(csrfToken ? { csrfToken } : {}) };
  });

  router.patch('/me', session, person, async (ctx) => {
    const principal = principalOf(ctx);
    const changes = parseUserChanges(await readJsonBody(ctx), true);
    const updated = await updateUser(deps.em(), principal.workspaceId, principal.userId, changes);
    if (!updated) throw errors.notFound('User', principal.userId);
    await deps.sessions.forgetUser(principal.userId);
    ctx.body = { ...publicPrincipal(principal), displayName: updated.displayName, locale: updated.locale, timeZone: updated.timeZone };
  });

  router.post('/logout', sessionBeforeTotp, person, async (ctx) => {
    const principal = principalOf(ctx);
    await revokeSession(deps.em(), principal.sessionId);
    await deps.sessions.forget(principal.sessionId);
    if (principal.authMethod === 'cookie') clearSessionCookie(ctx, deps);
    ctx.status = 204;
  });

  // Ends every session of the user at once, on every node (the revocation is broadcast). API
  // tokens stay: revoke them one by one.
  router.post('/logout-all', sessionBeforeTotp, person, async (ctx) => {
    const principal = principalOf(ctx);
    const revoked = await revokeUserSessions(deps.em(), principal.userId);
    await deps.sessions.forgetUser(principal.userId);
    if (principal.authMethod === 'cookie') clearSessionCookie(ctx, deps);
    ctx.body = { revokedSessions: revoked };
  });

  router.post('/password', session, person, async (ctx) => {
    const principal = principalOf(ctx);
    const body = await readStrings(ctx, ['currentPassword', 'newPassword']);
    await verifyCurrentPassword(deps.em(), deps.auth, principal, body.currentPassword as string);
    await setUserPassword(deps.em(), deps.auth.passwordPolicy, principal, body.newPassword as string);
    // Whoever else holds a session of this user (perhaps the reason for the change) is out.
    const revoked = await revokeUserSessions(deps.em(), principal.userId, principal.sessionId);
    await deps.sessions.forgetUser(principal.userId);
    ctx.body = { revokedSessions: revoked };
  });

  return { name: 'auth', router };
}
