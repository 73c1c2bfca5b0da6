// The composition root: wires config, database, domains and the HTTP API into a running platform.
export { bootDaicho } from './boot.ts';
export type { BootedDaicho, BootOptions } from './boot.ts';
export { DEMO_ADMIN_EMAIL, DEMO_WORKSPACE_SLUG, seedFirstStart } from './first-start.ts';
export type { FirstStartResult } from './first-start.ts';
export { ListenError, serveDaicho } from './serve.ts';
export type { RunningDaicho } from './serve.ts';
export { runBackupCommand, runRestoreCommand } from './backup-commands.ts';
