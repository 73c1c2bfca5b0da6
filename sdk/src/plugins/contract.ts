// The plugin contract: the seams between the SDK (manifest, package, CLI), the sandbox that runs
// plugin code (core/src/plugins/sandbox) and the host that installs plugins and answers their host
// calls (core/src/plugins). Decision record: docs/decisions/0012-plugins.md.
//
// Types only. Changing a shape here changes all three sides; say so in the decision record.

import type { ObjectDefinition } from '../definitions/index.ts';

/** Anything that survives JSON.stringify → JSON.parse unchanged. Only such values cross the sandbox. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** ja/en text; `en` is required, `ja` is shown to Japanese users when present. */
export interface PluginText {
  en: string;
  ja?: string;
}

/**
 * A permission a plugin asks for, as written in the manifest:
 * - `records.read:<object>` / `records.write:<object>` (`write` implies neither read nor delete of
 *   other objects; `<object>` is an object's API name, never a wildcard);
 * - `http.fetch:<https URL pattern>`: `https://host/path*`; `*` matches within a path only, and a
 *   host may start with `*.` to cover its subdomains (never a bare `*`);
 * - `mail.send`, `kv`, `schedule`.
 */
export type PluginPermission = string;

/** The record-hook events. `before*` run inside the write's transaction; `after*` are queued. */
export type RecordHookEvent = 'beforeCreate' | 'beforeUpdate' | 'afterCreate' | 'afterUpdate' | 'afterDelete';

/** daicho-plugin.json: validated by sdk/schemas/plugin-manifest.schema.json at build, install and load. */
export interface PluginManifest {
  /** Namespaced, immutable: `<publisher>.<name>`, lower case (e.g. `acme.inventory`). */
  id: string;
  /** Semver. */
  version: string;
  publisher: string;
  displayName: PluginText;
  description: PluginText;
  engines: { daicho: string };
  /** Other plugins' ids with semver ranges. */
  dependencies?: Record<string, string>;
  permissions: PluginPermission[];
  contributes?: PluginContributions;
  /** When the isolate is created: at enable (`startup`) or at the first call (`onDemand`, the default). */
  activation?: 'startup' | 'onDemand';
  /** The bundle's path inside the package, e.g. `dist/plugin.js`. Absent for definition-only plugins. */
  main?: string;
}

export interface PluginContributions {
  /** Paths (inside the package) of object definition files; each object's name starts with `<plugin id>.`. */
  objects?: string[];
  /** Fields added to other plugins' or the workspace's objects; each field's name starts with the plugin's short prefix. */
  fields?: Array<{ object: string; file: string }>;
  /** Paths of view and layout definition files (rendered once the view designer exists). */
  views?: string[];
  /** Paths of workflow definition files. */
  workflows?: string[];
  /** Paths of dashboard definition files. */
  dashboards?: string[];
  workflowActions?: PluginWorkflowAction[];
  recordHooks?: PluginRecordHook[];
  schedules?: PluginSchedule[];
  /** A JSON Schema (2020-12, object type) for the plugin's settings, rendered as a form for the admin. */
  settingsSchema?: Record<string, unknown>;
  /** Paths of translation files: `{ "ja": "locales/ja.json", "en": "locales/en.json" }`. */
  translations?: Record<string, string>;
  /** Data migrations run at install and upgrade, by the version that introduced them. */
  migrations?: string[];
}

export interface PluginWorkflowAction {
  /** The action type as workflows name it: `<plugin id>.<name>`. */
  type: string;
  labels: PluginText;
  description?: PluginText;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
}

export interface PluginRecordHook {
  object: string;
  events: RecordHookEvent[];
}

export interface PluginSchedule {
  name: string;
  /** Five-field cron, evaluated in the workspace's time zone. */
  cron: string;
}

/**
 * A package as read into memory: the manifest, and every other file by its path in the package.
 * The package file itself is a gzipped tar whose entries sit at the top level
 * (`daicho-plugin.json`, `dist/plugin.js`, `definitions/…`, `locales/…`, `README.md`); its digest is
 * the sha256 of the .tgz bytes, and its signature is ed25519 over the digest's 32 raw bytes.
 */
export interface PluginPackage {
  manifest: PluginManifest;
  files: ReadonlyMap<string, Uint8Array>;
  /** Lower-case hex sha256 of the archive bytes. */
  digest: string;
}

/** A detached signature (the `.sig.json` next to a package, or a catalogue entry). */
export interface PluginSignature {
  /** Lower-case hex sha256 of the archive. */
  digest: string;
  /** Base64 ed25519 signature over the 32 digest bytes. */
  signature: string;
  /** Base64 of the signer's raw 32-byte ed25519 public key. */
  publicKey: string;
}

// ---- What runs in the sandbox ----------------------------------------------------------------

/**
 * Handlers are named by a path, and the sandbox resolves the path on the plugin definition
 * (the object the bundle's `definePlugin` call returned):
 * - `hooks/<object>/<event>`      input: RecordHookInput       result: BeforeHookResult | null
 * - `actions/<action type>`       input: the action's input     result: the action's output
 * - `schedules/<name>`            input: { firedAt }            result: null
 * - `migrations/<version>`        input: { from: string|null }  result: null
 */
export type HandlerPath = string;

export interface RecordHookInput {
  object: string;
  event: RecordHookEvent;
  /** The record as it will be written (before*) or as it was written (after*). */
  record: Record<string, JsonValue>;
  /** The stored record before an update or delete; null for creates. */
  previous: Record<string, JsonValue> | null;
  /** The user on whose behalf the write runs. */
  userId: string | null;
}

/** What a before-hook may return: values to set on the record, or problems that refuse the write (422). */
export interface BeforeHookResult {
  set?: Record<string, JsonValue>;
  problems?: Array<{ field: string; message: string }>;
}

/**
 * Host calls, named `<api>.<method>`, with JSON arguments as one array:
 * - `records.get`    [object, id]                          → record | null
 * - `records.list`   [object, { filter?, sort?, limit?, cursor? }] → { records, nextCursor }
 * - `records.create` [object, values]                      → record
 * - `records.update` [object, id, values, version?]        → record
 * - `records.delete` [object, id]                          → null
 * - `http.fetch`     [url, { method?, headers?, body? }]   → { status, headers, body }
 * - `mail.send`      [{ to, subject, text?, html? }]       → { messageId }
 * - `settings.get`   []                                    → the plugin's settings object
 * - `kv.get` [key] → value | null;  `kv.set` [key, value] → null;  `kv.delete` [key] → null
 * `log.*` is not a host call: the sandbox buffers log lines (capped) and returns them with the result.
 */
export type HostCallMethod =
  | 'records.get'
  | 'records.list'
  | 'records.create'
  | 'records.update'
  | 'records.delete'
  | 'http.fetch'
  | 'mail.send'
  | 'settings.get'
  | 'kv.get'
  | 'kv.set'
  | 'kv.delete';

/** How a failed host call reaches the guest: the guest sees an Error with `code` and `message`. */
export interface HostCallFailure {
  code: string;
  message: string;
}

/** An object definition as a plugin ships it (same shape as an admin's). */
export type PluginObjectDefinition = ObjectDefinition;
