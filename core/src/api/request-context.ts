import type { MetadataActor } from '../metadata/index.ts';
import type { HttpContext } from '../http/index.ts';
import { clientAddressOf } from '../http/index.ts';
import { principalOf } from './principal.ts';

/** Where a request came from, for the audit trail: the client's address and the request id. */
export function requestContextOf(ctx: HttpContext): { clientAddress?: string; requestId?: string } {
  const context: { clientAddress?: string; requestId?: string } = {};
  const address = clientAddressOf(ctx);
  if (address) context.clientAddress = address.slice(0, 64);
  if (ctx.state.requestId) context.requestId = ctx.state.requestId;
  return context;
}

/** The metadata actor of an authenticated request, with its request context. */
export function metadataActorOf(ctx: HttpContext): MetadataActor {
  const principal = principalOf(ctx);
  return { workspaceId: principal.workspaceId, userId: principal.userId, ...requestContextOf(ctx) };
}

/** Access log fields: the user a request acted for, when it was authenticated. Never throws. */
export function accessLogFields(ctx: HttpContext): Record<string, unknown> {
  try {
    return { userId: principalOf(ctx).userId };
  } catch {
    return { userId: null };
  }
}
