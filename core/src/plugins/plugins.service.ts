import { describePermission, type FieldDefinition, type ObjectDefinition, type PluginManifest, type PluginPackage, type PluginPermission, type PluginSignature } from '@daicho/sdk';
import { PluginPackageError, readPluginPackage, verifyPluginSignature } from '@daicho/sdk/plugin-tools';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import semver from 'semver';
import { appendAuditEvent, type AuditContext } from '../audit/index.ts';
import { DaichoError, errors } from '../errors/index.ts';
import type { Logger } from '../log/index.ts';
import {
  applyObjectSet, finishObjectSet, loadWorkspaceMetadata, purgeDeletedObject, type MetadataActor, type MetadataCache, type ObjectChangeResult, type ObjectSetChange, type WorkspaceMetadata,
} from '../metadata/index.ts';
import type { RecordAccess } from '../records/index.ts';
import { deleteInstallation, findInstallation, listInstallations, saveInstallation, type Db, type Installation } from './installations.repository.ts';
import { missingPermissions, resolveGrant } from './plugin-grants.ts';
import type { PluginRuntime } from './plugin-runtime.ts';
import { sandboxKeyOf } from './plugin-runtime.ts';

/** What the lifecycle needs from the runtime. */
export interface PluginsDeps {
  em: () => EntityManager;
  metadata: MetadataCache;
  logger: Logger;
  runtime: PluginRuntime;
  platformVersion: string;
  /** Base64 raw ed25519 keys whose signatures are trusted; `required`: refuse unsigned packages. */
  signatures: { trustedKeys: readonly string[]; required: boolean };
  afterObjectChange?: (actor: MetadataActor, result: ObjectChangeResult) => Promise<void>;
}

/** The admin acting: already checked for `installPlugins` by the caller. */
export interface PluginsActor {
  workspaceId: string;
  userId: string;
  timeZone: string;
  /** The admin's record access: install migrations run with it, narrowed to the plugin's grants. */
  access: RecordAccess;
  clientAddress?: string;
  requestId?: string;
}

/** The body a package arrives in, with its detached signature and what the admin grants. */
export interface PackageUpload {
  bytes: Uint8Array;
  /** The `.sig.json`, from `X-Daicho-Signature` (base64 of its JSON). */
  signature?: string | undefined;
  /** `all`, or the permissions granted by name; undefined grants nothing. */
  grant?: 'all' | readonly string[] | undefined;
}

const auditOf = (actor: PluginsActor): AuditContext => ({ workspaceId: actor.workspaceId, actorId: actor.userId || null, clientAddress: actor.clientAddress ?? null, requestId: actor.requestId ?? null });
const metadataDepsOf = (deps: PluginsDeps) => ({ em: deps.em, cache: deps.metadata, logger: deps.logger, ...(deps.afterObjectChange ? { afterObjectChange: deps.afterObjectChange } : {}) });

/** Reads, and checks the signature of, an uploaded package. */
export async function readUploadedPackage(deps: PluginsDeps, upload: PackageUpload): Promise<PluginPackage> {
  if (upload.signature !== undefined) {
    let signature: PluginSignature;
    try {
      signature = JSON.parse(Buffer.from(upload.signature, 'base64').toString('utf8')) as PluginSignature;
    } catch {
      throw new DaichoError('PLUGIN_SIGNATURE_INVALID', 'X-Daicho-Signature is not the base64 of a .sig.json document', { details: { reason: 'MALFORMED_SIGNATURE' } });
    }
    const verified = verifyPluginSignature(upload.bytes, signature, deps.signatures.trustedKeys);
    if (!verified.ok) throw new DaichoError('PLUGIN_SIGNATURE_INVALID', verified.message, { details: { reason: verified.reason } });
  } else if (deps.signatures.required) {
    throw new DaichoError('PLUGIN_SIGNATURE_INVALID', 'This platform installs signed plugins only; send the package\'s .sig.json in X-Daicho-Signature', { details: { reason: 'UNSIGNED' } });
  }
  try {
    return await readPluginPackage(upload.bytes);
  } catch (error) {
    if (error instanceof PluginPackageError) throw new DaichoError(error.code, error.message, { details: error.details });
    throw error;
  }
}

