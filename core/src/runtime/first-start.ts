import type { EntityManager } from '@mikro-orm/postgresql';
import { createUser, generatePassword } from '../auth/index.ts';
import { countWorkspaces, createWorkspace } from '../workspaces/index.ts';

/** What a first start created, to show the person who started it. */
export interface FirstStartResult {
  workspaceSlug: string;
  adminEmail: string;
  /** Shown once, at first start; only its hash is stored. */
  adminPassword: string;
}

export const DEMO_WORKSPACE_SLUG = 'demo';
export const DEMO_ADMIN_EMAIL = 'admin@example.com';

/**
 * On an install with no workspace yet, creates the demo workspace and its first admin with a
 * random password. Runs in one transaction, so two nodes starting together create one workspace
 * (the slug is unique); returns undefined when the install was already set up.
 */
export async function seedFirstStart(em: EntityManager): Promise<FirstStartResult | undefined> {
  return em.transactional(async (trx) => {
    // Serialises concurrent first starts; released at commit.
    await trx.getConnection().execute('select pg_advisory_xact_lock(4600002)', [], 'all', trx.getTransactionContext());
    if ((await countWorkspaces(trx)) > 0) return undefined;
    const workspace = await createWorkspace(trx, { slug: DEMO_WORKSPACE_SLUG, name: 'Demo 台帳', defaultLocale: 'ja' });
    const adminPassword = generatePassword();
    await createUser(trx, {
      workspace,
      email: DEMO_ADMIN_EMAIL,
      displayName: 'Admin',
      password: adminPassword,
      isAdmin: true,
    });
    return { workspaceSlug: workspace.slug, adminEmail: DEMO_ADMIN_EMAIL, adminPassword };
  });
}
