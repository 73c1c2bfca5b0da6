import type { Capability } from '@daicho/sdk';
import type { AccessActor, AccessPolicy } from '../access/index.ts';
import { errors } from '../errors/index.ts';
import type { HttpContext, HttpMiddleware } from '../http/index.ts';
import type { RecordsActor } from '../records/index.ts';
import type { ApiDeps } from './api-deps.ts';
import { principalOf } from './principal.ts';
import { requestContextOf } from './request-context.ts';

const policies = new WeakMap<HttpContext, AccessPolicy>();

/**
 * The access policy of the request's principal, as of the workspace's current metadata version:
 * a change to permissions, roles, teams or the user applies from the next request.
 */
export async function policyOf(ctx: HttpContext, deps: ApiDeps): Promise<AccessPolicy> {
  let policy = policies.get(ctx);
  if (!policy) {
    const principal = principalOf(ctx);
    // The principal's role: the user's own, or an API token's.
    policy = await deps.access.policyFor(principal.workspaceId, { userId: principal.userId, isAdmin: principal.isAdmin, roleName: principal.roleName });
    policies.set(ctx, policy);
  }
  return policy;
}

/** The records actor of the request: who, in which time zone, with which access. */
export async function recordsActorOf(ctx: HttpContext, deps: ApiDeps): Promise<RecordsActor> {
  const principal = principalOf(ctx);
  return { workspaceId: principal.workspaceId, userId: principal.userId, timeZone: principal.timeZone, access: await policyOf(ctx, deps), ...requestContextOf(ctx) };
}

/** Requires an admin capability (designing objects, managing users or permissions, …). */
export function requireCapability(deps: ApiDeps, capability: Capability): HttpMiddleware {
  return async (ctx, next) => {
    if (!(await policyOf(ctx, deps)).has(capability)) throw errors.permissionDenied(`This needs the ${capability} permission`, { capability });
    await next();
  };
}

/**
 * Refuses to hand out a role (to a user, or to a token) with any permission the caller lacks,
 * and admin rights to a caller who is not an admin (test plan row 52).
 */
export async function assertMayGrant(ctx: HttpContext, deps: ApiDeps, grant: { roleName?: string | null; isAdmin?: boolean }): Promise<void> {
  const principal = principalOf(ctx);
  if (grant.isAdmin && !principal.isAdmin) throw errors.permissionDenied('Only admins may make admins');
  if (grant.roleName === undefined || grant.roleName === null) return;
  const metadata = await deps.metadata.get(principal.workspaceId);
  if (!metadata.roles.has(grant.roleName)) throw errors.validationFailed([{ path: '/roleName', code: 'unknownRole', message: `there is no role "${grant.roleName}"` }]);
  const mine = await policyOf(ctx, deps);
  const theirs = await deps.access.policyFor(principal.workspaceId, { userId: principal.userId, isAdmin: false, roleName: grant.roleName });
  if (!mine.covers(theirs)) throw errors.permissionDenied(`Role "${grant.roleName}" has permissions you do not hold; ask someone who holds them`, { roleName: grant.roleName });
}

/** Who changes access definitions, teams or users' roles, from where (for the audit trail). */
export function accessActorOf(ctx: HttpContext): AccessActor {
  const principal = principalOf(ctx);
  return { workspaceId: principal.workspaceId, userId: principal.userId, ...requestContextOf(ctx) };
}
