import pg from 'pg';

/** Runs one query on a database by URL (for asserting on what is physically stored). */
export async function queryDatabase<T = Record<string, unknown>>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Columns of a table with their types, in order. */
export async function tableColumns(url: string, schema: string, table: string): Promise<Array<{ column: string; type: string }>> {
  return queryDatabase(url, `select column_name as column, format_type(a.atttypid, a.atttypmod) as type
    from information_schema.columns c join pg_attribute a on a.attname = c.column_name
    join pg_class t on t.oid = a.attrelid and t.relname = c.table_name join pg_namespace n on n.oid = t.relnamespace and n.nspname = c.table_schema
    where c.table_schema = $1 and c.table_name = $2 order by c.ordinal_position`, [schema, table]);
}

/** Index and constraint definitions of a table, normalised for comparison. */
export async function tableIndexes(url: string, schema: string, table: string): Promise<string[]> {
  const rows = await queryDatabase<{ definition: string }>(url, `select regexp_replace(indexdef, '^.* USING ', '') as definition from pg_indexes where schemaname = $1 and tablename = $2 order by indexname`, [schema, table]);
  return rows.map((row) => row.definition);
}

export function workspaceSchema(workspaceId: string): string {
  return `ws_${workspaceId.replaceAll('-', '')}`;
}
