// Metadata: object definitions validated against the sdk meta-schemas, stored with their
// version history, cached per workspace (invalidated across nodes by LISTEN/NOTIFY) and
// exported/imported as packages. Exposes the workspace query catalog other domains query with.
export type { DefinitionBodies, DefinitionChange, DefinitionKind, DefinitionVersionRow, StoredDefinition, StoredObject } from './definitions.repository.ts';
export {
  bumpMetadataVersion, findDefinitionRow, findObjectRow, listDefinitionRows, listObjectRows, listObjectVersions as listDefinitionVersions, METADATA_CHANNEL, writeDefinitionRow,
} from './definitions.repository.ts';
export { applyJsonPatch, diffJson } from './json-patch.ts';
export { deleteDefinitionVersion, saveDefinitionVersion } from './definition-versions.ts';
export type { DefinitionVersionWrite } from './definition-versions.ts';
export type { JsonPatchOperation } from './json-patch.ts';
export { createMetadataCache, loadWorkspaceMetadata } from './metadata-cache.ts';
export type { MetadataCache, WorkspaceMetadata } from './metadata-cache.ts';
export { checkDocumentBounds, validateDefinitionDocument, validateObjectDocument } from './meta-schema.ts';
export {
  addField, assertValidObjectDocument, createObject, deleteField, deleteObject,
  listObjectVersions, previewFieldChange, purgeDeletedFields, replaceField, replaceObject, restoreField, restoreObject,
} from './object-definitions.service.ts';
export type { MetadataActor, MetadataDeps, ObjectChangeResult } from './object-definitions.service.ts';
export { exportDefinitions, importDefinitions } from './definitions-package.ts';
export { applyObjectSet, finishObjectSet, purgeDeletedObject } from './object-sets.service.ts';
export type { ObjectSetChange } from './object-sets.service.ts';
export type { DefinitionsPackage } from './definitions-package.ts';
export { compoundComponents, createQueryCatalog, objectToQuery, userQueryObject } from './query-catalog.ts';
export { deleteBusinessCalendar, saveBusinessCalendar } from './business-calendars.service.ts';
