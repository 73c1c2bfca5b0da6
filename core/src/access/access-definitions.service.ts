import { isIP } from 'node:net';
import type { PermissionSetDefinition, RoleDefinition, SharingRuleDefinition } from '@daicho/sdk';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Kysely } from 'kysely';
import { appendAuditEvent } from '../audit/index.ts';
import { DaichoError, errors, type InputProblem } from '../errors/index.ts';
import {
  deleteDefinitionVersion, saveDefinitionVersion, validateDefinitionDocument,
  type DefinitionBodies, type MetadataCache, type StoredDefinition, type WorkspaceMetadata,
} from '../metadata/index.ts';
import { validateFilter } from '../query/index.ts';
import { subordinateRoles } from './role-tree.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The kinds of access definitions, each with its meta-schema in `@daicho/sdk`. */
export type AccessKind = 'permissionSet' | 'role' | 'sharingRule';

export interface AccessDeps {
  em: () => EntityManager;
  metadata: MetadataCache;
}

export interface AccessActor {
  workspaceId: string;
  userId: string;
  /** For the audit trail. */
  clientAddress?: string;
  requestId?: string;
}

/** Writes a permission change to the audit trail, in the transaction that makes it. */
export async function auditPermissionChange(db: Db, actor: AccessActor, details: Record<string, unknown>): Promise<void> {
  await appendAuditEvent(db, { workspaceId: actor.workspaceId, actorId: actor.userId, clientAddress: actor.clientAddress ?? null, requestId: actor.requestId ?? null }, { kind: 'permission.change', details });
}

const what: Record<AccessKind, string> = { permissionSet: 'Permission set', role: 'Role', sharingRule: 'Sharing rule' };

/** Checks what the meta-schema cannot: that names refer to things that exist, and the hierarchy has no cycle. */
function checkReferences(kind: AccessKind, body: unknown, metadata: WorkspaceMetadata, teams: ReadonlySet<string>): InputProblem[] {
  const problems: InputProblem[] = [];
  if (kind === 'permissionSet') {
    const set = body as PermissionSetDefinition;
    for (const [objectName, permissions] of Object.entries(set.objects ?? {})) {
      const object = metadata.objects.get(objectName)?.body;
      if (!object) {
        problems.push({ path: `/objects/${objectName}`, code: 'unknownObject', message: `there is no object "${objectName}"` });
        continue;
      }
      for (const fieldName of Object.keys(permissions.fields ?? {})) {
        if (!object.fields.some((field) => field.name === fieldName)) problems.push({ path: `/objects/${objectName}/fields/${fieldName}`, code: 'unknownField', message: `${objectName} has no field "${fieldName}"` });
      }
    }
  } else if (kind === 'role') {
    const role = body as RoleDefinition;
    role.permissionSets.forEach((name, index) => {
      if (!metadata.permissionSets.has(name)) problems.push({ path: `/permissionSets/${index}`, code: 'unknownPermissionSet', message: `there is no permission set "${name}"` });
    });
    if (role.reportsTo !== undefined) {
      if (role.reportsTo === role.name) problems.push({ path: '/reportsTo', code: 'cycle', message: 'a role cannot report to itself' });
      else if (!metadata.roles.has(role.reportsTo)) problems.push({ path: '/reportsTo', code: 'unknownRole', message: `there is no role "${role.reportsTo}"` });
      else if (subordinateRoles(metadata.roles, role.name).has(role.reportsTo)) problems.push({ path: '/reportsTo', code: 'cycle', message: `${role.reportsTo} is below ${role.name} already; the hierarchy cannot loop` });
    }
    (role.ipAllowList ?? []).forEach((entry, index) => {
      if (!isCidr(entry)) problems.push({ path: `/ipAllowList/${index}`, code: 'cidr', message: 'must be an IPv4 or IPv6 address or CIDR range (203.0.113.0/24, 2001:db8::/32)' });
    });
  } else {
    const rule = body as SharingRuleDefinition;
    const object = metadata.catalog.object(rule.object);
    if (!object || !metadata.objects.has(rule.object)) problems.push({ path: '/object', code: 'unknownObject', message: `there is no object "${rule.object}"` });
    else {
      try {
        validateFilter(rule.filter, object, metadata.catalog);
      } catch (error) {
        if (!(error instanceof DaichoError)) throw error;
        const inner = (error.details as { problems?: InputProblem[] } | undefined)?.problems ?? [{ path: '', code: 'filter', message: error.message }];
        problems.push(...inner.map((problem) => ({ ...problem, path: `/filter${problem.path}` })));
      }
    }
    if ('team' in rule.shareWith && !teams.has(rule.shareWith.team)) problems.push({ path: '/shareWith/team', code: 'unknownTeam', message: `there is no team "${rule.shareWith.team}"` });
    if ('role' in rule.shareWith && !metadata.roles.has(rule.shareWith.role)) problems.push({ path: '/shareWith/role', code: 'unknownRole', message: `there is no role "${rule.shareWith.role}"` });
  }
  return problems;
}

