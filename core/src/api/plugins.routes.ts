import { errors } from '../errors/index.ts';
import { createRouter, readBodyStream, readJsonBody, type HttpContext, type RouteMount } from '../http/index.ts';
import {
  consentPlugin, describeInstallation, getPlugin, installPlugin, listPlugins, purgePlugin, readSettingsForAdmin, setPluginEnabled, uninstallPlugin, upgradePlugin, writeSettings,
  type PackageUpload, type PluginsActor, type PluginsDeps,
} from '../plugins/index.ts';
import { appendAuditEvent } from '../audit/index.ts';
import { recordsActorOf, requireCapability } from './access-context.ts';
import type { ApiDeps } from './api-deps.ts';
import { requireSession } from './principal.ts';

const packageTypes = ['application/gzip', 'application/x-gzip'];

/** The routes' extra settings: the largest package accepted, the key plugin secrets are sealed with. */
export interface PluginsRoutesOptions {
  maxPackageBytes: number;
  settingsKey: Buffer;
}

async function readPackageBody(ctx: HttpContext, limitBytes: number): Promise<Uint8Array> {
  const type = (ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase();
  if (!packageTypes.includes(type)) throw errors.unsupportedMediaType(type || '(none)', packageTypes);
  const chunks: Uint8Array[] = [];
  for await (const chunk of readBodyStream(ctx, limitBytes)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function grantOf(ctx: HttpContext): PackageUpload['grant'] {
  const value = ctx.query.grant;
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw errors.invalidQuery('grant', 'must be given once');
  return value === 'all' ? 'all' : value.split(',').map((permission) => permission.trim()).filter(Boolean);
}

function grantFromBody(body: unknown): PackageUpload['grant'] {
  const grant = (body as { grant?: unknown } | undefined)?.grant;
  if (grant === undefined || grant === 'all') return grant;
  if (Array.isArray(grant) && grant.every((permission) => typeof permission === 'string')) return grant as string[];
  throw errors.validationFailed([{ path: '/grant', code: 'type', message: 'must be "all" or a list of permissions' }]);
}

/**
 * Plugins of the workspace (`/api/v1/plugins…`): install a package, consent to its permissions,
 * upgrade, enable, disable, uninstall, purge, and its settings. Everything needs installPlugins.
 */
export function pluginsRoutes(deps: ApiDeps, plugins: PluginsDeps, options: PluginsRoutesOptions): RouteMount {
  const router = createRouter({ prefix: '/api/v1/plugins' });
  router.use(requireSession(deps));
  router.use(requireCapability(deps, 'installPlugins'));
  const actorOf = async (ctx: HttpContext): Promise<PluginsActor> => recordsActorOf(ctx, deps);
  const upload = async (ctx: HttpContext): Promise<PackageUpload> => ({ bytes: await readPackageBody(ctx, options.maxPackageBytes), signature: ctx.get('x-daicho-signature') || undefined, grant: grantOf(ctx) });
  const db = () => deps.em().getKysely();

  router.get('/', async (ctx) => {
    const actor = await actorOf(ctx);
    const installations = (await listPlugins(plugins, actor.workspaceId)).filter((installation) => installation.state !== 'uninstalled' || installation.pending);
    ctx.body = { plugins: await Promise.all(installations.map((installation) => describeInstallation(plugins, installation))) };
  });
  router.post('/', async (ctx) => {
    const { installation, consentRequired } = await installPlugin(plugins, await actorOf(ctx), await upload(ctx));
    if (consentRequired) throw consentRequired;
    ctx.status = 201;
    ctx.body = await describeInstallation(plugins, installation);
  });
  router.get('/:id', async (ctx) => {
    ctx.body = await describeInstallation(plugins, await getPlugin(plugins, (await actorOf(ctx)).workspaceId, ctx.params.id!));
  });
  router.post('/:id/consent', async (ctx) => {
    const body = await readJsonBody(ctx);
    ctx.body = await describeInstallation(plugins, await consentPlugin(plugins, await actorOf(ctx), ctx.params.id!, grantFromBody(body) ?? grantOf(ctx) ?? 'all'));
  });
  router.post('/:id/enable', async (ctx) => {
    ctx.body = await describeInstallation(plugins, await setPluginEnabled(plugins, await actorOf(ctx), ctx.params.id!, true));
  });
  router.post('/:id/disable', async (ctx) => {
    ctx.body = await describeInstallation(plugins, await setPluginEnabled(plugins, await actorOf(ctx), ctx.params.id!, false));
  });
  router.post('/:id/upgrade', async (ctx) => {
    const { installation, consentRequired } = await upgradePlugin(plugins, await actorOf(ctx), ctx.params.id!, await upload(ctx));
    if (consentRequired) throw consentRequired;
    ctx.body = await describeInstallation(plugins, installation);
  });
  router.delete('/:id', async (ctx) => {
    ctx.body = await describeInstallation(plugins, await uninstallPlugin(plugins, await actorOf(ctx), ctx.params.id!));
  });
  router.post('/:id/purge', async (ctx) => {
    const body = (await readJsonBody(ctx)) as { confirm?: unknown } | undefined;
    ctx.body = await purgePlugin(plugins, await actorOf(ctx), ctx.params.id!, body?.confirm);
  });
  router.get('/:id/settings', async (ctx) => {
    const actor = await actorOf(ctx);
    const installation = await getPlugin(plugins, actor.workspaceId, ctx.params.id!);
    ctx.body = await readSettingsForAdmin(db(), actor.workspaceId, installation.pluginId);
  });
  router.put('/:id/settings', async (ctx) => {
    const actor = await actorOf(ctx);
    const installation = await getPlugin(plugins, actor.workspaceId, ctx.params.id!);
    const body = await readJsonBody(ctx);
    await deps.em().transactional(async (trx) => {
      const tx = trx.getKysely();
      const { changed } = await writeSettings(tx, options.settingsKey, actor.workspaceId, installation.pluginId, installation.manifest.contributes?.settingsSchema, body);
      // Names of the settings changed, never their values (secrets among them).
      await appendAuditEvent(tx, { workspaceId: actor.workspaceId, actorId: actor.userId, clientAddress: actor.clientAddress ?? null, requestId: actor.requestId ?? null }, { kind: 'plugin.settings', details: { plugin: installation.pluginId, changed } });
    });
    ctx.body = await readSettingsForAdmin(db(), actor.workspaceId, installation.pluginId);
  });
  return { name: 'plugins', router };
}
