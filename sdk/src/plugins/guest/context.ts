import type { JsonValue } from '../contract.ts';
import type { HttpApi } from './http.ts';
import type { KvApi } from './kv.ts';
import type { LogApi } from './log.ts';
import type { MailApi } from './mail.ts';
import type { ObjectRecordTypes, RecordsApi, UntypedObjects } from './records.ts';
import type { SettingsApi } from './settings.ts';

/**
 * What every handler receives as its second argument: the host API, built inside the sandbox from
 * one host-call bridge. Each call is checked against the permissions the admin granted and the
 * access of the user on whose behalf the plugin runs; a refusal throws an Error with a `code`.
 * `Objects` types `ctx.records` (see {@link ObjectRecordTypes}); `Settings` types `ctx.settings`.
 *
 * @example
 * async function notify(ctx: PluginContext) {
 *   const settings = await ctx.settings.get();
 *   await ctx.http.fetch(String(settings.url), { method: 'POST', body: '{}' });
 *   ctx.log.info('notified');
 * }
 */
export interface PluginContext<Objects extends ObjectRecordTypes = UntypedObjects, Settings extends object = Record<string, JsonValue>> {
  records: RecordsApi<Objects>;
  http: HttpApi;
  mail: MailApi;
  settings: SettingsApi<Settings>;
  kv: KvApi;
  log: LogApi;
}

/**
 * The `code` of an Error thrown by a refused host call (`PERMISSION_DENIED`,
 * `VALIDATION_FAILED`, `VERSION_CONFLICT`, …; see the error-code reference).
 *
 * @example
 * try { await ctx.records.get('deal', id); } catch (error) { if (hostErrorCode(error) === 'PERMISSION_DENIED') return; throw error; }
 */
export function hostErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
