import { capabilities as allCapabilities, type Capability, type FieldAccess, type ObjectAction, type ObjectPermissions, type SharingRuleDefinition } from '@daicho/sdk';
import type { Logger } from '../log/index.ts';
import type { WorkspaceMetadata } from '../metadata/index.ts';
import { validateFilter, type ValidFilter } from '../query/index.ts';
import type { RecordAccess, RecordScope } from '../records/index.ts';
import type { Directory } from './directory.ts';
import { subordinateRoles, superiorRoles } from './role-tree.ts';

/** On whose behalf access is decided: a user, acting with a role (their own, or an API token's). */
export interface AccessSubject {
  userId: string;
  /** Admins have every permission and see every record. */
  isAdmin: boolean;
  /** The role the request acts with; null grants nothing (besides admin). */
  roleName: string | null;
}

interface CombinedObject {
  actions: Set<ObjectAction>;
  viewAll: boolean;
  modifyAll: boolean;
  fields: Map<string, FieldAccess>;
}

const rank: Record<FieldAccess, number> = { none: 0, read: 1, edit: 2 };

/** The access of a field within one permission set that grants its object. */
function fieldAccessIn(permissions: ObjectPermissions, fieldName: string): FieldAccess {
  const explicit = permissions.fields?.[fieldName];
  if (explicit) return explicit;
  return permissions.update ? 'edit' : permissions.read ? 'read' : 'none';
}

/**
 * What one subject may do in one workspace, at one metadata version: the union of its role's
 * permission sets, its place in the role hierarchy, and the sharing rules that reach it. Built
 * once per subject and snapshot, then asked on every request without touching the database.
 */
export class AccessPolicy implements RecordAccess {
  readonly subject: AccessSubject;
  readonly capabilities: ReadonlySet<Capability>;
  private readonly objects = new Map<string, CombinedObject>();
  private readonly scopes = new Map<string, RecordScope | undefined>();
  private readonly metadata: WorkspaceMetadata;
  private readonly directory: Directory;
  private readonly logger: Logger | undefined;
  private ownerIds: string[] | undefined;

  constructor(metadata: WorkspaceMetadata, directory: Directory, subject: AccessSubject, logger?: Logger) {
    this.metadata = metadata;
    this.directory = directory;
    this.subject = subject;
    this.logger = logger;
    const capabilities = new Set<Capability>();
    const role = subject.roleName ? metadata.roles.get(subject.roleName) : undefined;
    for (const setName of role?.body.permissionSets ?? []) {
      const set = metadata.permissionSets.get(setName)?.body;
      if (!set) continue;
      for (const capability of set.capabilities ?? []) capabilities.add(capability);
      for (const [objectName, permissions] of Object.entries(set.objects ?? {})) this.combine(objectName, permissions);
    }
    this.capabilities = capabilities;
  }

  private combine(objectName: string, permissions: ObjectPermissions): void {
    let combined = this.objects.get(objectName);
    if (!combined) this.objects.set(objectName, (combined = { actions: new Set(), viewAll: false, modifyAll: false, fields: new Map() }));
    for (const action of ['create', 'read', 'update', 'delete', 'export'] as const) if (permissions[action]) combined.actions.add(action);
    combined.viewAll ||= Boolean(permissions.viewAll || permissions.modifyAll);
    combined.modifyAll ||= Boolean(permissions.modifyAll);
    const object = this.metadata.objects.get(objectName)?.body;
    for (const field of object?.fields ?? []) {
      const access = fieldAccessIn(permissions, field.name);
      const current = combined.fields.get(field.name) ?? 'none';
      if (rank[access] > rank[current]) combined.fields.set(field.name, access);
    }
  }

  /**
   * Whether this policy holds every permission of `other`: a role may be given, or a token
   * scoped to it, only by someone who holds at least as much (test plan row 52).
   */
  covers(other: AccessPolicy): boolean {
    if (this.subject.isAdmin) return true;
    if (other.subject.isAdmin) return false;
    for (const capability of other.capabilities) if (!this.capabilities.has(capability)) return false;
    for (const [objectName, theirs] of other.objects) {
      for (const action of theirs.actions) if (!this.allows(objectName, action)) return false;
      const mine = this.objects.get(objectName);
      if ((theirs.viewAll && !mine?.viewAll && !this.capabilities.has('viewAllData')) || (theirs.modifyAll && !mine?.modifyAll && !this.capabilities.has('modifyAllData'))) return false;
      for (const [fieldName, access] of theirs.fields) if (rank[access] > rank[this.fieldAccess(objectName, fieldName)]) return false;
      for (const mode of ['read', 'write'] as const) if (this.recordScope(objectName, mode) !== undefined && other.recordScope(objectName, mode) === undefined) return false;
    }
    return true;
  }

