import type pg from 'pg';

/** The application role's name when none is configured. */
export const DEFAULT_APP_ROLE = 'daicho_app';

/**
 * Thrown at start when the database cannot be set up for the application role; its message is
 * one line that says what to do, safe to print.
 */
export class DatabaseSetupError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DatabaseSetupError';
  }
}

// Tables the application may only read and append to. Their chain columns are filled by the
// SECURITY DEFINER sealer, never by the application (decision 0006).
const appendOnlyColumns: Readonly<Record<string, readonly string[]>> = {
  audit_event: ['workspace_id', 'kind', 'actor_id', 'client_address', 'request_id', 'object_name', 'record_id', 'changes', 'details'],
};
const readOnlyTables = ['audit_chain', 'migrations'];

/**
 * Makes sure the application role exists and holds exactly what the running platform needs, and
 * nothing it must not have (decision 0006):
 * - the role: NOLOGIN, no superuser, no CREATEROLE / CREATEDB / BYPASSRLS; created when missing
 *   (race-safe: many databases of one cluster may set up at once, and roles are cluster-wide);
 * - the platform schema: read and write its tables and sequences, now and for tables added by
 *   later migrations (default privileges), except the audit tables (read and append only);
 * - CREATE on the database, so that it creates (and owns) workspace schemas and their tables;
 * - ownership of workspace schemas created before it existed.
 * Runs at every start, after the platform migrations, on the migrating (owner) connection.
 */
export async function ensureApplicationRole(client: pg.Client, role: string): Promise<void> {
  const roleId = client.escapeIdentifier(role);
  const { rows: [me] } = await client.query<{ user: string; can_create: boolean; is_super: boolean }>(
    'select current_user as user, rolcreaterole or rolsuper as can_create, rolsuper as is_super from pg_roles where rolname = current_user',
  );
  const owner = me!.user;
  const exists = async () => (await client.query('select 1 from pg_roles where rolname = $1', [role])).rowCount === 1;
  if (!(await exists())) {
    if (!me!.can_create) {
      throw new DatabaseSetupError(
        `the database user "${owner}" cannot create roles; as a superuser run once: CREATE ROLE ${roleId} NOLOGIN; GRANT ${roleId} TO ${client.escapeIdentifier(owner)}; (or set DAICHO_DATABASE_APP_ROLE to an existing role that "${owner}" is a member of)`,
      );
    }
    try {
      await client.query(`create role ${roleId} nologin nosuperuser nocreatedb nocreaterole noinherit nobypassrls`);
    } catch (error) {
      // Another database of this cluster created it at the same moment.
      const code = (error as { code?: string }).code;
      if (code !== '42710' && code !== '23505') throw error;
    }
  }
  // PostgreSQL 16 separates membership from the right to SET ROLE (a CREATEROLE user is made
  // an admin of the roles it creates, without SET).
  const { rows: [role_] } = await client.query<{ super: boolean; member: boolean }>(
    `select rolsuper as super, pg_has_role(current_user, oid, case when current_setting('server_version_num')::int >= 160000 then 'SET' else 'MEMBER' end) as member
      from pg_roles where rolname = $1`,
    [role],
  );
  if (role_!.super) {
    throw new DatabaseSetupError(`the application role "${role}" is a superuser; it must not be: choose another DAICHO_DATABASE_APP_ROLE or run ALTER ROLE ${roleId} NOSUPERUSER`);
  }
  if (!role_!.member) {
    try {
      await client.query(`grant ${roleId} to ${client.escapeIdentifier(owner)}`);
    } catch (error) {
      throw new DatabaseSetupError(`the database user "${owner}" must be a member of the application role "${role}" to switch to it; as a superuser run: GRANT ${roleId} TO ${client.escapeIdentifier(owner)}`, { cause: error });
    }
  }

  await client.query('begin');
  try {
    const statements = [
      `grant connect, temporary, create on database ${client.escapeIdentifier((await client.query<{ db: string }>('select current_database() as db')).rows[0]!.db)} to ${roleId}`,
      `grant usage on schema "daicho" to ${roleId}`,
      `grant select, insert, update, delete on all tables in schema "daicho" to ${roleId}`,
      `grant usage, select on all sequences in schema "daicho" to ${roleId}`,
      `alter default privileges in schema "daicho" grant select, insert, update, delete on tables to ${roleId}`,
      `alter default privileges in schema "daicho" grant usage, select on sequences to ${roleId}`,
      // Lookups to users are foreign keys from workspace tables to the platform's user table.
      `grant references on "daicho"."user" to ${roleId}`,
    ];
    for (const [table, columns] of Object.entries(appendOnlyColumns)) {
      statements.push(
        `revoke all on "daicho".${client.escapeIdentifier(table)} from ${roleId}`,
        `grant select on "daicho".${client.escapeIdentifier(table)} to ${roleId}`,
        `grant insert (${columns.map((column) => client.escapeIdentifier(column)).join(', ')}) on "daicho".${client.escapeIdentifier(table)} to ${roleId}`,
      );
    }
    for (const table of readOnlyTables) {
      statements.push(`revoke all on "daicho".${client.escapeIdentifier(table)} from ${roleId}`, `grant select on "daicho".${client.escapeIdentifier(table)} to ${roleId}`);
    }
    statements.push(`grant execute on function "daicho"."audit_seal"(uuid, integer, boolean) to ${roleId}`);
    for (const statement of statements) await client.query(statement);
    await transferWorkspaceSchemas(client, role);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    if (error instanceof DatabaseSetupError) throw error;
    throw new DatabaseSetupError(`cannot grant the application role "${role}" what it needs: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
}

/**
 * Workspace schemas (`ws_…`, see storage's workspaceSchemaName) made by an earlier version, which
 * connected as the owner, pass to the application role with their tables and sequences.
 */
async function transferWorkspaceSchemas(client: pg.Client, role: string): Promise<void> {
  const roleId = client.escapeIdentifier(role);
  const { rows: schemas } = await client.query<{ name: string }>(
    `select nspname as name from pg_namespace where nspname like 'ws\\_%' and nspowner <> (select oid from pg_roles where rolname = $1)`,
    [role],
  );
  for (const schema of schemas) await client.query(`alter schema ${client.escapeIdentifier(schema.name)} owner to ${roleId}`);
  const relations = async (kinds: string) => (await client.query<{ schema: string; name: string; kind: string }>(
    `select n.nspname as schema, c.relname as name, c.relkind as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname like 'ws\\_%' and c.relkind = any($2::"char"[]) and c.relowner <> (select oid from pg_roles where rolname = $1)`,
    [role, kinds.split('')],
  )).rows;
  // Tables first: their owned sequences follow them; then what is left (free-standing sequences).
  for (const relation of await relations('rpvm')) {
    const keyword = relation.kind === 'v' ? 'view' : relation.kind === 'm' ? 'materialized view' : 'table';
    await client.query(`alter ${keyword} ${client.escapeIdentifier(relation.schema)}.${client.escapeIdentifier(relation.name)} owner to ${roleId}`);
  }
  for (const relation of await relations('S')) {
    await client.query(`alter sequence ${client.escapeIdentifier(relation.schema)}.${client.escapeIdentifier(relation.name)} owner to ${roleId}`);
  }
}
