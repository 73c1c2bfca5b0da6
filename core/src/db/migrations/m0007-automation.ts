import { Migration } from '@mikro-orm/migrations';

/**
 * Automation (decision 0009): where each workspace's change feed (the sealed audit trail) has
 * been read up to, workflow runs and their steps, and the next fire time of scheduled workflows.
 * pg-boss keeps its own schema (`daicho_jobs`), created by pg-boss itself at start.
 */
export class Automation extends Migration {
  override name = '0007-automation';

  override up(): void {
    this.addSql(`create table if not exists "daicho"."automation_cursor" (
      "workspace_id" uuid primary key references "daicho"."workspace" ("id") on delete cascade,
      "position" bigint not null,
      "updated_at" timestamptz not null default now()
    )`);
    this.addSql(`create table if not exists "daicho"."workflow_run" (
      "id" uuid primary key,
      "workspace_id" uuid not null references "daicho"."workspace" ("id") on delete cascade,
      "workflow_name" varchar(200) not null,
      "definition_id" uuid not null,
      "workflow_version" integer not null,
      "trigger" varchar(32) not null,
      "object_name" varchar(200) null,
      "record_id" uuid null,
      "audit_event_id" bigint null,
      "triggered_by" uuid null,
      "run_as" uuid null,
      "parent_run_id" uuid null,
      "depth" integer not null default 0,
      "status" varchar(16) not null check ("status" in ('queued', 'running', 'waiting', 'completed', 'deadLetter', 'cancelled', 'skipped')),
      "input" jsonb not null,
      "next_step" integer not null default 0,
      "resume_at" timestamptz null,
      "error" jsonb null,
      "created_at" timestamptz not null default now(),
      "started_at" timestamptz null,
      "finished_at" timestamptz null,
      "updated_at" timestamptz not null default now()
    )`);
    // One run per workflow and change, however often the dispatcher reads the change.
    this.addSql(`create unique index if not exists "workflow_run_event" on "daicho"."workflow_run" ("definition_id", "audit_event_id") where "audit_event_id" is not null`);
    this.addSql(`create index if not exists "workflow_run_list" on "daicho"."workflow_run" ("workspace_id", "id")`);
    this.addSql(`create index if not exists "workflow_run_workflow" on "daicho"."workflow_run" ("workspace_id", "workflow_name", "id")`);
    this.addSql(`create index if not exists "workflow_run_record" on "daicho"."workflow_run" ("workspace_id", "record_id", "id") where "record_id" is not null`);
    this.addSql(`create table if not exists "daicho"."workflow_step" (
      "run_id" uuid not null references "daicho"."workflow_run" ("id") on delete cascade,
      "step_index" integer not null,
      "action_type" varchar(200) not null,
      "status" varchar(16) not null check ("status" in ('running', 'completed', 'failed', 'deadLetter', 'skipped')),
      "attempts" integer not null default 0,
      "input" jsonb null,
      "output" jsonb null,
      "error" jsonb null,
      "started_at" timestamptz null,
      "finished_at" timestamptz null,
      primary key ("run_id", "step_index")
    )`);
    this.addSql(`create table if not exists "daicho"."workflow_schedule" (
      "definition_id" uuid primary key,
      "workspace_id" uuid not null references "daicho"."workspace" ("id") on delete cascade,
      "workflow_version" integer not null,
      "next_at" timestamptz not null
    )`);
    this.addSql(`create index if not exists "workflow_schedule_due" on "daicho"."workflow_schedule" ("next_at")`);
  }

  override down(): void {
    this.addSql('drop table if exists "daicho"."workflow_schedule"');
    this.addSql('drop table if exists "daicho"."workflow_step"');
    this.addSql('drop table if exists "daicho"."workflow_run"');
    this.addSql('drop table if exists "daicho"."automation_cursor"');
  }
}
