import { Migration } from '@mikro-orm/migrations';

/**
 * Record access: each user's role (its permission sets, roles and sharing rules are definitions),
 * and teams, to which sharing rules open records.
 */
export class Access extends Migration {
  override name = '0005-access';

  override up(): void {
    this.addSql(`alter table "daicho"."user" add column if not exists "role_name" varchar(200) null`);
    this.addSql(`create table if not exists "daicho"."team" (
      "id" uuid primary key,
      "workspace_id" uuid not null references "daicho"."workspace" ("id") on delete cascade,
      "name" varchar(200) not null,
      "labels" jsonb not null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      unique ("workspace_id", "name")
    )`);
    this.addSql(`create table if not exists "daicho"."team_member" (
      "team_id" uuid not null references "daicho"."team" ("id") on delete cascade,
      "user_id" uuid not null references "daicho"."user" ("id") on delete cascade,
      primary key ("team_id", "user_id")
    )`);
    this.addSql(`create index if not exists "team_member_user" on "daicho"."team_member" ("user_id")`);
  }

  override down(): void {
    this.addSql('drop table if exists "daicho"."team_member"');
    this.addSql('drop table if exists "daicho"."team"');
  }
}
