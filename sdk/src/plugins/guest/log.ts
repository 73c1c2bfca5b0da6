/**
 * `ctx.log`: log lines kept with the invocation (capped), shown to the admin in the plugin's log.
 * Arguments are joined like `console.log`'s; never log secrets or personal data.
 *
 * @example
 * ctx.log.info('greeting created', record.id);
 */
export interface LogApi {
  debug(...values: unknown[]): void;
  info(...values: unknown[]): void;
  warn(...values: unknown[]): void;
  error(...values: unknown[]): void;
}
