import { login, revokeSession } from '../auth/index.ts';
import { errors } from '../errors/index.ts';
import { createRouter, readJsonBody, type RouteMount } from '../http/index.ts';
import type { ApiDeps } from './api-deps.ts';
import { principalOf, requireSession } from './principal.ts';

/** Sign-in with a password; sessions are bearer tokens for now (cookies come with the browser sign-in). */
export function authRoutes(deps: ApiDeps): RouteMount {
  const router = createRouter({ prefix: '/api/v1/auth' });
  router.post('/login', async (ctx) => {
    const body = (await readJsonBody(ctx)) as Record<string, unknown> | undefined;
    const problems = ['workspace', 'email', 'password']
      .filter((key) => typeof body?.[key] !== 'string' || (body[key] as string).length === 0 || (body[key] as string).length > 1000)
      .map((key) => ({ path: `/${key}`, code: 'required', message: 'is required' }));
    if (problems.length > 0) throw errors.validationFailed(problems);
    const session = await login(deps.em(), { workspace: body!.workspace as string, email: body!.email as string, password: body!.password as string });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { token: session.token, expiresAt: session.expiresAt.toISOString(), user: publicPrincipal(session.principal) };
  });
  router.get('/me', requireSession(deps), (ctx) => {
    ctx.body = publicPrincipal(principalOf(ctx));
  });
  router.post('/logout', requireSession(deps), async (ctx) => {
    const { sessionId } = principalOf(ctx);
    await revokeSession(deps.em(), sessionId);
    deps.sessions.forget(sessionId);
    ctx.status = 204;
  });
  return { name: 'auth', router };
}

function publicPrincipal(principal: ReturnType<typeof principalOf>) {
  const { sessionId: _session, ...rest } = principal;
  return rest;
}
