import type { EntityManager } from '@mikro-orm/postgresql';
import { generateUuidV7 } from '../db/index.ts';
import { errors } from '../errors/index.ts';
import type { Workspace } from '../workspaces/index.ts';
import { hashPassword } from './passwords.ts';
import { UserSchema, type User } from './user.entity.ts';

export interface CreateUserOptions {
  workspace: Workspace;
  email: string;
  displayName: string;
  password?: string;
  locale?: 'ja' | 'en';
  isAdmin?: boolean;
}

/** Creates a user in a workspace. E-mail addresses are compared lower-cased. */
export async function createUser(em: EntityManager, options: CreateUserOptions): Promise<User> {
  const email = options.email.trim().toLowerCase();
  if (await em.findOne(UserSchema, { workspace: options.workspace, email })) {
    throw errors.conflict(`A user with e-mail "${email}" already exists in this workspace`, { email });
  }
  const user = em.create(UserSchema, {
    id: generateUuidV7(),
    workspace: options.workspace,
    email,
    displayName: options.displayName,
    passwordHash: options.password === undefined ? null : await hashPassword(options.password),
    locale: options.locale ?? options.workspace.defaultLocale,
    timeZone: options.workspace.timeZone,
    isAdmin: options.isAdmin ?? false,
    status: 'active',
  });
  await em.flush();
  return user;
}
