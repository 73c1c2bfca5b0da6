import { getWorkspaceIpAllowList, ipAllowed, parseIpAllowList, setWorkspaceIpAllowList } from '../auth/index.ts';
import { errors } from '../errors/index.ts';
import { createRouter, readJsonBody, type RouteMount } from '../http/index.ts';
import type { ApiDeps } from './api-deps.ts';
import { principalOf, requireAdmin, requireSession } from './principal.ts';

/**
 * The workspace's security settings, for admins: `/api/v1/workspace/security`. For now the IP
 * allow-list: when not empty, only those addresses reach the workspace, sign-in included.
 */
export function workspaceSecurityRoutes(deps: ApiDeps): RouteMount {
  const router = createRouter({ prefix: '/api/v1/workspace/security' });
  router.use(requireSession(deps), requireAdmin('Only admins may change the security settings'));

  router.get('/', async (ctx) => {
    const principal = principalOf(ctx);
    ctx.body = { ipAllowList: await getWorkspaceIpAllowList(deps.em(), principal.workspaceId), clientAddress: principal.clientAddress };
  });

  router.put('/', async (ctx) => {
    const principal = principalOf(ctx);
    const body = await readJsonBody(ctx);
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw errors.validationFailed([{ path: '', code: 'type', message: 'must be a JSON object' }]);
    const ipAllowList = parseIpAllowList((body as Record<string, unknown>).ipAllowList);
    // A list that leaves out the admin saving it would lock them out with their next request.
    if (!ipAllowed(principal.clientAddress, ipAllowList)) {
      throw errors.validationFailed([{ path: '/ipAllowList', code: 'excludesYou', message: `must include your own address (${principal.clientAddress})` }]);
    }
    await setWorkspaceIpAllowList(deps.em(), principal.workspaceId, ipAllowList, principal.userId);
    await deps.workspaceAllowLists.forget(principal.workspaceId);
    ctx.body = { ipAllowList, clientAddress: principal.clientAddress };
  });

  return { name: 'workspace-security', router };
}
