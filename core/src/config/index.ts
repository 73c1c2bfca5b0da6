// Configuration: the environment, read once at start into one typed, validated object.
export { configVariables, logLevels } from './config-spec.ts';
export type { Config, ConfigVariable, LogLevel } from './config-spec.ts';
export { ConfigError, loadConfig } from './load-config.ts';
export type { ConfigProblem } from './load-config.ts';
