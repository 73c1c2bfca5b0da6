// Logging: one pino logger per process, secrets redacted by path and in connection URLs.
export { createLogger, redactConnectionUrl, redactedPaths } from './logger.ts';
export type { CreateLoggerOptions, Logger } from './logger.ts';
