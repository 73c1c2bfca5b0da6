import { createUser, findUser, isRoleName, generateInitialPassword, listUsers, parseUserChanges, resetUserCredentials, revokeUserSessions, updateUser, userLocales, type UserInfo } from '../auth/index.ts';
import { errors, type InputProblem } from '../errors/index.ts';
import { createRouter, readJsonBody, type RouteMount } from '../http/index.ts';
import { findWorkspaceBySlug } from '../workspaces/index.ts';
import type { ApiDeps } from './api-deps.ts';
import { accessChanged } from '../access/index.ts';
import { accessActorOf, assertMayGrant, requireCapability } from './access-context.ts';
import { principalOf, requireSession } from './principal.ts';
import { requestContextOf } from './request-context.ts';

/**
 * The users of the caller's workspace, for those with manageUsers: `/api/v1/users`. Disabling a
 * user ends their sessions at once (and their API tokens stop working); a role change applies to
 * their next request on every node. No one gives a role with more than they hold.
 */
function auditContextOf(ctx: Parameters<typeof principalOf>[0]) {
  const principal = principalOf(ctx);
  return { workspaceId: principal.workspaceId, actorId: principal.userId, ...requestContextOf(ctx) };
}

export function usersRoutes(deps: ApiDeps): RouteMount {
  const router = createRouter({ prefix: '/api/v1/users' });
  router.use(requireSession(deps), requireCapability(deps, 'manageUsers'));

  router.get('/', async (ctx) => {
    ctx.body = { users: await listUsers(deps.em(), principalOf(ctx).workspaceId) };
  });

  router.get('/:id', async (ctx) => {
    const user = await findUser(deps.em(), principalOf(ctx).workspaceId, ctx.params.id!);
    if (!user) throw errors.notFound('User', ctx.params.id!);
    ctx.body = { user };
  });

  router.post('/', async (ctx) => {
    const principal = principalOf(ctx);
    const body = await readJsonBody(ctx);
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw errors.validationFailed([{ path: '', code: 'type', message: 'must be a JSON object' }]);
    const input = body as Record<string, unknown>;
    const problems: InputProblem[] = [];
    const allowed = ['email', 'displayName', 'locale', 'timeZone', 'roleName', 'password', 'isAdmin'];
    for (const key of Object.keys(input)) if (!allowed.includes(key)) problems.push({ path: `/${key}`, code: 'additionalProperties', message: 'is not a property of a user' });
    if (typeof input.email !== 'string') problems.push({ path: '/email', code: 'required', message: 'is required' });
    if (typeof input.displayName !== 'string') problems.push({ path: '/displayName', code: 'required', message: 'is required' });
    if (input.locale !== undefined && !(userLocales as readonly unknown[]).includes(input.locale)) problems.push({ path: '/locale', code: 'enum', message: `must be one of ${userLocales.join(', ')}` });
    if (input.timeZone !== undefined && typeof input.timeZone !== 'string') problems.push({ path: '/timeZone', code: 'type', message: 'must be an IANA time zone' });
    if (input.roleName !== undefined && input.roleName !== null && typeof input.roleName !== 'string') problems.push({ path: '/roleName', code: 'type', message: 'must be a role name or null' });
    if (input.password !== undefined && typeof input.password !== 'string') problems.push({ path: '/password', code: 'type', message: 'must be a string' });
    if (input.isAdmin !== undefined && typeof input.isAdmin !== 'boolean') problems.push({ path: '/isAdmin', code: 'type', message: 'must be true or false' });
    if (problems.length > 0) throw errors.validationFailed(problems);
    // A malformed role name is reported with the user's other problems by createUser.
    const roleName = typeof input.roleName === 'string' && isRoleName(input.roleName) ? input.roleName : undefined;
    await assertMayGrant(ctx, deps, { roleName, isAdmin: input.isAdmin === true });
    const workspace = await findWorkspaceBySlug(deps.em(), principal.workspaceSlug);
    if (!workspace) throw errors.notFound('Workspace', principal.workspaceSlug);
    // Without a password the admin gets a generated one to hand over, shown once.
    const initialPassword = input.password === undefined ? generateInitialPassword(deps.auth.passwordPolicy) : undefined;
    const user = await createUser(deps.em(), {
      workspace,
      email: input.email as string,
      displayName: input.displayName as string,
      password: (input.password as string | undefined) ?? initialPassword,
      ...(input.locale === undefined ? {} : { locale: input.locale as 'ja' | 'en' }),
      ...(input.timeZone === undefined ? {} : { timeZone: input.timeZone as string }),
      ...(input.roleName === undefined ? {} : { roleName: input.roleName as string | null }),
      isAdmin: input.isAdmin === true,
      passwordPolicy: deps.auth.passwordPolicy,
    });
    await accessChanged({ em: deps.em, metadata: deps.metadata }, accessActorOf(ctx), { user: user.id, change: 'created', roleName: input.roleName ?? null, isAdmin: input.isAdmin === true });
    ctx.status = 201;
    ctx.set('Cache-Control', 'no-store');
    const created = (await findUser(deps.em(), principal.workspaceId, user.id)) as UserInfo;
    ctx.body = { user: created, ...(initialPassword === undefined ? {} : { initialPassword }) };
  });

  router.patch('/:id', async (ctx) => {
    const principal = principalOf(ctx);
    const changes = parseUserChanges(await readJsonBody(ctx), false);
    if (ctx.params.id === principal.userId && changes.status === 'disabled') {
      throw errors.validationFailed([{ path: '/status', code: 'self', message: 'you cannot disable yourself' }]);
    }
    if (changes.roleName !== undefined) await assertMayGrant(ctx, deps, { roleName: changes.roleName });
    const user = await updateUser(deps.em(), principal.workspaceId, ctx.params.id!, changes);
    if (!user) throw errors.notFound('User', ctx.params.id!);
    if (changes.status === 'disabled') await revokeUserSessions(deps.em(), user.id);
    await deps.sessions.forgetUser(user.id);
    // A new role or status applies from the next request on every node (the access snapshot is replaced).
    if (changes.roleName !== undefined || changes.status !== undefined) {
      await accessChanged({ em: deps.em, metadata: deps.metadata }, accessActorOf(ctx), {
        user: user.id, change: 'updated', ...(changes.roleName === undefined ? {} : { roleName: changes.roleName }), ...(changes.status === undefined ? {} : { status: changes.status }),
      });
    }
    ctx.body = { user };
  });

  // For a user who lost their authenticator: the second factor (and its recovery codes) goes;
  // they sign in with the password and, if their role requires it, set a new one up.
  router.delete('/:id/totp', async (ctx) => {
    await resetUserCredentials(deps.em(), deps.auth, auditContextOf(ctx), ctx.params.id!, 'totp');
    await deps.sessions.forgetUser(ctx.params.id!);
    ctx.status = 204;
  });

  // For a user who lost their password: a new one-time password, shown to the admin once.
  router.post('/:id/password-reset', async (ctx) => {
    const { initialPassword } = await resetUserCredentials(deps.em(), deps.auth, auditContextOf(ctx), ctx.params.id!, 'password');
    await deps.sessions.forgetUser(ctx.params.id!);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { initialPassword };
  });

  return { name: 'users', router };
}
