import type { ObjectDefinition } from '@daicho/sdk';
import { sql, type CompiledQuery } from 'kysely';
import { auditInsertFrom, auditParameters } from '../audit/index.ts';
import { auditContextOf, auditedFields, changesSql } from './record-audit.ts';
import type { StatementTarget } from './record-statements.ts';
import type { Db, RecordsActor } from './records-context.ts';

// Writes that are one statement with their audit event: the event is inserted by a
// data-modifying CTE of the same statement, so a write stays one round trip and the event
// commits (or not) with it.

/** A statement ready for cachedStatement: its cache key, how to build it, and what it binds. */
export interface AuditedStatement {
  key: string;
  build: () => CompiledQuery;
  parameters: unknown[];
}

/** System and stored columns, for RETURNING (formulas excluded: they need the query scope). */
export function returningColumns(definition: ObjectDefinition): string[] {
  const columns = ['id', 'created_at', 'updated_at', 'created_by', 'updated_by', 'owner_id', 'version', 'deleted_at'];
  for (const field of definition.fields) {
    if (field.type === 'formula') continue;
    columns.push(field.column!);
    if (field.type === 'currency') columns.push(`${field.column}_cur`);
  }
  return columns;
}

/** INSERT … RETURNING the record, and its `record.create` event with every value set. */
export function insertWithAudit(db: Db, target: StatementTarget, actor: RecordsActor, values: Record<string, unknown>): AuditedStatement {
  const { definition, metadata } = target;
  const context = auditContextOf(actor);
  return {
    key: `insert|${definition.name}|${Object.keys(values).join(',')}`,
    build: () => {
      const insert = db.withSchema(metadata.schema).insertInto(definition.table!).values(values).returning(returningColumns(definition));
      const audit = auditInsertFrom(context, { kind: 'record.create', objectName: definition.name, recordId: sql.ref('r.id'), changes: changesSql(auditedFields(definition), undefined, 'r') }, sql`r`);
      return sql`with r as (${insert}), a as (${audit}) select * from r`.compile(db);
    },
    parameters: [...Object.values(values), ...auditParameters(context, definition.name)],
  };
}

export interface AuditedUpdateOptions {
  /** Write only if the record is at this version. */
  expected?: number;
  /** New search text, when the change touches searched fields. */
  searchText?: string;
}

/**
 * Locks the live record (at the expected version), updates the columns in `values` and returns
 * the record; its `record.update` event lists the fields whose value changed, before and after.
 * No row back means gone or at another version.
 */
export function updateWithAudit(db: Db, target: StatementTarget, actor: RecordsActor, id: string, values: Record<string, unknown>, options: AuditedUpdateOptions = {}): AuditedStatement {
  const { definition, metadata } = target;
  const context = auditContextOf(actor);
  const columns = Object.keys(values);
  const changed = auditedFields(definition).filter((field) => field.column !== undefined && columns.includes(field.column));
  const expected = options.expected;
  const searched = options.searchText !== undefined;
  return {
    key: `update|${definition.name}|${columns.join(',')}|${expected === undefined ? 'any' : 'version'}|${searched ? 's' : ''}`,
    build: () => {
      const table = sql.id(metadata.schema, definition.table!);
      const versionCheck = expected === undefined ? sql`` : sql` and version = ${expected}`;
      const sets = [
        ...columns.map((column) => sql`${sql.id(column)} = ${values[column]}`),
        sql`version = t.version + 1`,
        sql`updated_at = now()`,
        sql`updated_by = ${actor.userId}`,
        ...(searched ? [sql`search_text = ${options.searchText}`] : []),
      ];
      const old = sql`select id${sql.join(columns.map((column) => sql`, ${sql.id(column)}`), sql``)} from ${table} where id = ${id} and deleted_at is null${versionCheck} for update`;
      const update = sql`update ${table} as t set ${sql.join(sets)} from old where t.id = old.id
        returning ${sql.join(returningColumns(definition).map((column) => sql.ref(`t.${column}`)))}`;
      const audit = auditInsertFrom(context, { kind: 'record.update', objectName: definition.name, recordId: sql.ref('r.id'), changes: changesSql(changed, 'old', 'r') }, sql`r join old on old.id = r.id`);
      return sql`with old as (${old}), r as (${update}), a as (${audit}) select * from r`.compile(db);
    },
    parameters: [id, ...(expected === undefined ? [] : [expected]), ...Object.values(values), actor.userId, ...(searched ? [options.searchText] : []), ...auditParameters(context, definition.name)],
  };
}
