import { deleteAccessDefinition, deleteTeam, listTeams, saveAccessDefinition, saveTeam, type AccessDeps, type AccessKind } from '../access/index.ts';
import { errors } from '../errors/index.ts';
import { createRouter, readJsonBody, type RouteMount } from '../http/index.ts';
import { findDefinitionRow, listDefinitionRows, listDefinitionVersions } from '../metadata/index.ts';
import { accessActorOf, policyOf, requireCapability } from './access-context.ts';
import type { ApiDeps } from './api-deps.ts';
import { etagVersion, setEtag } from './etag.ts';
import { principalOf, requireSession } from './principal.ts';

const collections: Array<{ path: string; kind: AccessKind; what: string }> = [
  { path: 'permission-sets', kind: 'permissionSet', what: 'Permission set' },
  { path: 'roles', kind: 'role', what: 'Role' },
  { path: 'sharing-rules', kind: 'sharingRule', what: 'Sharing rule' },
];

/**
 * Access definitions (`/api/v1/meta/permission-sets|roles|sharing-rules`), teams, and the
 * caller's own effective access (`/api/v1/auth/me/access`). Users get roles through `/api/v1/users`.
 */
export function accessRoutes(deps: ApiDeps): RouteMount {
  const accessDeps: AccessDeps = { em: deps.em, metadata: deps.metadata };
  const router = createRouter({ prefix: '/api/v1' });
  router.use(requireSession(deps));
  const managePermissions = requireCapability(deps, 'managePermissions');
  const manageUsers = requireCapability(deps, 'manageUsers');
  const db = () => deps.em().getKysely();

  router.get('/auth/me/access', async (ctx) => {
    ctx.body = (await policyOf(ctx, deps)).describe();
  });

  for (const { path, kind, what } of collections) {
    router.get(`/meta/${path}`, managePermissions, async (ctx) => {
      const rows = await listDefinitionRows(db(), principalOf(ctx).workspaceId, kind);
      ctx.body = { [kindPlural(kind)]: rows.map((row) => ({ ...row.body, version: row.version })) };
    });
    router.get(`/meta/${path}/:name`, managePermissions, async (ctx) => {
      const row = await findDefinitionRow(db(), principalOf(ctx).workspaceId, kind, ctx.params.name!);
      if (!row || row.deletedAt) throw errors.notFound(what, ctx.params.name!);
      setEtag(ctx, row.version);
      ctx.body = { definition: row.body, version: row.version };
    });
    router.put(`/meta/${path}/:name`, managePermissions, async (ctx) => {
      const body = await readJsonBody(ctx);
      if (body === null || typeof body !== 'object' || Array.isArray(body) || (body as { name?: unknown }).name !== ctx.params.name) {
        throw errors.validationFailed([{ path: '/name', code: 'const', message: `must be "${ctx.params.name}", the name in the path` }]);
      }
      const ifMatch = etagVersion(ctx);
      const row = await saveAccessDefinition(accessDeps, accessActorOf(ctx), kind, body, ifMatch === undefined || ifMatch === '*' ? {} : { expectedVersion: ifMatch });
      setEtag(ctx, row.version);
      ctx.status = row.version === 1 ? 201 : 200;
      ctx.body = { definition: row.body, version: row.version };
    });
    router.delete(`/meta/${path}/:name`, managePermissions, async (ctx) => {
      await deleteAccessDefinition(accessDeps, accessActorOf(ctx), kind, ctx.params.name!);
      ctx.status = 204;
    });
    router.get(`/meta/${path}/:name/versions`, managePermissions, async (ctx) => {
      const row = await findDefinitionRow(db(), principalOf(ctx).workspaceId, kind, ctx.params.name!);
      if (!row) throw errors.notFound(what, ctx.params.name!);
      ctx.body = { versions: await listDefinitionVersions(db(), row.id) };
    });
  }

  router.get('/teams', manageUsers, async (ctx) => {
    ctx.body = { teams: await listTeams(db(), principalOf(ctx).workspaceId) };
  });
  router.put('/teams/:name', manageUsers, async (ctx) => {
    ctx.body = await saveTeam(accessDeps, accessActorOf(ctx), ctx.params.name!, await readJsonBody(ctx));
  });
  router.delete('/teams/:name', manageUsers, async (ctx) => {
    await deleteTeam(accessDeps, accessActorOf(ctx), ctx.params.name!);
    ctx.status = 204;
  });
  return { name: 'access', router };
}

const kindPlural = (kind: AccessKind) => ({ permissionSet: 'permissionSets', role: 'roles', sharingRule: 'sharingRules' })[kind];
