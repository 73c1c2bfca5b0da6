import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/index.ts';

export type { Logger } from 'pino';

/**
 * Paths whose values never reach a log line. Secrets are also kept out of messages by
 * {@link redactConnectionUrl}; this list is the backstop for objects logged as they are.
 */
export const redactedPaths = [
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'apiKey',
  '*.apiKey',
  'secretKey',
  '*.secretKey',
  'csrfToken',
  '*.csrfToken',
  'currentPassword',
  '*.currentPassword',
  'newPassword',
  '*.newPassword',
  'req.headers["x-csrf-token"]',
  'authorization',
  'cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'databaseUrl',
  '*.databaseUrl',
  'connectionString',
  '*.connectionString',
];

export interface CreateLoggerOptions {
  level: LogLevel;
  /** Where lines go; standard output when absent. Tests pass a stream to read them. */
  destination?: DestinationStream;
}

/** Creates the process logger: JSON lines, secrets redacted. */
export function createLogger(options: CreateLoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'daicho' },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

/** A PostgreSQL URL with its password replaced, safe to print. */
export function redactConnectionUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '[unparseable URL]';
  }
}
