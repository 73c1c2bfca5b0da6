import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A tenant: one business with its own objects, records and users. */
export const WorkspaceSchema = defineEntity({
  name: 'Workspace',
  tableName: 'workspace',
  properties: {
    id: p.uuid().primary(),
    slug: p.string().length(63).unique(),
    name: p.string().length(200),
    defaultLocale: p.string().length(10).default('ja'),
    timeZone: p.string().length(64).default('Asia/Tokyo'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export type Workspace = InferEntity<typeof WorkspaceSchema>;
