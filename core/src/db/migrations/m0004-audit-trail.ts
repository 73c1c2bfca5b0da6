import { Migration } from '@mikro-orm/migrations';

/**
 * The audit trail: append-only events, hash-chained per workspace (decision 0006).
 *
 * Writers insert events unsealed, inside their own transactions, so record writes never queue
 * on a workspace-wide lock. `audit_seal` (SECURITY DEFINER, owned by the migrating user) gives
 * unsealed events their chain position and hash in sealing order, one sealer per workspace (the
 * row lock on `audit_chain`); it can only fill events whose position is still empty.
 * `audit_verify` recomputes the chain and reports the first position that does not hold.
 * The application role may read both tables, insert events (not their chain columns) and run
 * the sealer; it may not update, delete or truncate (granted in db/app-role.ts).
 */
export class AuditTrail extends Migration {
  override name = '0004-audit-trail';

  override up(): void {
    this.addSql(`create table if not exists "daicho"."audit_event" (
      "id" bigint generated always as identity primary key,
      "workspace_id" uuid not null,
      "occurred_at" timestamptz not null default now(),
      "kind" varchar(64) not null,
      "actor_id" uuid null,
      "client_address" varchar(64) null,
      "request_id" varchar(128) null,
      "object_name" varchar(200) null,
      "record_id" uuid null,
      "changes" jsonb null,
      "details" jsonb null,
      "chain_position" bigint null,
      "prev_hash" bytea null,
      "hash" bytea null,
      unique ("workspace_id", "chain_position")
    )`);
    this.addSql(`create index if not exists "audit_event_workspace" on "daicho"."audit_event" ("workspace_id", "id")`);
    this.addSql(`create index if not exists "audit_event_record" on "daicho"."audit_event" ("workspace_id", "record_id", "id") where "record_id" is not null`);
    // Small: only events not sealed yet, which the sealer picks up.
    this.addSql(`create index if not exists "audit_event_unsealed" on "daicho"."audit_event" ("workspace_id", "id") where "chain_position" is null`);
    this.addSql(`create table if not exists "daicho"."audit_chain" (
      "workspace_id" uuid primary key,
      "position" bigint not null default 0,
      "hash" bytea null,
      "sealed_at" timestamptz not null default now()
    )`);
    // What a position's hash covers, as text. Timestamps are written in UTC whatever the session.
    this.addSql(`create or replace function "daicho"."audit_canonical"(e "daicho"."audit_event", p_position bigint) returns text
      language sql stable parallel safe set search_path = pg_catalog, pg_temp as $fn$
        select jsonb_build_array(p_position, e.workspace_id, e.id,
          to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
          e.kind, e.actor_id, e.client_address, e.request_id, e.object_name, e.record_id, e.changes, e.details)::text
      $fn$`);
    this.addSql(`create or replace function "daicho"."audit_seal"(p_workspace uuid, p_limit integer, p_wait boolean) returns integer
      language plpgsql security definer set search_path = pg_catalog, pg_temp as $fn$
      declare
        head_position bigint;
        head_hash bytea;
        sealed integer := 0;
        entry "daicho"."audit_event";
        next_hash bytea;
      begin
        insert into "daicho"."audit_chain" ("workspace_id") values (p_workspace) on conflict do nothing;
        if p_wait then
          select "position", "hash" into head_position, head_hash from "daicho"."audit_chain" where "workspace_id" = p_workspace for update;
        else
          select "position", "hash" into head_position, head_hash from "daicho"."audit_chain" where "workspace_id" = p_workspace for update skip locked;
          if not found then return 0; end if;
        end if;
        for entry in select * from "daicho"."audit_event" where "workspace_id" = p_workspace and "chain_position" is null order by "id" limit least(greatest(p_limit, 1), 100000) loop
          head_position := head_position + 1;
          next_hash := sha256(coalesce(head_hash, ''::bytea) || convert_to("daicho"."audit_canonical"(entry, head_position), 'UTF8'));
          update "daicho"."audit_event" set "chain_position" = head_position, "prev_hash" = head_hash, "hash" = next_hash
            where "id" = entry.id and "chain_position" is null;
          head_hash := next_hash;
          sealed := sealed + 1;
        end loop;
        if sealed > 0 then
          update "daicho"."audit_chain" set "position" = head_position, "hash" = head_hash, "sealed_at" = now() where "workspace_id" = p_workspace;
        end if;
        return sealed;
      end $fn$`);
    this.addSql(`revoke all on function "daicho"."audit_seal"(uuid, integer, boolean) from public`);
    this.addSql(`create or replace function "daicho"."audit_verify"(p_workspace uuid)
      returns table (checked bigint, head_position bigint, head_hash text, first_broken bigint, problem text)
      language plpgsql stable set search_path = pg_catalog, pg_temp as $fn$
      declare
        expected bigint := 1;
        previous bytea := null;
        entry "daicho"."audit_event";
        chain_position bigint;
        chain_hash bytea;
      begin
        select c."position", c."hash" into chain_position, chain_hash from "daicho"."audit_chain" c where c."workspace_id" = p_workspace;
        chain_position := coalesce(chain_position, 0);
        checked := 0;
        head_position := chain_position;
        head_hash := encode(chain_hash, 'hex');
        for entry in select * from "daicho"."audit_event" e where e."workspace_id" = p_workspace and e."chain_position" is not null order by e."chain_position" loop
          if entry.chain_position > expected then
            first_broken := expected; problem := 'missing'; return next; return;
          elsif entry.chain_position < expected then
            first_broken := entry.chain_position; problem := 'duplicate'; return next; return;
          elsif entry.prev_hash is distinct from previous then
            first_broken := expected; problem := 'link'; return next; return;
          elsif entry.hash is distinct from sha256(coalesce(previous, ''::bytea) || convert_to("daicho"."audit_canonical"(entry, expected), 'UTF8')) then
            first_broken := expected; problem := 'altered'; return next; return;
          end if;
          previous := entry.hash;
          expected := expected + 1;
          checked := checked + 1;
        end loop;
        if expected - 1 < chain_position then
          first_broken := expected; problem := 'missing'; return next; return;
        elsif expected - 1 > chain_position or previous is distinct from chain_hash then
          first_broken := chain_position; problem := 'head'; return next; return;
        end if;
        return next;
      end $fn$`);
  }

  override down(): void {
    this.addSql('drop function if exists "daicho"."audit_verify"(uuid)');
    this.addSql('drop function if exists "daicho"."audit_seal"(uuid, integer, boolean)');
    this.addSql('drop function if exists "daicho"."audit_canonical"("daicho"."audit_event", bigint)');
    this.addSql('drop table if exists "daicho"."audit_chain"');
    this.addSql('drop table if exists "daicho"."audit_event"');
  }
}