function assertEngine(deps: PluginsDeps, manifest: PluginManifest): void {
  if (!semver.satisfies(deps.platformVersion, manifest.engines.daicho, { includePrerelease: true })) {
    throw new DaichoError('PLUGIN_ENGINE_MISMATCH', `${manifest.id}@${manifest.version} needs Daichō ${manifest.engines.daicho}; this is ${deps.platformVersion}`, {
      details: { plugin: manifest.id, requires: manifest.engines.daicho, platformVersion: deps.platformVersion },
    });
  }
}

async function assertDependencies(db: Db, workspaceId: string, manifest: PluginManifest): Promise<void> {
  const unmet: Array<{ plugin: string; range: string; installed: string | null; state: string | null }> = [];
  for (const [id, range] of Object.entries(manifest.dependencies ?? {})) {
    const found = await findInstallation(db, workspaceId, id);
    if (!found || found.state !== 'enabled' || !semver.satisfies(found.version, range, { includePrerelease: true })) {
      unmet.push({ plugin: id, range, installed: found?.version ?? null, state: found?.state ?? null });
    }
  }
  if (unmet.length > 0) {
    throw new DaichoError('PLUGIN_DEPENDENCY_UNMET', `${manifest.id} needs ${unmet.map((entry) => `${entry.plugin} ${entry.range}`).join(', ')} installed and enabled`, { details: { plugin: manifest.id, unmet } });
  }
}

/** A permission with its consent text in both languages. */
export function describedPermissions(permissions: readonly PluginPermission[], metadata?: WorkspaceMetadata): Array<{ permission: string; description: { en: string; ja: string } }> {
  const label = (language: 'en' | 'ja') => (name: string) => {
    const labels = metadata?.objects.get(name)?.body.labels as Record<string, string> | undefined;
    return labels?.[language] ?? labels?.en;
  };
  return permissions.map((permission) => ({ permission, description: { en: describePermission(permission, 'en', label('en')), ja: describePermission(permission, 'ja', label('ja')) } }));
}

function consentRequired(manifest: PluginManifest, missing: PluginPermission[], upgrade: boolean): DaichoError {
  return new DaichoError('PLUGIN_CONSENT_REQUIRED', `${manifest.id}@${manifest.version} asks for permissions not granted yet: ${missing.join(', ')}; grant them with POST /api/v1/plugins/${manifest.id}/consent`, {
    details: { plugin: manifest.id, version: manifest.version, upgrade, permissions: describedPermissions(missing) },
  });
}

function jsonFile(pkg: PluginPackage, path: string): unknown {
  const file = pkg.files.get(path);
  if (!file) throw new DaichoError('INVALID_PLUGIN_PACKAGE', `The package has no ${path}`, { details: { reason: 'FILE_MISSING', entry: path } });
  try {
    return JSON.parse(Buffer.from(file).toString('utf8'));
  } catch {
    throw new DaichoError('INVALID_PLUGIN_PACKAGE', `${path} is not JSON`, { details: { reason: 'MALFORMED_ARCHIVE', entry: path } });
  }
}

/** What a version contributes to the workspace's objects, by name. */
function contributionsOf(pkg: PluginPackage): { objects: ObjectDefinition[]; fields: Array<{ object: string; field: FieldDefinition }> } {
  const contributes = pkg.manifest.contributes ?? {};
  const objects = (contributes.objects ?? []).map((path) => jsonFile(pkg, path) as ObjectDefinition);
  const fields = (contributes.fields ?? []).flatMap(({ object, file }) => {
    const parsed = jsonFile(pkg, file);
    return (Array.isArray(parsed) ? parsed : [parsed]).map((field) => ({ object, field: field as FieldDefinition }));
  });
  return { objects, fields };
}

/** The objects and fields of an installed version, from its stored package. */
async function storedContributions(installation: Installation): Promise<ReturnType<typeof contributionsOf>> {
  return contributionsOf(await readPluginPackage(installation.packageBytes));
}

