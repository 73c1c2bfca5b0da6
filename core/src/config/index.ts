// Configuration: the environment, read once at start into one typed, validated object, and the
// value types it reads (IP ranges, secret keys).
export { configVariables, logLevels, nodeRoles, parseSecretKey, SecretKey } from './config-spec.ts';
export type { Config, ConfigVariable, LogLevel, NodeRole } from './config-spec.ts';
export { canonicalIpAddress, formatIpAddress, ipInRange, ipInRanges, parseIpAddress, parseIpRange, parseIpRangeList } from './ip-ranges.ts';
export type { IpRange } from './ip-ranges.ts';
export { ConfigError, loadConfig } from './load-config.ts';
export type { ConfigProblem } from './load-config.ts';
