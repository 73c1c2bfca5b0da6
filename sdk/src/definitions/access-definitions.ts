import type { Filter } from './filter.ts';
import type { Labels } from './object-definition.ts';

/**
 * Access definitions: permission sets, roles and sharing rules, validated by
 * `permission-set.schema.json`, `role.schema.json` and `sharing-rule.schema.json`. The admin guide
 * page `docs/admin-guide/users-and-roles.md` explains how they combine.
 */

/** Admin capabilities, each a separate permission. */
export const capabilities = ['designObjects', 'manageUsers', 'managePermissions', 'installPlugins', 'viewAudit', 'viewAllData', 'modifyAllData'] as const;
export type Capability = (typeof capabilities)[number];

/** What may be done with one object's records. */
export const objectActions = ['create', 'read', 'update', 'delete', 'export'] as const;
export type ObjectAction = (typeof objectActions)[number];

/** none: absent everywhere; read: returned but not writable; edit: returned and writable. */
export type FieldAccess = 'none' | 'read' | 'edit';

export interface ObjectPermissions {
  create?: boolean;
  read?: boolean;
  update?: boolean;
  delete?: boolean;
  export?: boolean;
  /** Every record of the object, regardless of sharing. */
  viewAll?: boolean;
  modifyAll?: boolean;
  /** Fields not listed follow the object: edit with update, read with read only. */
  fields?: Record<string, FieldAccess>;
}

export interface PermissionSetDefinition {
  name: string;
  labels: Labels;
  description?: Labels;
  objects?: Record<string, ObjectPermissions>;
  capabilities?: Capability[];
}

export interface RoleDefinition {
  name: string;
  labels: Labels;
  description?: Labels;
  /** The role above this one in the hierarchy. */
  reportsTo?: string;
  permissionSets: string[];
  /** CIDR ranges; empty or absent means no restriction beyond the workspace's. */
  ipAllowList?: string[];
  requireTotp?: boolean;
}

export type SharingTarget = { team: string } | { role: string; includeSubordinates?: boolean };

export interface SharingRuleDefinition {
  name: string;
  labels: Labels;
  description?: Labels;
  object: string;
  filter: Filter;
  shareWith: SharingTarget;
  access: 'read' | 'readWrite';
}