/** The data migrations to run going from `from` (null at install) to `to`: versions in (from, to], in order. */
export function migrationsBetween(migrations: readonly string[] | undefined, from: string | null, to: string): string[] {
  return [...new Set(migrations ?? [])]
    .filter((version) => semver.valid(version) && semver.lte(version, to) && (from === null || semver.gt(version, from)))
    .sort(semver.compare);
}

/** A metadata cache that reads the caller's transaction: migrations see the objects created in it. */
function transactionMetadata(db: Db): MetadataCache {
  return { get: (workspaceId) => loadWorkspaceMetadata(db, workspaceId), invalidate: () => undefined, listenTo: () => undefined, stop: () => undefined };
}

/**
 * Puts a version in place, in one transaction: its contributed objects and fields (one set of
 * metadata changes), the installation row, and its data migrations run in the sandbox with
 * records services bound to the transaction. Any failure rolls all of it back and the version
 * that ran before (if any) keeps running.
 */
async function applyVersion(deps: PluginsDeps, actor: PluginsActor, pkg: PluginPackage, packageBytes: Uint8Array, previous: Installation | undefined, granted: PluginPermission[], kind: 'plugin.install' | 'plugin.upgrade' | 'plugin.consent'): Promise<Installation> {
  const { manifest } = pkg;
  const bytes = Buffer.from(packageBytes);
  const fromVersion = previous && previous.state !== 'pendingConsent' ? previous.version : null;
  const newKey = manifest.main ? await deps.runtime.loadCode(actor.workspaceId, { manifest, packageBytes: bytes }) : undefined;
  const runningKey = previous && previous.state === 'enabled' ? sandboxKeyOf(actor.workspaceId, previous.manifest) : undefined;
  // Migrations are the bundle's `migrations/<version>` handlers (and any the manifest names by a path ending in a version).
  const migrationVersions = [
    ...(newKey ? (await deps.runtime.handlersOf(newKey)).filter((path) => path.startsWith('migrations/')).map((path) => path.slice('migrations/'.length)) : []),
    ...(manifest.contributes?.migrations ?? []).map((path) => path.split('/').pop()!.replace(/\.(js|json|md|txt)$/, '')),
  ];
  let installation: Installation;
  let committed;
  try {
    const next = contributionsOf(pkg);
    const before = previous && previous.state !== 'pendingConsent' ? await storedContributions(previous) : { objects: [], fields: [] };
    const change: ObjectSetChange = {
      objects: next.objects,
      fields: next.fields,
      deleteObjects: before.objects.map((object) => object.name).filter((name) => !next.objects.some((object) => object.name === name)),
      deleteFields: before.fields.filter((old) => !next.fields.some((field) => field.object === old.object && field.field.name === old.field.name)).map((old) => ({ object: old.object, field: old.field.name })),
    };
    [installation, committed] = await deps.em().transactional(async (trx) => {
      const db = trx.getKysely() as Db;
      await assertDependencies(db, actor.workspaceId, manifest);
      const applied = await applyObjectSet(metadataDepsOf(deps), actor, db, change);
      const row: Installation = {
        workspaceId: actor.workspaceId, pluginId: manifest.id, version: manifest.version, state: previous?.state === 'disabled' ? 'disabled' : 'enabled', manifest, packageBytes: bytes, digest: pkg.digest,
        grantedPermissions: granted, pending: null, installedBy: previous?.installedBy ?? actor.userId, installedAt: previous?.installedAt ?? new Date().toISOString(),
        updatedAt: new Date().toISOString(), uninstalledAt: null, disabledReason: previous?.state === 'disabled' ? previous.disabledReason : null, consecutiveFailures: 0, limitFailures: 0,
      };
      await saveInstallation(db, row);
      const migrations = migrationsBetween(migrationVersions, fromVersion, manifest.version);
      if (migrations.length > 0) {
        if (!newKey) throw new DaichoError('INVALID_MANIFEST', `${manifest.id} lists migrations but has no main bundle`, { details: { problems: [{ path: '/contributes/migrations', message: 'needs main' }] } });
        const records = { em: () => trx, metadata: transactionMetadata(db), logger: deps.logger };
        for (const version of migrations) {
          await deps.runtime.invokeLoaded(row, newKey, `migrations/${version}`, { from: fromVersion }, { actor: { workspaceId: actor.workspaceId, userId: actor.userId, timeZone: actor.timeZone, access: actor.access, requestId: actor.requestId ?? '' }, records, countFailures: false });
        }
      }
      await appendAuditEvent(db, auditOf(actor), { kind, details: { plugin: manifest.id, version: manifest.version, from: fromVersion, digest: pkg.digest, permissions: granted, migrations } });
      return [row, applied] as const;
    });
  } catch (error) {
    if (newKey && newKey !== runningKey) await deps.runtime.unloadKey(newKey);
    throw error;
  }
  await finishObjectSet(metadataDepsOf(deps), actor, [...committed]);
  // Replaces the running version's registrations and code with the new one's (a disabled plugin stays disabled).
  if (installation.state === 'enabled') await deps.runtime.activate(installation);
  else if (newKey) await deps.runtime.unloadKey(newKey);
  return installation;
}

