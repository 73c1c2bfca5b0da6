import type { Capability } from '@daicho/sdk';
import type { AccessPolicy } from '../access/index.ts';
import { errors } from '../errors/index.ts';
import type { HttpContext, HttpMiddleware } from '../http/index.ts';
import type { RecordsActor } from '../records/index.ts';
import type { ApiDeps } from './api-deps.ts';
import { principalOf } from './principal.ts';

const policies = new WeakMap<HttpContext, AccessPolicy>();

/**
 * The access policy of the request's principal, as of the workspace's current metadata version:
 * a change to permissions, roles, teams or the user applies from the next request.
 */
export async function policyOf(ctx: HttpContext, deps: ApiDeps): Promise<AccessPolicy> {
  let policy = policies.get(ctx);
  if (!policy) {
    const principal = principalOf(ctx);
    const roleName = (principal as { roleName?: string | null }).roleName;
    policy = await deps.access.policyFor(principal.workspaceId, { userId: principal.userId, isAdmin: principal.isAdmin, ...(roleName === undefined ? {} : { roleName }) });
    policies.set(ctx, policy);
  }
  return policy;
}

/** The records actor of the request: who, in which time zone, with which access. */
export async function recordsActorOf(ctx: HttpContext, deps: ApiDeps): Promise<RecordsActor> {
  const principal = principalOf(ctx);
  return { workspaceId: principal.workspaceId, userId: principal.userId, timeZone: principal.timeZone, access: await policyOf(ctx, deps) };
}

/** Requires an admin capability (designing objects, managing users or permissions, …). */
export function requireCapability(deps: ApiDeps, capability: Capability): HttpMiddleware {
  return async (ctx, next) => {
    if (!(await policyOf(ctx, deps)).has(capability)) throw errors.permissionDenied(`This needs the ${capability} permission`, { capability });
    await next();
  };
}
