import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { WorkspaceSchema } from '../workspaces/index.ts';

/** A person who signs in to a workspace. */
export const UserSchema = defineEntity({
  name: 'User',
  tableName: 'user',
  properties: {
    id: p.uuid().primary(),
    workspace: () => p.manyToOne(WorkspaceSchema).fieldName('workspace_id'),
    email: p.string().length(320),
    displayName: p.string().length(200),
    passwordHash: p.text().nullable().hidden().lazy(),
    locale: p.string().length(10).default('ja'),
    timeZone: p.string().length(64).default('Asia/Tokyo'),
    isAdmin: p.boolean().default(false),
    /** The user's role (a role definition's name); admins may have none. */
    roleName: p.string().length(200).nullable().fieldName('role_name'),
    status: p.enum(['active', 'disabled'] as const).default('active'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export type User = InferEntity<typeof UserSchema>;