/** Installs a package (or reinstalls an uninstalled plugin, its data restored). Without full consent it is stored as `pendingConsent` and nothing else happens. */
export async function installPlugin(deps: PluginsDeps, actor: PluginsActor, upload: PackageUpload): Promise<{ installation: Installation; consentRequired: DaichoError | undefined }> {
  const pkg = await readUploadedPackage(deps, upload);
  const { manifest } = pkg;
  assertEngine(deps, manifest);
  const db = deps.em().getKysely() as Db;
  const existing = await findInstallation(db, actor.workspaceId, manifest.id);
  if (existing && existing.state !== 'uninstalled' && existing.state !== 'pendingConsent') {
    throw errors.conflict(`${manifest.id} is installed already (version ${existing.version}); upgrade it instead`, { plugin: manifest.id, version: existing.version });
  }
  await assertDependencies(db, actor.workspaceId, manifest);
  const granted = resolveGrant(manifest.permissions, upload.grant);
  const missing = missingPermissions(manifest.permissions, granted);
  if (missing.length > 0) {
    const row: Installation = {
      workspaceId: actor.workspaceId, pluginId: manifest.id, version: manifest.version, state: 'pendingConsent', manifest, packageBytes: Buffer.from(upload.bytes), digest: pkg.digest,
      grantedPermissions: granted, pending: null, installedBy: actor.userId, installedAt: new Date().toISOString(), updatedAt: new Date().toISOString(),
      uninstalledAt: existing?.uninstalledAt ?? null, disabledReason: null, consecutiveFailures: 0, limitFailures: 0,
    };
    await deps.em().transactional(async (trx) => {
      const tx = trx.getKysely() as Db;
      // An uninstalled plugin's row remembers its contributions until the new one is consented to.
      if (existing?.state === 'uninstalled') row.pending = null;
      await saveInstallation(tx, existing?.state === 'uninstalled' ? { ...existing, pending: { manifest, packageBytes: row.packageBytes, digest: pkg.digest }, grantedPermissions: granted } : row);
      await appendAuditEvent(tx, auditOf(actor), { kind: 'plugin.install', details: { plugin: manifest.id, version: manifest.version, digest: pkg.digest, state: 'pendingConsent', missing } });
    });
    return { installation: (await findInstallation(db, actor.workspaceId, manifest.id))!, consentRequired: consentRequired(manifest, missing, false) };
  }
  const previous = existing?.state === 'uninstalled' ? existing : undefined;
  return { installation: await applyVersion(deps, actor, pkg, upload.bytes, previous, granted, 'plugin.install'), consentRequired: undefined };
}

async function requireInstallation(deps: PluginsDeps, workspaceId: string, pluginId: string, options: { includeUninstalled?: boolean } = {}): Promise<Installation> {
  const found = await findInstallation(deps.em().getKysely() as Db, workspaceId, pluginId);
  if (!found || (found.state === 'uninstalled' && !options.includeUninstalled && !found.pending)) {
    throw new DaichoError('PLUGIN_NOT_FOUND', `No plugin "${pluginId}" is installed in this workspace`, { details: { plugin: pluginId } });
  }
  return found;
}

/**
 * Grants what a pending installation or upgrade asks for, and puts it in place. The grant names
 * permissions (`all` for every one asked); anything still missing leaves it pending.
 */
