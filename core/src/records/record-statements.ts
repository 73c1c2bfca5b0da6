import type { ObjectDefinition } from '@daicho/sdk';
import { CompiledQuery, sql } from 'kysely';
import type { WorkspaceMetadata } from '../metadata/index.ts';
import { compileJoins } from '../query/index.ts';
import { rowToRecord } from './record-columns.ts';
import { formulaContext, ROOT_ALIAS, selectRecordColumns } from './record-select.ts';
import { scopePredicate } from './record-access.ts';
import type { Db, RecordScope, RecordsActor } from './records-context.ts';

// Statements compiled by Kysely once per workspace snapshot and statement shape, then run as
// text: the hot paths (read by id, single-statement writes) skip building SQL on every request.

/** A record in API shape, with its id and version. */
export type ApiRecord = Record<string, unknown> & { id: string; version: number };

/** What a records query needs to know about the object it reads. */
export interface StatementTarget {
  metadata: WorkspaceMetadata;
  definition: ObjectDefinition;
}

/** A compiled read-by-id statement, reusable while the workspace's definitions stay the same. */
interface ByIdStatement {
  text: string;
  formulaAliases: Map<string, string>;
}

const ID_PLACEHOLDER = '00000000-0000-0000-0000-000000000000';
// Per workspace snapshot (a definition change makes a new snapshot, and so fresh statements).
const byIdStatements = new WeakMap<WorkspaceMetadata, Map<string, ByIdStatement>>();

// Compiled write statements, per workspace snapshot and statement shape (which columns it sets).
const writeStatements = new WeakMap<WorkspaceMetadata, Map<string, string>>();

/**
 * A write statement for these parameters: compiled by Kysely the first time a shape is seen,
 * then reused as text. The builder must bind exactly `parameters`, in order (checked the first
 * time: a mismatch compiles afresh each time instead of caching).
 */
export function cachedStatement(metadata: WorkspaceMetadata, key: string, build: () => CompiledQuery, parameters: readonly unknown[]): CompiledQuery {
  let statements = writeStatements.get(metadata);
  if (!statements) {
    statements = new Map();
    writeStatements.set(metadata, statements);
  }
  const text = statements.get(key);
  if (text !== undefined) return CompiledQuery.raw(text, [...parameters]);
  const compiled = build();
  const same = compiled.parameters.length === parameters.length && compiled.parameters.every((value, index) => value === parameters[index]);
  if (same && statements.size < 1000) statements.set(key, compiled.sql);
  return compiled;
}

/**
 * Reads one record (live, or in the recycle bin when asked) with its computed fields; with a
 * `scope`, only when the record is inside it (so a record outside reads as absent).
 */
export async function selectRecordById(db: Db, resolved: StatementTarget, actor: RecordsActor, id: string, options: { deleted?: boolean; forUpdate?: boolean; scope?: RecordScope } = {}): Promise<ApiRecord | undefined> {
  const { definition, metadata } = resolved;
  if (options.scope) {
    const context = formulaContext(actor);
    const selection = selectRecordColumns(definition, definition.name, metadata.catalog, context);
    // Compiled before the joins are listed: a sharing rule's path through a lookup adds its join.
    const inScope = scopePredicate(options.scope, selection.scope, context);
    const { rows } = await sql<Record<string, unknown>>`select ${selection.columns} from ${sql.id(metadata.schema, definition.table!)} as ${sql.id(ROOT_ALIAS)} ${compileJoins(selection.scope)}
      where ${sql.ref(`${ROOT_ALIAS}.id`)} = ${id} and ${sql.ref(`${ROOT_ALIAS}.deleted_at`)} ${options.deleted ? sql`is not null` : sql`is null`}
      and ${inScope}${options.forUpdate ? sql` for update of ${sql.id(ROOT_ALIAS)}` : sql``}`.execute(db);
    return rows[0] && (rowToRecord(definition, rows[0], selection.formulaAliases) as ApiRecord);
  }
  const key = `${definition.name}|${options.deleted ? 'd' : 'l'}|${options.forUpdate ? 'u' : 'r'}|${actor.timeZone}`;
  let statements = byIdStatements.get(metadata);
  if (!statements) {
    statements = new Map();
    byIdStatements.set(metadata, statements);
  }
  let cached = statements.get(key);
  if (!cached) {
    const selection = selectRecordColumns(definition, definition.name, metadata.catalog, formulaContext(actor));
    const deleted = options.deleted ? sql`is not null` : sql`is null`;
    const lock = options.forUpdate ? sql` for update of ${sql.id(ROOT_ALIAS)}` : sql``;
    const statement = sql<Record<string, unknown>>`select ${selection.columns} from ${sql.id(metadata.schema, definition.table!)} as ${sql.id(ROOT_ALIAS)} ${compileJoins(selection.scope)}
      where ${sql.ref(`${ROOT_ALIAS}.id`)} = ${ID_PLACEHOLDER} and ${sql.ref(`${ROOT_ALIAS}.deleted_at`)} ${deleted}${lock}`;
    const compiled = statement.compile(db);
    // Only a statement whose one parameter is the id can be reused (formulas using TODAY()
    // or NOW() bind the time, so theirs are compiled afresh each time).
    if (compiled.parameters.length !== 1 || compiled.parameters[0] !== ID_PLACEHOLDER) {
      const { rows } = await sql<Record<string, unknown>>`select ${selection.columns} from ${sql.id(metadata.schema, definition.table!)} as ${sql.id(ROOT_ALIAS)} ${compileJoins(selection.scope)}
        where ${sql.ref(`${ROOT_ALIAS}.id`)} = ${id} and ${sql.ref(`${ROOT_ALIAS}.deleted_at`)} ${deleted}${lock}`.execute(db);
      return rows[0] && (rowToRecord(definition, rows[0], selection.formulaAliases) as ApiRecord);
    }
    cached = { text: compiled.sql, formulaAliases: selection.formulaAliases };
    statements.set(key, cached);
  }
  const { rows } = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(cached.text, [id]));
  return rows[0] && (rowToRecord(definition, rows[0], cached.formulaAliases) as ApiRecord);
}

