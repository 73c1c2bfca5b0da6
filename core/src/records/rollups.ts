import type { ObjectDefinition, RollupField } from '@daicho/sdk';
import { sql, type RawBuilder } from 'kysely';
import { compileFilter, compileJoins, createQueryScope, validateFilter } from '../query/index.ts';
import type { WorkspaceMetadata } from '../metadata/index.ts';
import type { Db, RecordsActor } from './records-context.ts';
import { formulaContext } from './record-select.ts';

/** A roll-up field of some parent object that aggregates children of a given object. */
interface RollupDependency {
  parent: ObjectDefinition;
  field: RollupField;
}

/** Roll-ups are maintained up to this many levels (a roll-up of roll-ups of roll-ups…). */
const MAX_ROLLUP_DEPTH = 5;

function dependenciesOn(metadata: WorkspaceMetadata, childObject: string): RollupDependency[] {
  const found: RollupDependency[] = [];
  for (const stored of metadata.objects.values()) {
    for (const field of stored.body.fields) {
      if (field.type === 'rollup' && field.childObject === childObject) found.push({ parent: stored.body, field });
    }
  }
  return found;
}

function aggregateExpression(field: RollupField, child: ObjectDefinition, alias: string): RawBuilder<unknown> {
  if (field.function === 'count') return sql`count(*)`;
  const aggregated = child.fields.find((candidate) => candidate.name === field.aggregateField)!;
  const column = sql.ref(`${alias}.${aggregated.column!}`);
  const fn = sql.raw(field.function);
  // An empty sum is 0, as a person expects; an empty min/max/avg has no value.
  return field.function === 'sum' ? sql`coalesce(sum(${column}), 0)` : sql`${fn}(${column})`;
}

/** The UPDATE that recomputes one roll-up for the given parents (all parents when `ids` is absent). */
export function rollupRecomputeStatement(metadata: WorkspaceMetadata, actor: RecordsActor, dependency: RollupDependency, ids?: readonly string[]): RawBuilder<unknown> {
  const { parent, field } = dependency;
  const child = metadata.objects.get(field.childObject)!.body;
  const relation = child.fields.find((candidate) => candidate.name === field.relationshipField)!;
  const scope = createQueryScope(metadata.catalog, child.name, 'c');
  const filter = field.filter === undefined ? sql`true` : compileFilter(validateFilter(field.filter, metadata.catalog.object(child.name)!, metadata.catalog), scope, formulaContext(actor));
  const parentTable = sql.id(metadata.schema, parent.table!);
  const childTable = sql.id(metadata.schema, child.table!);
  const restriction = ids ? sql` and p.id = any(${sql.val(ids)}::uuid[])` : sql``;
  return sql`update ${parentTable} as p set ${sql.id(field.column!)} = (
      select ${aggregateExpression(field, child, 'c')} from ${childTable} as c ${compileJoins(scope)}
      where ${sql.ref(`c.${relation.column!}`)} = p.id and c.deleted_at is null and ${filter}
    ) where true${restriction}`;
}

/**
 * Recomputes the roll-ups that aggregate `childObject`, for the parents whose children changed
 * (both the old and the new parent when a child moved), then the roll-ups above those parents.
 * Only the affected parents are touched, inside the caller's transaction.
 */
export async function refreshRollups(db: Db, metadata: WorkspaceMetadata, actor: RecordsActor, childObject: string, changes: ReadonlyArray<{ before?: Record<string, unknown>; after?: Record<string, unknown> }>, depth = 0): Promise<void> {
  if (depth >= MAX_ROLLUP_DEPTH) return;
  for (const dependency of dependenciesOn(metadata, childObject)) {
    const ids = new Set<string>();
    for (const change of changes) {
      for (const side of [change.before, change.after]) {
        const parentId = side?.[dependency.field.relationshipField];
        if (typeof parentId === 'string') ids.add(parentId);
      }
    }
    if (ids.size === 0) continue;
    await rollupRecomputeStatement(metadata, actor, dependency, [...ids]).execute(db);
    // The parents changed: roll-ups over them (one level up) follow.
    if (dependenciesOn(metadata, dependency.parent.name).length > 0) {
      const parents = await relationValues(db, metadata, dependency.parent, [...ids]);
      await refreshRollups(db, metadata, actor, dependency.parent.name, parents.map((after) => ({ after })), depth + 1);
    }
  }
}

/** The lookup and masterDetail values of some records, by field name. */
async function relationValues(db: Db, metadata: WorkspaceMetadata, object: ObjectDefinition, ids: string[]): Promise<Array<Record<string, unknown>>> {
  const relations = object.fields.filter((field) => field.type === 'lookup' || field.type === 'masterDetail');
  if (relations.length === 0) return [];
  const columns = relations.map((field) => sql`${sql.ref(field.column!)} as ${sql.id(field.name)}`);
  const { rows } = await sql<Record<string, unknown>>`select ${sql.join(columns)} from ${sql.id(metadata.schema, object.table!)} where id = any(${sql.val(ids)}::uuid[])`.execute(db);
  return rows;
}

/**
 * Recomputes every roll-up field of an object for all its records: used when a roll-up is
 * created or its definition changes (the incremental path covers child changes afterwards).
 */
export async function refreshAllRollups(db: Db, metadata: WorkspaceMetadata, actor: RecordsActor, objectName: string, fieldNames?: readonly string[]): Promise<void> {
  const parent = metadata.objects.get(objectName)?.body;
  if (!parent) return;
  for (const field of parent.fields) {
    if (field.type !== 'rollup' || (fieldNames && !fieldNames.includes(field.name))) continue;
    await rollupRecomputeStatement(metadata, actor, { parent, field }).execute(db);
  }
}