export async function consentPlugin(deps: PluginsDeps, actor: PluginsActor, pluginId: string, grant: 'all' | readonly string[] | undefined): Promise<Installation> {
  const current = await requireInstallation(deps, actor.workspaceId, pluginId);
  const target = current.pending ?? (current.state === 'pendingConsent' ? { manifest: current.manifest, packageBytes: current.packageBytes, digest: current.digest } : undefined);
  if (!target) throw errors.conflict(`${pluginId} has nothing waiting for consent`, { plugin: pluginId });
  const already = current.state === 'pendingConsent' ? [] : current.grantedPermissions;
  const granted = [...new Set([...resolveGrant(target.manifest.permissions, grant), ...already.filter((permission) => target.manifest.permissions.includes(permission)), ...(current.state === 'pendingConsent' ? current.grantedPermissions : [])])];
  const missing = missingPermissions(target.manifest.permissions, granted);
  if (missing.length > 0) throw consentRequired(target.manifest, missing, current.pending !== null);
  const pkg = await readPluginPackage(target.packageBytes);
  assertEngine(deps, pkg.manifest);
  const previous = current.state === 'pendingConsent' ? undefined : current;
  return applyVersion(deps, actor, pkg, target.packageBytes, previous, granted, 'plugin.consent');
}

/** Upgrades to a strictly newer version; new permissions wait for consent while the old version keeps running. */
export async function upgradePlugin(deps: PluginsDeps, actor: PluginsActor, pluginId: string, upload: PackageUpload): Promise<{ installation: Installation; consentRequired: DaichoError | undefined }> {
  const current = await requireInstallation(deps, actor.workspaceId, pluginId);
  if (current.state === 'uninstalled' || current.state === 'pendingConsent') throw errors.conflict(`${pluginId} is not installed; install it instead`, { plugin: pluginId });
  const pkg = await readUploadedPackage(deps, upload);
  if (pkg.manifest.id !== pluginId) throw errors.badRequest(`The package is ${pkg.manifest.id}, not ${pluginId}`, { plugin: pkg.manifest.id });
  if (!semver.gt(pkg.manifest.version, current.version)) {
    throw new DaichoError('PLUGIN_VERSION_NOT_NEWER', `${pluginId}@${pkg.manifest.version} is not newer than the installed ${current.version}`, { details: { plugin: pluginId, installed: current.version, offered: pkg.manifest.version } });
  }
  assertEngine(deps, pkg.manifest);
  const granted = [...new Set([...current.grantedPermissions.filter((permission) => pkg.manifest.permissions.includes(permission)), ...resolveGrant(pkg.manifest.permissions, upload.grant)])];
  const missing = missingPermissions(pkg.manifest.permissions, granted);
  if (missing.length > 0) {
    await deps.em().transactional(async (trx) => {
      const db = trx.getKysely() as Db;
      await saveInstallation(db, { ...current, pending: { manifest: pkg.manifest, packageBytes: Buffer.from(upload.bytes), digest: pkg.digest } });
      await appendAuditEvent(db, auditOf(actor), { kind: 'plugin.upgrade', details: { plugin: pluginId, from: current.version, version: pkg.manifest.version, state: 'pendingConsent', missing } });
    });
    return { installation: (await requireInstallation(deps, actor.workspaceId, pluginId))!, consentRequired: consentRequired(pkg.manifest, missing, true) };
  }
  return { installation: await applyVersion(deps, actor, pkg, upload.bytes, current, granted, 'plugin.upgrade'), consentRequired: undefined };
}

