/**
 * Whether a failure means the database could not be reached or went away (refused, reset, timed
 * out, shut down, too many connections), as opposed to a failing statement. Such failures are
 * answered with 503 and Retry-After: a client may retry, and nothing was half-written, because
 * each write is one transaction that either committed or did not.
 *
 * Walks the `cause` chain: MikroORM and Kysely wrap the driver's error.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; current = current.cause, depth++) {
    const { code, name, message } = current as Error & { code?: unknown };
    if (typeof code === 'string' && (networkErrorCodes.has(code) || unavailableStates.has(code) || code.startsWith('08'))) return true;
    if (name === 'ConnectionException') return true;
    if (unavailableMessages.some((pattern) => pattern.test(message))) return true;
  }
  return false;
}

const networkErrorCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

// SQLSTATE: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections,
// query_canceled (the statement timeout, a backstop against runaway queries).
const unavailableStates = new Set(['57P01', '57P02', '57P03', '53300', '57014']);

// node-postgres reports these without a code.
const unavailableMessages = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Query read timeout/,
  /Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
];
