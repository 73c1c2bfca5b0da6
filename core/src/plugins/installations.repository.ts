import type { PluginManifest, PluginPermission } from '@daicho/sdk';
import { sql, type Kysely } from 'kysely';

export type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type InstallationState = 'enabled' | 'disabled' | 'pendingConsent' | 'uninstalled';

/** One plugin in one workspace, as stored. */
export interface Installation {
  workspaceId: string;
  pluginId: string;
  version: string;
  state: InstallationState;
  manifest: PluginManifest;
  /** The .tgz as installed: any node reads the code again from it. */
  packageBytes: Buffer;
  digest: string;
  grantedPermissions: PluginPermission[];
  pending: { manifest: PluginManifest; packageBytes: Buffer; digest: string } | null;
  installedBy: string | null;
  installedAt: string;
  updatedAt: string;
  uninstalledAt: string | null;
  disabledReason: string | null;
  consecutiveFailures: number;
  limitFailures: number;
}

interface InstallationRow {
  workspace_id: string;
  plugin_id: string;
  version: string;
  state: InstallationState;
  manifest: PluginManifest;
  package: Buffer;
  digest: string;
  granted_permissions: PluginPermission[];
  pending_manifest: PluginManifest | null;
  pending_package: Buffer | null;
  pending_digest: string | null;
  installed_by: string | null;
  installed_at: Date;
  updated_at: Date;
  uninstalled_at: Date | null;
  disabled_reason: string | null;
  consecutive_failures: number;
  limit_failures: number;
}

function toInstallation(row: InstallationRow): Installation {
  return {
    workspaceId: row.workspace_id,
    pluginId: row.plugin_id,
    version: row.version,
    state: row.state,
    manifest: row.manifest,
    packageBytes: row.package,
    digest: row.digest.trim(),
    grantedPermissions: row.granted_permissions,
    pending: row.pending_manifest && row.pending_package ? { manifest: row.pending_manifest, packageBytes: row.pending_package, digest: (row.pending_digest ?? '').trim() } : null,
    installedBy: row.installed_by,
    installedAt: new Date(row.installed_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    uninstalledAt: row.uninstalled_at ? new Date(row.uninstalled_at).toISOString() : null,
    disabledReason: row.disabled_reason,
    consecutiveFailures: row.consecutive_failures,
    limitFailures: row.limit_failures,
  };
}

export async function findInstallation(db: Db, workspaceId: string, pluginId: string, options: { forUpdate?: boolean } = {}): Promise<Installation | undefined> {
  const { rows } = await sql<InstallationRow>`select * from daicho.plugin_installation where workspace_id = ${workspaceId} and plugin_id = ${pluginId} ${options.forUpdate ? sql`for update` : sql``}`.execute(db);
  return rows[0] ? toInstallation(rows[0]) : undefined;
}

export async function listInstallations(db: Db, workspaceId?: string): Promise<Installation[]> {
  const { rows } = workspaceId
    ? await sql<InstallationRow>`select * from daicho.plugin_installation where workspace_id = ${workspaceId} order by plugin_id`.execute(db)
    : await sql<InstallationRow>`select * from daicho.plugin_installation order by workspace_id, plugin_id`.execute(db);
  return rows.map(toInstallation);
}

/** Writes the whole row (insert or replace). */
export async function saveInstallation(db: Db, installation: Installation): Promise<void> {
  const pending = installation.pending;
  await sql`insert into daicho.plugin_installation (workspace_id, plugin_id, version, state, manifest, package, digest, granted_permissions,
      pending_manifest, pending_package, pending_digest, installed_by, installed_at, updated_at, uninstalled_at, disabled_reason, consecutive_failures, limit_failures)
    values (${installation.workspaceId}, ${installation.pluginId}, ${installation.version}, ${installation.state}, ${JSON.stringify(installation.manifest)}::jsonb,
      ${installation.packageBytes}, ${installation.digest}, ${JSON.stringify(installation.grantedPermissions)}::jsonb,
      ${pending ? JSON.stringify(pending.manifest) : null}::jsonb, ${pending?.packageBytes ?? null}, ${pending?.digest ?? null},
      ${installation.installedBy}, ${installation.installedAt}, now(), ${installation.uninstalledAt}, ${installation.disabledReason}, ${installation.consecutiveFailures}, ${installation.limitFailures})
    on conflict (workspace_id, plugin_id) do update set version = excluded.version, state = excluded.state, manifest = excluded.manifest, package = excluded.package,
      digest = excluded.digest, granted_permissions = excluded.granted_permissions, pending_manifest = excluded.pending_manifest, pending_package = excluded.pending_package,
      pending_digest = excluded.pending_digest, installed_by = excluded.installed_by, installed_at = excluded.installed_at, updated_at = now(),
      uninstalled_at = excluded.uninstalled_at, disabled_reason = excluded.disabled_reason, consecutive_failures = excluded.consecutive_failures, limit_failures = excluded.limit_failures`.execute(db);
}

export async function deleteInstallation(db: Db, workspaceId: string, pluginId: string): Promise<void> {
  await sql`delete from daicho.plugin_installation where workspace_id = ${workspaceId} and plugin_id = ${pluginId}`.execute(db);
  await sql`delete from daicho.plugin_setting where workspace_id = ${workspaceId} and plugin_id = ${pluginId}`.execute(db);
  await sql`delete from daicho.plugin_kv where workspace_id = ${workspaceId} and plugin_id = ${pluginId}`.execute(db);
}

/** Counts one failed invocation (or clears the count on success); returns the counts after. */
export async function recordOutcome(db: Db, workspaceId: string, pluginId: string, outcome: 'ok' | 'failed' | 'limit'): Promise<{ consecutive: number; limits: number }> {
  const { rows } = await sql<{ consecutive_failures: number; limit_failures: number }>`update daicho.plugin_installation set
      consecutive_failures = case when ${outcome} = 'ok' then 0 else consecutive_failures + 1 end,
      limit_failures = case when ${outcome} = 'limit' then limit_failures + 1 when ${outcome} = 'ok' then 0 else limit_failures end
    where workspace_id = ${workspaceId} and plugin_id = ${pluginId} returning consecutive_failures, limit_failures`.execute(db);
  return { consecutive: rows[0]?.consecutive_failures ?? 0, limits: rows[0]?.limit_failures ?? 0 };
}