export async function setPluginEnabled(deps: PluginsDeps, actor: PluginsActor, pluginId: string, enabled: boolean): Promise<Installation> {
  const installation = await deps.em().transactional(async (trx) => {
    const db = trx.getKysely() as Db;
    const current = await findInstallation(db, actor.workspaceId, pluginId, { forUpdate: true });
    if (!current || current.state === 'uninstalled') throw new DaichoError('PLUGIN_NOT_FOUND', `No plugin "${pluginId}" is installed in this workspace`, { details: { plugin: pluginId } });
    if (current.state === 'pendingConsent') throw consentRequired(current.manifest, missingPermissions(current.manifest.permissions, current.grantedPermissions), false);
    if (enabled) await assertDependencies(db, actor.workspaceId, current.manifest);
    else await assertNoDependents(db, actor.workspaceId, pluginId);
    const next: Installation = { ...current, state: enabled ? 'enabled' : 'disabled', disabledReason: enabled ? null : 'disabled by an admin', consecutiveFailures: 0, limitFailures: 0 };
    await saveInstallation(db, next);
    await appendAuditEvent(db, auditOf(actor), { kind: enabled ? 'plugin.enable' : 'plugin.disable', details: { plugin: pluginId, version: current.version } });
    return next;
  });
  if (enabled) await deps.runtime.activate(installation);
  else await deps.runtime.deactivate(actor.workspaceId, pluginId);
  return installation;
}

async function assertNoDependents(db: Db, workspaceId: string, pluginId: string): Promise<void> {
  const dependents = (await listInstallations(db, workspaceId)).filter((other) => other.state === 'enabled' && other.pluginId !== pluginId && other.manifest.dependencies?.[pluginId] !== undefined);
  if (dependents.length > 0) {
    throw new DaichoError('PLUGIN_DEPENDENCY_UNMET', `${dependents.map((other) => other.pluginId).join(', ')} depend on ${pluginId}; disable or uninstall them first`, { details: { plugin: pluginId, dependents: dependents.map((other) => other.pluginId) } });
  }
}

/**
 * Uninstalls: every registration removed, the objects and fields it contributed hidden (their
 * data kept, restorable by installing it again, exportable while hidden), queued work
 * dead-lettered with "handler removed". Settings and the key-value store are kept too.
 */
export async function uninstallPlugin(deps: PluginsDeps, actor: PluginsActor, pluginId: string): Promise<Installation> {
  const current = await requireInstallation(deps, actor.workspaceId, pluginId);
  const contributions = current.state === 'pendingConsent' ? { objects: [], fields: [] } : await storedContributions(current);
  const [installation, committed] = await deps.em().transactional(async (trx) => {
    const db = trx.getKysely() as Db;
    await assertNoDependents(db, actor.workspaceId, pluginId);
    if (current.state === 'pendingConsent') {
      await deleteInstallation(db, actor.workspaceId, pluginId);
      await appendAuditEvent(db, auditOf(actor), { kind: 'plugin.uninstall', details: { plugin: pluginId, version: current.version, state: 'pendingConsent' } });
      return [{ ...current, state: 'uninstalled' as const }, []] as const;
    }
    const applied = await applyObjectSet(metadataDepsOf(deps), actor, db, {
      deleteObjects: contributions.objects.map((object) => object.name),
      deleteFields: contributions.fields.map(({ object, field }) => ({ object, field: field.name })),
    });
    const { numUpdatedRows } = await sql`update daicho.plugin_job set status = 'deadLetter', error = ${JSON.stringify({ code: 'PLUGIN_UNAVAILABLE', message: 'handler removed' })}::jsonb, finished_at = now()
      where workspace_id = ${actor.workspaceId} and plugin_id = ${pluginId} and status = 'queued'`.execute(db) as unknown as { numUpdatedRows?: bigint };
    const next: Installation = { ...current, state: 'uninstalled', pending: null, uninstalledAt: new Date().toISOString(), disabledReason: null };
    await saveInstallation(db, next);
    await appendAuditEvent(db, auditOf(actor), { kind: 'plugin.uninstall', details: { plugin: pluginId, version: current.version, hiddenObjects: contributions.objects.map((object) => object.name), deadLettered: Number(numUpdatedRows ?? 0) } });
    return [next, applied] as const;
  });
  // After commit: until then the plugin is still installed (and another node's reconciler agrees).
  await deps.runtime.deactivate(actor.workspaceId, pluginId);
  await finishObjectSet(metadataDepsOf(deps), actor, [...committed]);
  return installation;
}

