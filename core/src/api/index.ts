// The HTTP API: one router per domain, mounted by the runtime. Translates HTTP to domain calls.
export { accessRoutes } from './access.routes.ts';
export type { ApiDeps, RoleIpAllowList, RoleRequiresTotp } from './api-deps.ts';
export { auditRoutes } from './audit.routes.ts';
export { automationRoutes } from './automation.routes.ts';
export type { AuditRoutesOptions } from './audit.routes.ts';
export { authRoutes } from './auth.routes.ts';
export { businessCalendarsRoutes } from './business-calendars.routes.ts';
export { healthRoutes } from './health.routes.ts';
export type { HealthRoutesOptions } from './health.routes.ts';
export { metaRoutes } from './meta.routes.ts';
export { recordsRoutes } from './records.routes.ts';
export { referenceRoutes } from './reference.routes.ts';
export { tokensRoutes } from './tokens.routes.ts';
export { totpRoutes } from './totp.routes.ts';
export { usersRoutes } from './users.routes.ts';
export { workspaceSecurityRoutes } from './workspace-security.routes.ts';
export { accessLogFields } from './request-context.ts';
