// @daicho/core: the server runtime. Entry points for embedding Daichō in a process of your own.
export { ConfigError, configVariables, loadConfig } from './config/index.ts';
export type { Config, ConfigVariable } from './config/index.ts';
export { DaichoError, errors } from './errors/index.ts';
export { createLogger } from './log/index.ts';
export { bootDaicho, ListenError, serveDaicho } from './runtime/index.ts';
export type { BootedDaicho, FirstStartResult, RunningDaicho } from './runtime/index.ts';
