import type { EntityManager } from '@mikro-orm/postgresql';
import { generateUuidV7 } from '../db/index.ts';
import { errors } from '../errors/index.ts';
import { WorkspaceSchema, type Workspace } from './workspace.entity.ts';

export interface CreateWorkspaceOptions {
  slug: string;
  name: string;
  defaultLocale?: 'ja' | 'en';
  timeZone?: string;
}

const SLUG_PATTERN = /^[a-z][a-z0-9-]{1,62}$/;

/** Creates a workspace; its slug is the immutable name used in URLs and schemas. */
export async function createWorkspace(em: EntityManager, options: CreateWorkspaceOptions): Promise<Workspace> {
  if (!SLUG_PATTERN.test(options.slug)) {
    throw errors.validationFailed([
      { path: '/slug', code: 'pattern', message: 'A workspace slug is 2–63 lower-case letters, digits or hyphens, starting with a letter' },
    ]);
  }
  if (await em.findOne(WorkspaceSchema, { slug: options.slug })) {
    throw errors.conflict(`A workspace with slug "${options.slug}" already exists`, { slug: options.slug });
  }
  const workspace = em.create(WorkspaceSchema, {
    id: generateUuidV7(),
    slug: options.slug,
    name: options.name,
    defaultLocale: options.defaultLocale ?? 'ja',
    timeZone: options.timeZone ?? 'Asia/Tokyo',
  });
  await em.flush();
  return workspace;
}

/** Counts workspaces: zero means this install has never been set up. */
export async function countWorkspaces(em: EntityManager): Promise<number> {
  return em.count(WorkspaceSchema, {});
}

export async function findWorkspaceBySlug(em: EntityManager, slug: string): Promise<Workspace | null> {
  return em.findOne(WorkspaceSchema, { slug });
}
