import { Migration } from '@mikro-orm/migrations';

/**
 * Automation timers (decision 0013): durable due times of date-relative workflow triggers and
 * escalation steps, one row per definition, record and offset or step, claimed by a poller on
 * every node; the business-time clock of each record under an escalation rule (elapsed time
 * kept across pauses); the backfill of a rule saved or enabled over existing records; and the
 * timer a run came from, so a due time starts one run however often it is claimed.
 */
export class AutomationTimers extends Migration {
  override name = '0009-automation-timers';

  override up(): void {
    this.addSql(`create table if not exists "daicho"."automation_timer" (
      "id" uuid primary key,
      "workspace_id" uuid not null references "daicho"."workspace" ("id") on delete cascade,
      "kind" varchar(16) not null check ("kind" in ('dateRelative', 'escalationStep')),
      "definition_id" uuid not null,
      "definition_name" varchar(200) not null,
      "definition_version" integer not null,
      "object_name" varchar(200) not null,
      "record_id" uuid not null,
      "slot" integer not null,
      "due_at" timestamptz null,
      "state" varchar(16) not null check ("state" in ('pending', 'fired', 'cancelled', 'paused')),
      "run_id" uuid null,
      "fired_at" timestamptz null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      unique ("definition_id", "record_id", "slot")
    )`);
    // The poller's only query: pending timers by due time.
    this.addSql(`create index if not exists "automation_timer_due" on "daicho"."automation_timer" ("due_at") where "state" = 'pending'`);
    this.addSql(`create index if not exists "automation_timer_record" on "daicho"."automation_timer" ("workspace_id", "record_id")`);
    this.addSql(`create table if not exists "daicho"."escalation_clock" (
      "definition_id" uuid not null,
      "record_id" uuid not null,
      "workspace_id" uuid not null references "daicho"."workspace" ("id") on delete cascade,
      "started_at" timestamptz not null,
      "elapsed_ms" bigint not null default 0,
      "running_since" timestamptz null,
      "updated_at" timestamptz not null default now(),
      primary key ("definition_id", "record_id")
    )`);
    this.addSql(`create table if not exists "daicho"."automation_backfill" (
      "definition_id" uuid primary key,
      "workspace_id" uuid not null references "daicho"."workspace" ("id") on delete cascade,
      "kind" varchar(16) not null,
      "definition_version" integer not null,
      "after_id" uuid null,
      "created_at" timestamptz not null default now()
    )`);
    this.addSql(`alter table "daicho"."workflow_run" add column if not exists "timer_id" uuid null`);
    this.addSql(`alter table "daicho"."workflow_run" add column if not exists "timer_due_at" timestamptz null`);
    this.addSql(`alter table "daicho"."workflow_run" add column if not exists "escalation_step" integer null`);
    this.addSql(`create unique index if not exists "workflow_run_timer" on "daicho"."workflow_run" ("timer_id", "timer_due_at") where "timer_id" is not null`);
  }

  override down(): void {
    this.addSql('drop index if exists "daicho"."workflow_run_timer"');
    this.addSql('alter table "daicho"."workflow_run" drop column if exists "escalation_step"');
    this.addSql('alter table "daicho"."workflow_run" drop column if exists "timer_due_at"');
    this.addSql('alter table "daicho"."workflow_run" drop column if exists "timer_id"');
    this.addSql('drop table if exists "daicho"."automation_backfill"');
    this.addSql('drop table if exists "daicho"."escalation_clock"');
    this.addSql('drop table if exists "daicho"."automation_timer"');
  }
}
