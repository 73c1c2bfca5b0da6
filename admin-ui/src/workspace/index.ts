// The end users' workspace: the shell with navigation generated from the objects the user may
// read, and the generated screens (list and record pages, loaded on demand).
export { HomePage } from './home-page.tsx';
export { WorkspaceShell } from './workspace-shell.tsx';
export { formValidator } from './record/form-validator.ts';
export { labelOf } from './labels.ts';
export { useWorkspaceMeta } from './use-workspace-meta.ts';
