import { createApiToken, listApiTokens, revokeApiToken } from '../auth/index.ts';
import { DaichoError, errors } from '../errors/index.ts';
import { createRouter, readJsonBody, type RouteMount } from '../http/index.ts';
import type { ApiDeps } from './api-deps.ts';
import { principalOf, requireSession, requireUserSession } from './principal.ts';

/**
 * API tokens for integrations: `/api/v1/auth/tokens`. A token acts with a role (its creator's, or
 * any for an admin) and is shown once. Managed from a person's session only, never by a token.
 */
export function tokensRoutes(deps: ApiDeps): RouteMount {
  const router = createRouter({ prefix: '/api/v1/auth/tokens' });
  router.use(requireSession(deps), requireUserSession());

  router.post('/', async (ctx) => {
    const principal = principalOf(ctx);
    const body = await readJsonBody(ctx);
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw errors.validationFailed([{ path: '', code: 'type', message: 'must be a JSON object' }]);
    const { name, roleName, admin, expiresAt } = body as Record<string, unknown>;
    if (roleName !== undefined && roleName !== null && typeof roleName !== 'string') throw errors.validationFailed([{ path: '/roleName', code: 'type', message: 'must be a role name or null' }]);
    if (admin !== undefined && typeof admin !== 'boolean') throw errors.validationFailed([{ path: '/admin', code: 'type', message: 'must be true or false' }]);
    if (expiresAt !== undefined && (typeof expiresAt !== 'string' || Number.isNaN(Date.parse(expiresAt)))) {
      throw errors.validationFailed([{ path: '/expiresAt', code: 'format', message: 'must be an ISO 8601 date-time' }]);
    }
    const created = await createApiToken(deps.em(), deps.auth, principal, {
      name: typeof name === 'string' ? name : '',
      ...(roleName === undefined ? {} : { roleName: roleName as string | null }),
      ...(admin === undefined ? {} : { admin: admin as boolean }),
      ...(expiresAt === undefined ? {} : { expiresAt: new Date(expiresAt as string) }),
    });
    ctx.status = 201;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { token: created.token, apiToken: created.info };
  });

  router.get('/', async (ctx) => {
    const principal = principalOf(ctx);
    const all = ctx.query.all === 'true';
    if (all && !principal.isAdmin) throw new DaichoError('PERMISSION_DENIED', 'Only admins may list the tokens of every user');
    ctx.body = { apiTokens: await listApiTokens(deps.em(), principal.workspaceId, all ? undefined : principal.userId) };
  });

  router.delete('/:id', async (ctx) => {
    const principal = principalOf(ctx);
    // Admins may revoke anyone's token in their workspace; others their own.
    if (!(await revokeApiToken(deps.em(), principal.workspaceId, ctx.params.id!, principal.isAdmin ? undefined : principal.userId))) {
      throw errors.notFound('API token', ctx.params.id!);
    }
    await deps.sessions.forget(ctx.params.id!);
    ctx.status = 204;
  });

  return { name: 'tokens', router };
}
