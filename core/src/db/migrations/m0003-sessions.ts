import { Migration } from '@mikro-orm/migrations';

/** Server-side sessions: the token is stored only as its SHA-256 digest. */
export class Sessions extends Migration {
  override name = '0003-sessions';

  override up(): void {
    this.addSql(`create table if not exists "daicho"."session" (
      "id" uuid primary key,
      "workspace_id" uuid not null references "daicho"."workspace" ("id") on delete cascade,
      "user_id" uuid not null references "daicho"."user" ("id") on delete cascade,
      "token_hash" char(64) not null unique,
      "created_at" timestamptz not null default now(),
      "last_seen_at" timestamptz not null default now(),
      "expires_at" timestamptz not null,
      "revoked_at" timestamptz null
    )`);
    this.addSql(`create index if not exists "session_user" on "daicho"."session" ("user_id")`);
  }

  override down(): void {
    this.addSql('drop table if exists "daicho"."session"');
  }
}
