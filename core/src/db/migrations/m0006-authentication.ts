import { Migration } from '@mikro-orm/migrations';

/**
 * Authentication: roles on users, TOTP, cookie sessions, API tokens, sign-in throttling shared by
 * every node, and per-workspace IP allow-lists.
 */
export class Authentication extends Migration {
  override name = '0006-authentication';

  override up(): void {
    this.addSql(`alter table "daicho"."user"
      add column if not exists "role_name" varchar(200) null,
      add column if not exists "totp_secret" text null,
      add column if not exists "totp_enabled_at" timestamptz null,
      add column if not exists "totp_last_step" bigint null,
      add column if not exists "password_changed_at" timestamptz null`);
    this.addSql(`alter table "daicho"."session"
      add column if not exists "kind" varchar(16) not null default 'bearer' check ("kind" in ('bearer', 'cookie'))`);
    // Tokens for integrations: stored as their SHA-256 digest; the hint is the few characters shown in lists.
    this.addSql(`create table if not exists "daicho"."api_token" (
      "id" uuid primary key,
      "workspace_id" uuid not null references "daicho"."workspace" ("id") on delete cascade,
      "user_id" uuid not null references "daicho"."user" ("id") on delete cascade,
      "name" varchar(200) not null,
      "role_name" varchar(200) null,
      "is_admin" boolean not null default false,
      "token_hash" char(64) not null unique,
      "token_hint" varchar(16) not null,
      "created_at" timestamptz not null default now(),
      "expires_at" timestamptz not null,
      "last_used_at" timestamptz null,
      "revoked_at" timestamptz null
    )`);
    this.addSql(`create index if not exists "api_token_owner" on "daicho"."api_token" ("workspace_id", "user_id")`);
    // Failed sign-in counters, keyed by the SHA-256 of an account or client-address key.
    this.addSql(`create table if not exists "daicho"."login_throttle" (
      "key" char(64) primary key,
      "failures" integer not null default 0,
      "window_started_at" timestamptz not null default now(),
      "next_attempt_at" timestamptz null,
      "locked_until" timestamptz null,
      "updated_at" timestamptz not null default now()
    )`);
    this.addSql(`create index if not exists "login_throttle_updated" on "daicho"."login_throttle" ("updated_at")`);
    this.addSql(`create table if not exists "daicho"."workspace_security" (
      "workspace_id" uuid primary key references "daicho"."workspace" ("id") on delete cascade,
      "ip_allow_list" text[] not null default '{}',
      "updated_at" timestamptz not null default now(),
      "updated_by" uuid null
    )`);
  }

  override down(): void {
    this.addSql('drop table if exists "daicho"."workspace_security"');
    this.addSql('drop table if exists "daicho"."login_throttle"');
    this.addSql('drop table if exists "daicho"."api_token"');
    this.addSql('alter table "daicho"."session" drop column if exists "kind"');
    this.addSql(`alter table "daicho"."user" drop column if exists "role_name", drop column if exists "totp_secret",
      drop column if exists "totp_enabled_at", drop column if exists "totp_last_step", drop column if exists "password_changed_at"`);
  }
}
