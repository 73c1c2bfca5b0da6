// Access: who may do what. Permission sets, roles and sharing rules are definitions (validated by
// the sdk meta-schemas, versioned like objects); teams and users' roles are platform rows. An
// AccessPolicy combines them per subject and is what the records domain enforces.
export { AccessPolicy } from './access-policy.ts';
export type { AccessSubject } from './access-policy.ts';
export { createAccessResolver } from './access-resolver.ts';
export type { AccessResolver, CreateAccessResolverOptions } from './access-resolver.ts';
export { auditPermissionChange, deleteAccessDefinition, isCidr, saveAccessDefinition } from './access-definitions.service.ts';
export type { AccessActor, AccessDeps, AccessKind } from './access-definitions.service.ts';
export type { Directory } from './directory.ts';
export { subordinateRoles, superiorRoles } from './role-tree.ts';
export { accessChanged, deleteTeam, listTeams, saveTeam } from './teams.service.ts';
export type { Team, TeamInput } from './teams.service.ts';
