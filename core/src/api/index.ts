// The HTTP API: one router per domain, mounted by the runtime. Translates HTTP to domain calls.
export type { ApiDeps } from './api-deps.ts';
export { auditRoutes } from './audit.routes.ts';
export type { AuditRoutesOptions } from './audit.routes.ts';
export { authRoutes } from './auth.routes.ts';
export { healthRoutes } from './health.routes.ts';
export type { HealthRoutesOptions } from './health.routes.ts';
export { metaRoutes } from './meta.routes.ts';
export { recordsRoutes } from './records.routes.ts';
export { accessLogFields } from './request-context.ts';
