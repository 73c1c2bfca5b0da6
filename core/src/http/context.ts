import type { Context, Next } from 'koa';
import type Router from '@koa/router';
import type { Logger } from '../log/index.ts';

/** What the kernel adds to every request's state. */
export interface RequestState {
  requestId: string;
  logger: Logger;
  /** Default limit for request bodies, in bytes. */
  bodyLimitBytes: number;
  /** The client's address, trusted proxies taken into account (read it with clientAddressOf). */
  clientAddress: string;
  /** Whether the request came over TLS, directly or through a trusted proxy. */
  secure: boolean;
}

export type HttpContext = Context & { state: RequestState };
export type HttpNext = Next;
export type HttpMiddleware = (ctx: HttpContext, next: HttpNext) => Promise<void>;
export type HttpRouter = Router<RequestState>;