  /** A summary for clients (the browser app hides what the user cannot do). */
  describe(): { isAdmin: boolean; roleName: string | null; capabilities: Capability[]; objects: Record<string, { actions: ObjectAction[]; fields: Record<string, FieldAccess>; records: { read: 'all' | 'shared'; write: 'all' | 'shared' } }> } {
    const objects: ReturnType<AccessPolicy['describe']>['objects'] = {};
    for (const [objectName, stored] of this.metadata.objects) {
      if (!this.allows(objectName, 'read')) continue;
      objects[objectName] = {
        actions: (['create', 'read', 'update', 'delete', 'export'] as const).filter((action) => this.allows(objectName, action)),
        // Computed and read-only fields are never edited by anyone: at most read.
        fields: Object.fromEntries(stored.body.fields.map((field) => {
          const access = this.fieldAccess(objectName, field.name);
          const neverEdited = field.readOnly || field.type === 'formula' || field.type === 'rollup' || field.type === 'autoNumber';
          return [field.name, access === 'edit' && neverEdited ? 'read' : access];
        })),
        records: { read: this.recordScope(objectName, 'read') ? 'shared' : 'all', write: this.recordScope(objectName, 'write') ? 'shared' : 'all' },
      };
    }
    const capabilities = this.subject.isAdmin ? [...allCapabilities] : [...this.capabilities];
    return { isAdmin: this.subject.isAdmin, roleName: this.subject.roleName, capabilities, objects };
  }

  has(capability: Capability): boolean {
    return this.subject.isAdmin || this.capabilities.has(capability);
  }

  allows(objectName: string, action: ObjectAction): boolean {
    if (this.subject.isAdmin) return true;
    // Colleagues' names are readable by everyone signed in; users are managed through their own API.
    if (objectName === 'user') return action === 'read';
    const combined = this.objects.get(objectName);
    // Every other action needs read too: what one may not see, one may not change.
    if (!combined || (action !== 'read' && !combined.actions.has('read'))) return false;
    return combined.actions.has(action);
  }

  fieldAccess(objectName: string, fieldName: string): FieldAccess {
    if (this.subject.isAdmin) return 'edit';
    if (objectName === 'user') return 'read';
    if (!this.allows(objectName, 'read')) return 'none';
    const access = this.objects.get(objectName)?.fields.get(fieldName) ?? 'none';
    if (access === 'edit' && !this.allows(objectName, 'update') && !this.allows(objectName, 'create')) return 'read';
    return access;
  }

  recordScope(objectName: string, mode: 'read' | 'write'): RecordScope | undefined {
    if (this.subject.isAdmin || objectName === 'user') return undefined;
    const key = `${mode}|${objectName}`;
    if (this.scopes.has(key)) return this.scopes.get(key);
    const scope = this.computeScope(objectName, mode);
    this.scopes.set(key, scope);
    return scope;
  }

  private computeScope(objectName: string, mode: 'read' | 'write'): RecordScope | undefined {
    const combined = this.objects.get(objectName);
    const sharing = this.metadata.objects.get(objectName)?.body.sharing ?? 'private';
    if (combined?.modifyAll || this.capabilities.has('modifyAllData')) return undefined;
    if (mode === 'read' && (combined?.viewAll || this.capabilities.has('viewAllData') || sharing !== 'private')) return undefined;
    if (mode === 'write' && sharing === 'readWrite') return undefined;
    const filters: ValidFilter[] = [];
    for (const rule of this.metadata.sharingRules.values()) {
      if (rule.body.object !== objectName || (mode === 'write' && rule.body.access !== 'readWrite') || !this.reaches(rule.body)) continue;
      const queryObject = this.metadata.catalog.object(objectName);
      try {
        if (queryObject) filters.push(validateFilter(rule.body.filter, queryObject, this.metadata.catalog));
      } catch (error) {
        // A rule whose filter no longer fits the object (a field was deleted) opens nothing: access fails closed.
        this.logger?.warn({ err: error, rule: rule.name }, 'sharing rule skipped: its filter is no longer valid');
      }
    }
    return { ownerIds: this.visibleOwners(), filters };
  }

  /** Whether a sharing rule's target includes the subject. */
  private reaches(rule: SharingRuleDefinition): boolean {
    const target = rule.shareWith;
    if ('team' in target) return this.directory.teamsOf.get(this.subject.userId)?.has(target.team) ?? false;
    const roleName = this.subject.roleName;
    if (!roleName) return false;
    return roleName === target.role || (Boolean(target.includeSubordinates) && superiorRoles(this.metadata.roles, roleName).includes(target.role));
  }

  /** The subject and the users of every role below theirs: whose records a manager sees. */
  private visibleOwners(): string[] {
    if (this.ownerIds) return this.ownerIds;
    const below = this.subject.roleName ? subordinateRoles(this.metadata.roles, this.subject.roleName) : new Set<string>();
    const ids = [this.subject.userId];
    if (below.size > 0) for (const [id, user] of this.directory.users) if (user.roleName && below.has(user.roleName) && id !== this.subject.userId) ids.push(id);
    this.ownerIds = ids;
    return ids;
  }
}
