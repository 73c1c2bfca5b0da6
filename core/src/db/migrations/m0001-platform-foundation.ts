import { Migration } from '@mikro-orm/migrations';

/** The platform schema with its first tables: workspaces and their users. */
export class PlatformFoundation extends Migration {
  override name = '0001-platform-foundation';

  override up(): void {
    this.addSql(`create table if not exists "daicho"."workspace" (
      "id" uuid primary key,
      "slug" varchar(63) not null unique,
      "name" varchar(200) not null,
      "default_locale" varchar(10) not null default 'ja',
      "time_zone" varchar(64) not null default 'Asia/Tokyo',
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now()
    )`);
    this.addSql(`create table if not exists "daicho"."user" (
      "id" uuid primary key,
      "workspace_id" uuid not null references "daicho"."workspace" ("id") on delete cascade,
      "email" varchar(320) not null,
      "display_name" varchar(200) not null,
      "password_hash" text null,
      "locale" varchar(10) not null default 'ja',
      "time_zone" varchar(64) not null default 'Asia/Tokyo',
      "is_admin" boolean not null default false,
      "status" varchar(16) not null default 'active' check ("status" in ('active', 'disabled')),
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      unique ("workspace_id", "email")
    )`);
  }

  override down(): void {
    this.addSql('drop table if exists "daicho"."user"');
    this.addSql('drop table if exists "daicho"."workspace"');
  }
}
