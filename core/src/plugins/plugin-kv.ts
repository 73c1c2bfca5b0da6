import type { JsonValue } from '@daicho/sdk';
import { sql } from 'kysely';
import { errors } from '../errors/index.ts';
import type { Db } from './installations.repository.ts';

/** Caps of a plugin's key-value store. */
export interface KvLimits {
  maxKeyLength: number;
  maxValueBytes: number;
  maxKeys: number;
}

export const defaultKvLimits: KvLimits = { maxKeyLength: 512, maxValueBytes: 65_536, maxKeys: 10_000 };

function assertKey(key: unknown, limits: KvLimits): asserts key is string {
  if (typeof key !== 'string' || key.length === 0 || key.length > limits.maxKeyLength) {
    throw errors.validationFailed([{ path: '/0', code: 'key', message: `A key is a string of 1 to ${limits.maxKeyLength} characters` }]);
  }
}

export async function kvGet(db: Db, workspaceId: string, pluginId: string, key: unknown, limits = defaultKvLimits): Promise<JsonValue> {
  assertKey(key, limits);
  const { rows } = await sql<{ value: JsonValue }>`select value from daicho.plugin_kv where workspace_id = ${workspaceId} and plugin_id = ${pluginId} and key = ${key}`.execute(db);
  return rows[0]?.value ?? null;
}

export async function kvSet(db: Db, workspaceId: string, pluginId: string, key: unknown, value: unknown, limits = defaultKvLimits): Promise<null> {
  assertKey(key, limits);
  const text = JSON.stringify(value ?? null);
  if (Buffer.byteLength(text, 'utf8') > limits.maxValueBytes) throw errors.validationFailed([{ path: '/1', code: 'maxBytes', message: `A value may have at most ${limits.maxValueBytes} bytes of JSON` }]);
  const { rows } = await sql<{ n: string }>`select count(*) as n from daicho.plugin_kv where workspace_id = ${workspaceId} and plugin_id = ${pluginId}`.execute(db);
  if (Number(rows[0]!.n) >= limits.maxKeys) {
    const exists = await sql`select 1 from daicho.plugin_kv where workspace_id = ${workspaceId} and plugin_id = ${pluginId} and key = ${key}`.execute(db);
    if (exists.rows.length === 0) throw errors.validationFailed([{ path: '/0', code: 'maxKeys', message: `A plugin may keep at most ${limits.maxKeys} keys` }]);
  }
  await sql`insert into daicho.plugin_kv (workspace_id, plugin_id, key, value) values (${workspaceId}, ${pluginId}, ${key}, ${text}::jsonb)
    on conflict (workspace_id, plugin_id, key) do update set value = excluded.value, updated_at = now()`.execute(db);
  return null;
}

export async function kvDelete(db: Db, workspaceId: string, pluginId: string, key: unknown, limits = defaultKvLimits): Promise<null> {
  assertKey(key, limits);
  await sql`delete from daicho.plugin_kv where workspace_id = ${workspaceId} and plugin_id = ${pluginId} and key = ${key}`.execute(db);
  return null;
}
