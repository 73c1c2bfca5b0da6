// What plugin code sees: definePlugin, the handler types, and the host API (`ctx`), one file per
// namespace (records, http, mail, settings, kv, log). Types only, but definePlugin and hostErrorCode.
export { definePlugin } from './define-plugin.ts';
export type { ActionHandler, MigrationHandler, PluginDefinition, RecordHookHandlers, ScheduleHandler, TypedBeforeHookResult, TypedRecordHookInput } from './define-plugin.ts';
export { hostErrorCode } from './context.ts';
export type { PluginContext } from './context.ts';
export type { ListRecordsOptions, ObjectRecordTypes, ObjectValues, RecordPage, RecordsApi, RecordValues, StoredRecord, SystemFields, UntypedObjects } from './records.ts';
export type { FetchOptions, FetchResult, HttpApi } from './http.ts';
export type { MailApi, SendMailOptions } from './mail.ts';
export type { SettingsApi } from './settings.ts';
export type { KvApi } from './kv.ts';
export type { LogApi } from './log.ts';
