import { Migration } from '@mikro-orm/migrations';

/**
 * Definitions with their version history, idempotency keys, the metadata version that tells nodes their caches
 * are stale, and total ("try") casts used by type changes so that one bad value yields NULL
 * instead of aborting the conversion of every row.
 */
export class Definitions extends Migration {
  override name = '0002-definitions';

  override up(): void {
    this.addSql(`alter table "daicho"."workspace" add column if not exists "metadata_version" bigint not null default 0`);
    this.addSql(`create table if not exists "daicho"."definition" (
      "id" uuid primary key,
      "workspace_id" uuid not null references "daicho"."workspace" ("id") on delete cascade,
      "kind" varchar(32) not null,
      "name" varchar(200) not null,
      "version" integer not null,
      "body" jsonb not null,
      "deleted_at" timestamptz null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      unique ("workspace_id", "kind", "name")
    )`);
    this.addSql(`create table if not exists "daicho"."definition_version" (
      "definition_id" uuid not null references "daicho"."definition" ("id") on delete cascade,
      "version" integer not null,
      "change" varchar(16) not null check ("change" in ('created', 'updated', 'deleted', 'restored', 'imported')),
      "body" jsonb not null,
      "diff" jsonb not null,
      "created_at" timestamptz not null default now(),
      "created_by" uuid null,
      primary key ("definition_id", "version")
    )`);
    // The first response to a POST carrying an Idempotency-Key, replayed on retries.
    this.addSql(`create table if not exists "daicho"."idempotency_key" (
      "workspace_id" uuid not null references "daicho"."workspace" ("id") on delete cascade,
      "user_id" uuid not null,
      "key" varchar(255) not null,
      "request_hash" char(64) not null,
      "status" integer not null,
      "response" jsonb not null,
      "created_at" timestamptz not null default now(),
      primary key ("workspace_id", "user_id", "key")
    )`);
    this.addSql(`create index if not exists "idempotency_key_created_at" on "daicho"."idempotency_key" ("created_at")`);
    for (const [name, type] of [
      ['try_numeric', 'numeric'],
      ['try_date', 'date'],
      ['try_timestamptz', 'timestamptz'],
    ] as const) {
      this.addSql(`create or replace function "daicho"."${name}"(value text) returns ${type}
        language plpgsql immutable parallel safe as $fn$
        begin
          return nullif(trim(value), '')::${type};
        exception when others then
          return null;
        end $fn$`);
    }
  }

  override down(): void {
    this.addSql('drop table if exists "daicho"."idempotency_key"');
    this.addSql('drop table if exists "daicho"."definition_version"');
    this.addSql('drop table if exists "daicho"."definition"');
    this.addSql('alter table "daicho"."workspace" drop column if exists "metadata_version"');
    for (const name of ['try_numeric', 'try_date', 'try_timestamptz']) this.addSql(`drop function if exists "daicho"."${name}"(text)`);
  }
}
