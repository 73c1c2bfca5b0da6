import type { FieldDefinition, ObjectDefinition } from '@daicho/sdk';
import { sql, type RawBuilder } from 'kysely';
import { compileFormula, createQueryContext, createQueryScope, type QueryCatalog, type QueryContext, type QueryScope } from '../query/index.ts';
import type { RecordsActor } from './records-context.ts';

/** System columns every record query selects. */
export const systemColumns = ['id', 'created_at', 'updated_at', 'created_by', 'updated_by', 'owner_id', 'version', 'deleted_at'] as const;

/** The alias of the queried table in every records query. */
export const ROOT_ALIAS = 'r';

export interface RecordSelection {
  /** The SELECT list. */
  columns: RawBuilder<unknown>;
  /** Which output alias holds each formula field's value. */
  formulaAliases: Map<string, string>;
  scope: QueryScope;
}

/** The context filters and formulas of a request run in: its user, the time, their time zone. */
export function formulaContext(actor: RecordsActor): QueryContext {
  return createQueryContext({ userId: actor.userId, timeZone: actor.timeZone });
}

/**
 * The columns of a records query: system columns, stored fields (only those asked for, when
 * `only` is given) and formula fields computed in SQL, so that they can also be filtered and sorted.
 */
export function selectRecordColumns(definition: ObjectDefinition, objectName: string, catalog: QueryCatalog, context: QueryContext, only?: ReadonlySet<string>): RecordSelection {
  const scope = createQueryScope(catalog, objectName, ROOT_ALIAS);
  const parts: RawBuilder<unknown>[] = systemColumns.map((column) => sql.ref(`${ROOT_ALIAS}.${column}`));
  const formulaAliases = new Map<string, string>();
  definition.fields.forEach((field: FieldDefinition, index) => {
    if (only && !only.has(field.name)) return;
    if (field.type === 'formula') {
      const alias = `fx_${index}`;
      formulaAliases.set(field.name, alias);
      parts.push(sql`${compileFormula(field.expression, scope, context)} as ${sql.id(alias)}`);
      return;
    }
    parts.push(sql.ref(`${ROOT_ALIAS}.${field.column!}`));
    if (field.type === 'currency') parts.push(sql.ref(`${ROOT_ALIAS}.${field.column!}_cur`));
  });
  return { columns: sql.join(parts), formulaAliases, scope };
}