/** An address or CIDR range, IPv4 or IPv6. */
export function isCidr(entry: string): boolean {
  const [address, prefix, extra] = entry.split('/');
  if (extra !== undefined || !address) return false;
  const version = isIP(address);
  if (version === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (version === 4 ? 32 : 128);
}

async function teamNames(db: Db, workspaceId: string): Promise<Set<string>> {
  const rows = await db.withSchema('daicho').selectFrom('team').select('name').where('workspace_id', '=', workspaceId).execute();
  return new Set(rows.map((row) => row.name as string));
}

/**
 * Creates or replaces an access definition (PUT semantics): validated against its meta-schema
 * and its references, stored as a new version with its diff. Every node applies it from the
 * next request. `expectedVersion`, when given, must match the stored version (409 otherwise).
 */
export async function saveAccessDefinition<K extends AccessKind>(deps: AccessDeps, actor: AccessActor, kind: K, input: unknown, options: { expectedVersion?: number } = {}): Promise<StoredDefinition<DefinitionBodies[K]>> {
  const problems = validateDefinitionDocument(kind, input);
  if (problems.length > 0) throw errors.invalidDefinition(problems);
  const body = input as DefinitionBodies[K];
  const saved = await deps.em().transactional(async (trx) => {
    const db = trx.getKysely() as Db;
    // The metadata read inside the transaction: references are checked against what is committed.
    const metadata = await deps.metadata.get(actor.workspaceId);
    const referenceProblems = checkReferences(kind, body, metadata, await teamNames(db, actor.workspaceId));
    if (referenceProblems.length > 0) throw errors.invalidDefinition(referenceProblems);
    const { row, change, diff } = await saveDefinitionVersion(db, kind, what[kind], actor, body, options);
    await auditPermissionChange(db, actor, { definition: kind, name: body.name, version: row.version, change, diff });
    return row;
  });
  deps.metadata.invalidate(actor.workspaceId);
  return saved;
}

/** Why an access definition cannot go: what still refers to it. */
async function referencesTo(db: Db, metadata: WorkspaceMetadata, workspaceId: string, kind: AccessKind, name: string): Promise<string[]> {
  if (kind === 'permissionSet') return [...metadata.roles.values()].filter((role) => role.body.permissionSets.includes(name)).map((role) => `role ${role.name}`);
  if (kind === 'role') {
    const users = await db.withSchema('daicho').selectFrom('user').select('email').where('workspace_id', '=', workspaceId).where('role_name', '=', name).limit(5).execute();
    return [
      ...[...metadata.roles.values()].filter((role) => role.body.reportsTo === name).map((role) => `role ${role.name}`),
      ...[...metadata.sharingRules.values()].filter((rule) => 'role' in rule.body.shareWith && rule.body.shareWith.role === name).map((rule) => `sharing rule ${rule.name}`),
      ...users.map((user) => `user ${user.email as string}`),
    ];
  }
  return [];
}

/** Deletes an access definition (its history stays); refused while others refer to it. */
export async function deleteAccessDefinition(deps: AccessDeps, actor: AccessActor, kind: AccessKind, name: string): Promise<void> {
  await deps.em().transactional(async (trx) => {
    const db = trx.getKysely() as Db;
    const row = await deleteDefinitionVersion(db, kind, what[kind], actor, name, async () => {
      const metadata = await deps.metadata.get(actor.workspaceId);
      const references = await referencesTo(db, metadata, actor.workspaceId, kind, name);
      if (references.length > 0) throw errors.referenceConflict(`${what[kind]} "${name}" is still used by ${references.join(', ')}`, { usedBy: references });
    });
    await auditPermissionChange(db, actor, { definition: kind, name, version: row.version, change: 'deleted' });
  });
  deps.metadata.invalidate(actor.workspaceId);
}
