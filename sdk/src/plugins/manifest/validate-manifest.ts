import semver from 'semver';
import manifestSchema from '../../../schemas/plugin-manifest.schema.json' with { type: 'json' };
import type { PluginManifest } from '../contract.ts';
import { parsePermission } from '../permissions/index.ts';
import { validateSchemaSubset } from './schema-subset.ts';
import type { SchemaProblem } from './schema-subset.ts';

/**
 * A manifest problem, located by JSON pointer into daicho-plugin.json.
 *
 * @example
 * for (const { path, message } of problems) console.error(`${path || '/'}: ${message}`);
 */
export type ManifestProblem = SchemaProblem;

/**
 * The manifest, typed, or every problem found.
 *
 * @example
 * const result: ValidatePluginManifestResult = validatePluginManifest(json); if (result.ok) use(result.manifest);
 */
export type ValidatePluginManifestResult = { ok: true; manifest: PluginManifest } | { ok: false; problems: ManifestProblem[] };

/**
 * Validates parsed daicho-plugin.json against `sdk/schemas/plugin-manifest.schema.json`, then
 * runs {@link checkPluginManifest}'s semantic checks that need only the manifest.
 *
 * @example
 * const result = validatePluginManifest(JSON.parse(text));
 * if (!result.ok) for (const p of result.problems) console.error(`${p.path}: ${p.message}`);
 */
export function validatePluginManifest(json: unknown): ValidatePluginManifestResult {
  const problems = validateSchemaSubset(manifestSchema as Record<string, unknown>, json);
  if (problems.length > 0) return { ok: false, problems };
  const manifest = json as PluginManifest;
  const semantic = checkPluginManifest(manifest);
  return semantic.length > 0 ? { ok: false, problems: semantic } : { ok: true, manifest };
}

/**
 * The object definitions a package contributes, by path, as `checkPluginManifest` needs them:
 * only their `name` is read.
 *
 * @example
 * const definitions: ContributedDefinitions = new Map([['definitions/greeting.object.json', { name: 'acme.hello.greeting' }]]);
 */
export type ContributedDefinitions = ReadonlyMap<string, unknown>;

/**
 * Checks that JSON Schema cannot express, on a manifest that already passed the schema:
 * - `engines.daicho` and every dependency range are valid semver ranges; `publisher` is the id's first part;
 * - workflow action types start with `<id>.`; `schedules` need the `schedule` permission;
 * - every record hook's object is contributed by the plugin or covered by a `records.read` or
 *   `records.write` permission;
 * - with `definitions` (file path → parsed JSON): every contributed object file is present and its
 *   `name` starts with `<id>.`.
 *
 * @example
 * checkPluginManifest(manifest, new Map([['definitions/greeting.object.json', { name: 'acme.hello.greeting' }]])); // []
 */
export function checkPluginManifest(manifest: PluginManifest, definitions?: ContributedDefinitions): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const prefix = `${manifest.id}.`;
  if (!semver.validRange(manifest.engines.daicho)) problems.push({ path: '/engines/daicho', message: 'must be a valid semver range' });
  if (manifest.id.split('.')[0] !== manifest.publisher) problems.push({ path: '/publisher', message: `must be the first part of the id (${manifest.id.split('.')[0]})` });
  for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) {
    if (!semver.validRange(range)) problems.push({ path: `/dependencies/${dependency}`, message: 'must be a valid semver range' });
    if (dependency === manifest.id) problems.push({ path: `/dependencies/${dependency}`, message: 'a plugin cannot depend on itself' });
  }
  const contributes = manifest.contributes ?? {};
  contributes.workflowActions?.forEach((action, index) => {
    if (!action.type.startsWith(prefix)) problems.push({ path: `/contributes/workflowActions/${index}/type`, message: `must start with ${prefix}` });
  });
  if ((contributes.schedules?.length ?? 0) > 0 && !manifest.permissions.includes('schedule')) {
    problems.push({ path: '/contributes/schedules', message: 'needs the schedule permission' });
  }
  const contributedObjects = new Set<string>();
  contributes.objects?.forEach((file, index) => {
    if (!definitions) return;
    const definition = definitions.get(file) as { name?: unknown } | undefined;
    if (definition === undefined) {
      problems.push({ path: `/contributes/objects/${index}`, message: `${file} is not in the package` });
    } else if (typeof definition?.name !== 'string' || !definition.name.startsWith(prefix)) {
      problems.push({ path: `/contributes/objects/${index}`, message: `the object's name must start with ${prefix}` });
    } else {
      contributedObjects.add(definition.name);
    }
  });
  const recordGrants = new Set(
    manifest.permissions.map(parsePermission).flatMap((p) => (p && (p.kind === 'records.read' || p.kind === 'records.write') ? [p.object] : [])),
  );
  contributes.recordHooks?.forEach((hook, index) => {
    // Without the definitions we cannot know the contributed names, so the plugin's own prefix stands in.
    const contributed = definitions ? contributedObjects.has(hook.object) : hook.object.startsWith(prefix);
    if (!contributed && !recordGrants.has(hook.object)) {
      problems.push({ path: `/contributes/recordHooks/${index}/object`, message: `${hook.object} is neither contributed nor covered by a records.read or records.write permission` });
    }
  });
  return problems;
}
