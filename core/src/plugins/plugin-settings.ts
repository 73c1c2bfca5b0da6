import type { JsonValue } from '@daicho/sdk';
import { sql } from 'kysely';
import { openSecret, sealSecret } from '../auth/index.ts';
import { errors, type InputProblem } from '../errors/index.ts';
import { createPlatformAjv } from '../validation/index.ts';
import type { Db } from './installations.repository.ts';

type Schema = Record<string, unknown>;

/** Settings that are secrets: `format: "password"` or `writeOnly: true`. Never returned, stored sealed. */
export function secretKeysOf(schema: Schema | undefined): string[] {
  const properties = (schema?.properties ?? {}) as Record<string, Schema>;
  return Object.entries(properties).filter(([, property]) => property.format === 'password' || property.writeOnly === true).map(([key]) => key);
}

/** The schema as Ajv compiles it: `password` is a UI hint, not a format to check. */
function withoutUiFormats(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutUiFormats);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(Object.entries(schema).filter(([key, value]) => !(key === 'format' && value === 'password')).map(([key, value]) => [key, withoutUiFormats(value)]));
}

export function validateSettings(schema: Schema | undefined, values: unknown): InputProblem[] {
  if (!values || typeof values !== 'object' || Array.isArray(values)) return [{ path: '', code: 'type', message: 'Settings must be a JSON object' }];
  if (!schema) return Object.keys(values).length === 0 ? [] : [{ path: '', code: 'noSettings', message: 'This plugin has no settings' }];
  const ajv = createPlatformAjv({ allErrors: true, strict: false, formats: ['date', 'date-time', 'email', 'uri', 'uuid'] });
  let validate;
  try {
    validate = ajv.compile(withoutUiFormats(schema) as object);
  } catch (error) {
    return [{ path: '', code: 'schema', message: `The plugin's settings schema does not compile: ${(error as Error).message}` }];
  }
  if (validate(values)) return [];
  return (validate.errors ?? []).map((problem) => ({ path: problem.instancePath, code: problem.keyword, message: problem.message ?? 'is not valid' }));
}

const context = (workspaceId: string, pluginId: string, key: string) => `${workspaceId}:${pluginId}:${key}`;

/** The settings as an admin sees them: secrets replaced by whether they are set. */
export async function readSettingsForAdmin(db: Db, workspaceId: string, pluginId: string): Promise<{ values: Record<string, JsonValue>; secrets: Record<string, { set: boolean }> }> {
  const { rows } = await sql<{ values: Record<string, JsonValue>; secrets: Record<string, string> }>`select "values", secrets from daicho.plugin_setting where workspace_id = ${workspaceId} and plugin_id = ${pluginId}`.execute(db);
  const row = rows[0];
  return { values: row?.values ?? {}, secrets: Object.fromEntries(Object.keys(row?.secrets ?? {}).map((key) => [key, { set: true }])) };
}

/** The settings as the plugin reads them: secrets opened. */
export async function readSettingsForPlugin(db: Db, key: Buffer, workspaceId: string, pluginId: string): Promise<Record<string, JsonValue>> {
  const { rows } = await sql<{ values: Record<string, JsonValue>; secrets: Record<string, string> }>`select "values", secrets from daicho.plugin_setting where workspace_id = ${workspaceId} and plugin_id = ${pluginId}`.execute(db);
  const row = rows[0];
  if (!row) return {};
  const settings: Record<string, JsonValue> = { ...row.values };
  for (const [name, sealed] of Object.entries(row.secrets)) {
    const opened = openSecret(key, sealed, context(workspaceId, pluginId, name));
    if (opened) settings[name] = JSON.parse(opened.toString('utf8')) as JsonValue;
  }
  return settings;
}

/**
 * Replaces the settings after validating them against the manifest's schema. A secret left out
 * keeps its stored value (an admin never sees it to send it back); `null` clears it.
 */
export async function writeSettings(db: Db, key: Buffer, workspaceId: string, pluginId: string, schema: Schema | undefined, input: unknown): Promise<{ changed: string[] }> {
  const secretKeys = new Set(secretKeysOf(schema));
  const { rows } = await sql<{ secrets: Record<string, string> }>`select secrets from daicho.plugin_setting where workspace_id = ${workspaceId} and plugin_id = ${pluginId} for update`.execute(db);
  const storedSecrets = rows[0]?.secrets ?? {};
  const body = (input && typeof input === 'object' && !Array.isArray(input) ? { ...(input as Record<string, JsonValue>) } : input) as Record<string, JsonValue>;
  if (typeof body !== 'object' || body === null) throw errors.validationFailed([{ path: '', code: 'type', message: 'Settings must be a JSON object' }]);
  // For validation, secrets kept from before count as present.
  const candidate: Record<string, JsonValue> = { ...body };
  for (const name of secretKeys) {
    if (!(name in candidate) && storedSecrets[name]) {
      const opened = openSecret(key, storedSecrets[name], context(workspaceId, pluginId, name));
      if (opened) candidate[name] = JSON.parse(opened.toString('utf8')) as JsonValue;
    }
    if (candidate[name] === null) delete candidate[name];
  }
  const problems = validateSettings(schema, candidate);
  if (problems.length > 0) throw errors.validationFailed(problems, 'The settings are not valid');
  const values: Record<string, JsonValue> = {};
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(candidate)) {
    if (secretKeys.has(name)) secrets[name] = sealSecret(key, Buffer.from(JSON.stringify(value), 'utf8'), context(workspaceId, pluginId, name));
    else values[name] = value;
  }
  await sql`insert into daicho.plugin_setting (workspace_id, plugin_id, "values", secrets) values (${workspaceId}, ${pluginId}, ${JSON.stringify(values)}::jsonb, ${JSON.stringify(secrets)}::jsonb)
    on conflict (workspace_id, plugin_id) do update set "values" = excluded."values", secrets = excluded.secrets, updated_at = now()`.execute(db);
  return { changed: Object.keys(body) };
}
