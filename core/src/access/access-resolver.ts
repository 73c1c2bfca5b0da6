import type { Kysely } from 'kysely';
import { DaichoError } from '../errors/index.ts';
import type { Logger } from '../log/index.ts';
import type { MetadataCache, WorkspaceMetadata } from '../metadata/index.ts';
import { AccessPolicy, type AccessSubject } from './access-policy.ts';
import { loadDirectory, type Directory } from './directory.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Policies per subject, computed once per workspace metadata snapshot. */
export interface AccessResolver {
  /** The policy of a subject in its workspace, as of the latest metadata version this node knows. */
  policyFor(workspaceId: string, subject: Omit<AccessSubject, 'roleName'> & { roleName?: string | null }): Promise<AccessPolicy>;
  /** The workspace's users and teams at the current snapshot. */
  directory(workspaceId: string): Promise<Directory>;
}

export interface CreateAccessResolverOptions {
  db: () => Db;
  metadata: MetadataCache;
  logger?: Logger;
}

/**
 * Every change that affects access (a permission set, role or sharing rule, a user's role or
 * status, a team's members) bumps the workspace's metadata version, so the snapshot, and with it
 * every policy cached here, is replaced on all nodes: a change applies from the next request.
 */
export function createAccessResolver(options: CreateAccessResolverOptions): AccessResolver {
  const perSnapshot = new WeakMap<WorkspaceMetadata, { directory: Promise<Directory>; policies: Map<string, AccessPolicy> }>();
  const entryFor = (metadata: WorkspaceMetadata) => {
    let entry = perSnapshot.get(metadata);
    if (!entry) {
      const directory = loadDirectory(options.db(), metadata.workspaceId);
      entry = { directory, policies: new Map() };
      perSnapshot.set(metadata, entry);
      directory.catch(() => perSnapshot.delete(metadata));
    }
    return entry;
  };
  return {
    async policyFor(workspaceId, subject) {
      const metadata = await options.metadata.get(workspaceId);
      const entry = entryFor(metadata);
      let directory = await entry.directory;
      // A user created since the snapshot (creation needs no new metadata version): read the directory again.
      if (!directory.users.has(subject.userId)) {
        entry.directory = loadDirectory(options.db(), metadata.workspaceId);
        entry.policies.clear();
        directory = await entry.directory;
      }
      // The user's own role unless the request names one (an API token acts with its own role).
      const user = directory.users.get(subject.userId);
      // Disabled since the session was checked: nothing is allowed from the next request on.
      if (!user?.active) throw new DaichoError('UNAUTHENTICATED', 'The account is disabled or no longer exists');
      const roleName = subject.roleName === undefined ? (user?.roleName ?? null) : subject.roleName;
      const isAdmin = subject.isAdmin && (user?.isAdmin ?? false);
      const key = `${subject.userId}|${roleName ?? ''}|${isAdmin ? 'a' : ''}`;
      let policy = entry.policies.get(key);
      if (!policy) {
        policy = new AccessPolicy(metadata, directory, { userId: subject.userId, isAdmin, roleName }, options.logger);
        if (entry.policies.size > 10_000) entry.policies.clear();
        entry.policies.set(key, policy);
      }
      return policy;
    },
    async directory(workspaceId) {
      return entryFor(await options.metadata.get(workspaceId)).directory;
    },
  };
}
