import { Migration } from '@mikro-orm/migrations';

/**
 * Plugins (decision 0012): installations per workspace (the package itself is kept, so any node
 * can load the code again), their settings (secrets sealed), their key-value store, and the
 * durable queue of plugin work that runs after a write (after-hooks, schedules).
 * The application role gets these tables through the schema's default privileges.
 */
export class Plugins extends Migration {
  override name = '0008-plugins';

  override up(): void {
    this.addSql(`create table if not exists "daicho"."plugin_installation" (
      "workspace_id" uuid not null references "daicho"."workspace" ("id") on delete cascade,
      "plugin_id" varchar(214) not null,
      "version" varchar(64) not null,
      "state" varchar(16) not null check ("state" in ('enabled', 'disabled', 'pendingConsent', 'uninstalled')),
      "manifest" jsonb not null,
      "package" bytea not null,
      "digest" char(64) not null,
      "granted_permissions" jsonb not null default '[]',
      "pending_manifest" jsonb null,
      "pending_package" bytea null,
      "pending_digest" char(64) null,
      "installed_by" uuid null,
      "installed_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      "uninstalled_at" timestamptz null,
      "disabled_reason" text null,
      "consecutive_failures" integer not null default 0,
      "limit_failures" integer not null default 0,
      primary key ("workspace_id", "plugin_id")
    )`);
    this.addSql(`create table if not exists "daicho"."plugin_setting" (
      "workspace_id" uuid not null references "daicho"."workspace" ("id") on delete cascade,
      "plugin_id" varchar(214) not null,
      "values" jsonb not null default '{}',
      "secrets" jsonb not null default '{}',
      "updated_at" timestamptz not null default now(),
      primary key ("workspace_id", "plugin_id")
    )`);
    this.addSql(`create table if not exists "daicho"."plugin_kv" (
      "workspace_id" uuid not null references "daicho"."workspace" ("id") on delete cascade,
      "plugin_id" varchar(214) not null,
      "key" varchar(512) not null,
      "value" jsonb not null,
      "updated_at" timestamptz not null default now(),
      primary key ("workspace_id", "plugin_id", "key")
    )`);
    this.addSql(`create table if not exists "daicho"."plugin_job" (
      "id" uuid primary key,
      "workspace_id" uuid not null references "daicho"."workspace" ("id") on delete cascade,
      "plugin_id" varchar(214) not null,
      "handler" varchar(512) not null,
      "input" jsonb not null,
      "run_as" uuid null,
      "dedupe_key" varchar(512) null,
      "status" varchar(16) not null check ("status" in ('queued', 'running', 'completed', 'deadLetter')),
      "attempts" integer not null default 0,
      "error" jsonb null,
      "run_after" timestamptz not null default now(),
      "created_at" timestamptz not null default now(),
      "finished_at" timestamptz null
    )`);
    this.addSql(`create index if not exists "plugin_job_due" on "daicho"."plugin_job" ("run_after") where "status" = 'queued'`);
    this.addSql(`create index if not exists "plugin_job_plugin" on "daicho"."plugin_job" ("workspace_id", "plugin_id", "status")`);
    this.addSql(`create unique index if not exists "plugin_job_dedupe" on "daicho"."plugin_job" ("workspace_id", "plugin_id", "dedupe_key") where "dedupe_key" is not null`);
  }

  override down(): void {
    this.addSql('drop table if exists "daicho"."plugin_job"');
    this.addSql('drop table if exists "daicho"."plugin_kv"');
    this.addSql('drop table if exists "daicho"."plugin_setting"');
    this.addSql('drop table if exists "daicho"."plugin_installation"');
  }
}
