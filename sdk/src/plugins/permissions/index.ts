// Plugin permissions: one parser, one matcher and one description, used by the CLI, the manifest
// checks and core's host (consent screen and every host call).
export { parsePermission } from './parse-permission.ts';
export type { HttpUrlPattern, ParsedPermission, PermissionKind } from './parse-permission.ts';
export { matchHttpUrlPattern, permissionCovers } from './permission-covers.ts';
export type { PermissionNeed } from './permission-covers.ts';
export { describePermission } from './describe-permission.ts';
export type { ConsentLanguage } from './describe-permission.ts';