/** Drops an uninstalled plugin's objects, records, settings and store for good; `confirm` must repeat its id. */
export async function purgePlugin(deps: PluginsDeps, actor: PluginsActor, pluginId: string, confirm: unknown, reason: 'requested' | 'retention' = 'requested'): Promise<{ purgedObjects: string[] }> {
  if (confirm !== pluginId) throw errors.validationFailed([{ path: '/confirm', code: 'confirm', message: `must repeat the plugin id ("${pluginId}") to purge its data` }]);
  const current = await requireInstallation(deps, actor.workspaceId, pluginId, { includeUninstalled: true });
  if (current.state !== 'uninstalled') throw errors.conflict(`${pluginId} is installed; uninstall it before purging its data`, { plugin: pluginId, state: current.state });
  const contributions = await storedContributions(current);
  const purged: string[] = [];
  await deps.em().transactional(async (trx) => {
    const db = trx.getKysely() as Db;
    for (const object of contributions.objects) if (await purgeDeletedObject(metadataDepsOf(deps), actor, db, object.name)) purged.push(object.name);
    await sql`delete from daicho.plugin_job where workspace_id = ${actor.workspaceId} and plugin_id = ${pluginId}`.execute(db);
    await deleteInstallation(db, actor.workspaceId, pluginId);
    await appendAuditEvent(db, auditOf(actor), { kind: 'plugin.purge', details: { plugin: pluginId, version: current.version, purgedObjects: purged, reason } });
  });
  deps.metadata.invalidate(actor.workspaceId);
  return { purgedObjects: purged };
}

/** An installation as the API shows it (never the package bytes). */
export async function describeInstallation(deps: PluginsDeps, installation: Installation): Promise<Record<string, unknown>> {
  const metadata = await deps.metadata.get(installation.workspaceId);
  const pending = installation.pending;
  return {
    id: installation.pluginId,
    version: installation.version,
    state: installation.state,
    manifest: installation.manifest,
    digest: installation.digest,
    permissions: describedPermissions(installation.manifest.permissions, metadata).map((entry) => ({ ...entry, granted: installation.grantedPermissions.includes(entry.permission) })),
    pendingUpgrade: pending ? {
      version: pending.manifest.version, digest: pending.digest,
      permissions: describedPermissions(pending.manifest.permissions, metadata).map((entry) => ({ ...entry, granted: installation.grantedPermissions.includes(entry.permission) })),
    } : null,
    installedBy: installation.installedBy,
    installedAt: installation.installedAt,
    updatedAt: installation.updatedAt,
    uninstalledAt: installation.uninstalledAt,
    disabledReason: installation.disabledReason,
  };
}

export async function getPlugin(deps: PluginsDeps, workspaceId: string, pluginId: string): Promise<Installation> {
  return requireInstallation(deps, workspaceId, pluginId, { includeUninstalled: true });
}

export async function listPlugins(deps: PluginsDeps, workspaceId: string): Promise<Installation[]> {
  return listInstallations(deps.em().getKysely() as Db, workspaceId);
}

/**
 * Purges the data of plugins uninstalled longer ago than the retention period (worker nodes run
 * it periodically); each purge is audited with `reason: "retention"`. Returns what was purged.
 */
export async function purgeExpiredPlugins(deps: PluginsDeps, retentionDays: number, now = new Date()): Promise<Array<{ workspaceId: string; pluginId: string }>> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const { rows } = await sql<{ workspace_id: string; plugin_id: string }>`select workspace_id, plugin_id from daicho.plugin_installation
    where state = 'uninstalled' and uninstalled_at <= ${cutoff} and pending_manifest is null`.execute(deps.em().getKysely() as Db);
  const purged: Array<{ workspaceId: string; pluginId: string }> = [];
  for (const row of rows) {
    const platform: PluginsActor = { workspaceId: row.workspace_id, userId: '', timeZone: 'UTC', access: { allows: () => true, fieldAccess: () => 'edit', recordScope: () => undefined } };
    try {
      await purgePlugin(deps, platform, row.plugin_id, row.plugin_id, 'retention');
      purged.push({ workspaceId: row.workspace_id, pluginId: row.plugin_id });
    } catch (error) {
      deps.logger.error({ err: error, plugin: row.plugin_id, workspaceId: row.workspace_id }, 'purging an uninstalled plugin failed; retrying next round');
    }
  }
  return purged;
}
