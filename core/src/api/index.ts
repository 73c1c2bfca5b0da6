// The HTTP API: one router per domain, mounted by the runtime. Translates HTTP to domain calls.
export { healthRoutes } from './health.routes.ts';
export type { HealthRoutesOptions } from './health.routes.ts';
