// Workspaces: the tenants of an install. Owns the workspace entity.
export { WorkspaceSchema } from './workspace.entity.ts';
export type { Workspace } from './workspace.entity.ts';
export { countWorkspaces, createWorkspace, findWorkspaceBySlug } from './workspaces.service.ts';
export type { CreateWorkspaceOptions } from './workspaces.service.ts';
