import type { ErrorBody } from '@daicho/sdk';
import { DaichoError, errors, isDatabaseUnavailable } from '../errors/index.ts';
import type { HttpMiddleware } from './context.ts';

/**
 * The one place that turns a failure into a response: `{ "error": { code, message, details } }`.
 * A {@link DaichoError} keeps its code; a database that is down or unreachable is
 * `SERVICE_UNAVAILABLE` with Retry-After; anything else is `INTERNAL_ERROR`, whose cause goes to
 * the log and never to the client.
 */
const DATABASE_RETRY_AFTER_SECONDS = 2;

export function errorHandler(): HttpMiddleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (thrown) {
      const caught = !(thrown instanceof DaichoError) && isDatabaseUnavailable(thrown) ? errors.serviceUnavailable('The database', DATABASE_RETRY_AFTER_SECONDS, thrown) : thrown;
      const error = caught instanceof DaichoError ? caught : undefined;
      const body: ErrorBody = error
        ? { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }), requestId: ctx.state.requestId } }
        : { error: { code: 'INTERNAL_ERROR', message: 'An unexpected error occurred', requestId: ctx.state.requestId } };
      if (error && error.status < 500) {
        // The code only: messages of client errors echo input (paths, ids, values), which can be personal data.
        ctx.state.logger?.info({ code: error.code, status: error.status }, 'client error');
      } else {
        ctx.state.logger?.error({ err: caught }, 'request failed');
      }
      ctx.status = error?.status ?? 500;
      if (error) ctx.set(error.headers);
      ctx.body = body;
    }
  };
}
