// @daicho/sdk: the contract between the platform, its browser app and plugins.
// Exposes the error-code vocabulary, shared API types and (later) the meta-schemas and definePlugin.
export { errorCodes, isErrorCode } from './errors/index.ts';
export type { ErrorBody, ErrorCode } from './errors/index.ts';
export type { HealthReport } from './health.ts';
export { platformVersion } from './version.ts';
export * from './definitions/index.ts';
export { businessCalendarMetaSchema, escalationRuleMetaSchema, filterMetaSchema, objectMetaSchema, permissionSetMetaSchema, pluginManifestMetaSchema, roleMetaSchema, sharingRuleMetaSchema, workflowMetaSchema } from './schemas.ts';
export * from './plugins/index.ts';
