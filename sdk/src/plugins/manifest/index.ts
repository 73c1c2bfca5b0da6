// The plugin manifest (daicho-plugin.json): schema validation and the semantic checks, shared by the
// CLI (build, pack), readPluginPackage and core's install.
export { checkPluginManifest, validatePluginManifest } from './validate-manifest.ts';
export type { ContributedDefinitions, ManifestProblem, ValidatePluginManifestResult } from './validate-manifest.ts';
export { validateSchemaSubset } from './schema-subset.ts';
export type { SchemaProblem } from './schema-subset.ts';
