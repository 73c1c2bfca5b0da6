import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccessResolver } from '../access/index.ts';
import type { AuthSettings, SessionAuthenticator, WorkspaceAllowLists } from '../auth/index.ts';
import type { Logger } from '../log/index.ts';
import type { MetadataActor, MetadataCache, ObjectChangeResult } from '../metadata/index.ts';
import type { RecordHookRegistry } from '../records/index.ts';

/** The IP allow-list of a role (CIDR ranges or addresses); undefined or empty: no restriction. */
export type RoleIpAllowList = (workspaceId: string, roleName: string) => Promise<string[] | undefined>;

/** Whether a role requires a TOTP second factor of its users. */
export type RoleRequiresTotp = (workspaceId: string, roleName: string) => Promise<boolean>;

/** What the API routers need: the same services the domains take, plus settings. */
export interface ApiDeps {
  em: () => EntityManager;
  metadata: MetadataCache;
  sessions: SessionAuthenticator;
  /** Each principal's permissions, per workspace metadata version. */
  access: AccessResolver;
  logger: Logger;
  /** Deleted fields keep their columns this many days before a purge drops them. */
  fieldRetentionDays: number;
  /** Largest bulk-import body, in bytes. */
  importLimitBytes: number;
  /** Runs after each committed definition change (see MetadataDeps.afterObjectChange). */
  afterObjectChange?: (actor: MetadataActor, result: ObjectChangeResult) => Promise<void>;
  /** Code that runs around record writes (plugins' record hooks). */
  recordHooks?: RecordHookRegistry;
  /** Passwords, throttling, session lifetimes, the secret key. */
  auth: AuthSettings;
  /** Per-workspace IP allow-lists, cached per node. */
  workspaceAllowLists: WorkspaceAllowLists;
  /** `auto`: Secure `__Host-` session cookies over TLS only; `always`: on every request (DAICHO_COOKIE_SECURE). */
  cookieSecure: 'auto' | 'always';
  /** The role's IP allow-list, checked on every request and at sign-in (wired by the access module). */
  roleIpAllowList?: RoleIpAllowList;
  /** Whether the role requires a TOTP second factor (wired by the access module). */
  roleRequiresTotp?: RoleRequiresTotp;
}
