// A query scope: the root object of one SQL query and the LEFT JOINs its field paths need.
// Filters, sorts, formulas and selected lookup titles compiled against the same scope share
// joins: each distinct lookup path is joined once, under an alias we generate (j1, j2, …).

import { sql, type RawBuilder } from 'kysely';
import type { QueryCatalog, QueryField, QueryObject } from '../catalog.ts';
import { errors } from '../../errors/index.ts';
import type { LookupStep, ResolvedFieldPath } from './field-paths.ts';

/** One LEFT JOIN a scope needs. */
export interface QueryJoin {
  /** The lookup names from the root that lead to the joined object (`account.owner`). */
  key: string;
  alias: string;
  object: QueryObject;
  /** `left join "schema"."table" as "j1" on …`, tenant predicate included. */
  sql: RawBuilder<unknown>;
}

/** Where a path starts: the root, or an object reached through lookups (for formulas of lookups). */
export interface PathBase {
  alias: string;
  /** Lookup names from the root to this object; '' for the root. */
  key: string;
  object: QueryObject;
}

export interface QueryScope {
  readonly catalog: QueryCatalog;
  /** The object whose records the query returns. */
  readonly object: QueryObject;
  /** SQL alias of the root table, as the caller writes it in FROM. */
  readonly alias: string;
  /** The joins paths compiled so far need, in an order where each one's ON refers to earlier ones. */
  readonly joins: readonly QueryJoin[];
  /** The root as a path base. */
  readonly root: PathBase;
  /** Joins (once) the lookups of `steps`, starting at `base`; returns the base of the last object. */
  follow(base: PathBase, steps: readonly LookupStep[]): PathBase;
}

const generatedAliasPattern = /^j\d+$/;
const componentNamePattern = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * Starts a scope for a query over `objectName` whose FROM names its table `alias`.
 * @throws DaichoError `NOT_FOUND` when the catalog has no such object.
 * @example
 * const scope = createQueryScope(catalog, 'deal', 't');
 * const where = compileFilter(filter, scope, context);
 * const query = sql`select t.id from ${tableOf(scope)} as t ${compileJoins(scope)} where ${where}`;
 */
export function createQueryScope(catalog: QueryCatalog, objectName: string, alias = 't'): QueryScope {
  const object = catalog.object(objectName);
  if (!object) throw errors.notFound('Object', objectName);
  if (generatedAliasPattern.test(alias)) throw new Error(`createQueryScope: alias "${alias}" is reserved for joins`);
  const joins: QueryJoin[] = [];
  const byKey = new Map<string, PathBase>();
  const root: PathBase = { alias, key: '', object };

  function follow(base: PathBase, steps: readonly LookupStep[]): PathBase {
    let current = base;
    for (const step of steps) {
      const key = current.key === '' ? step.field.name : `${current.key}.${step.field.name}`;
      let next = byKey.get(key);
      if (!next) {
        const joinAlias = `j${joins.length + 1}`;
        next = { alias: joinAlias, key, object: step.to };
        joins.push({ key, alias: joinAlias, object: step.to, sql: joinSql(current.alias, step.field, step.to, joinAlias) });
        byKey.set(key, next);
      }
      current = next;
    }
    return current;
  }

  return {
    catalog,
    object,
    alias,
    root,
    get joins() {
      return joins;
    },
    follow,
  };
}

function idColumnOf(object: QueryObject): string {
  return object.fields.get('id')?.column ?? 'id';
}

function joinSql(fromAlias: string, lookup: QueryField, target: QueryObject, alias: string): RawBuilder<unknown> {
  if (lookup.column === undefined) throw new Error(`lookup ${lookup.name} has no column`);
  const on = sql`${sql.id(alias, idColumnOf(target))} = ${sql.id(fromAlias, lookup.column)}`;
  // Soft-deleted parents stay joined: a deal still shows its deleted account's name. Shared
  // tables (the platform's users) only join rows of the workspace.
  const tenant = target.tenant ? sql` and ${sql.id(alias, target.tenant.column)} = ${target.tenant.value}` : sql``;
  return sql`left join ${sql.id(target.schema, target.table)} as ${sql.id(alias)} on ${on}${tenant}`;
}

/**
 * `left join … left join …` for every join the scope needs (empty SQL when none). Render it after
 * compiling the filter, sort, formulas and selected paths, which add the joins they need.
 */
export function compileJoins(scope: QueryScope): RawBuilder<unknown> {
  return scope.joins.length === 0 ? sql`` : sql.join(
    scope.joins.map((join) => join.sql),
    sql` `,
  );
}

/** `"schema"."table"` of the scope's root object, for the FROM clause. */
export function tableOf(scope: QueryScope): RawBuilder<unknown> {
  return sql.id(scope.object.schema, scope.object.table);
}

/** The root's tenant predicate, for shared tables (`"t"."workspace_id" = $1`); undefined otherwise. */
export function compileRootTenantPredicate(scope: QueryScope): RawBuilder<boolean> | undefined {
  const tenant = scope.object.tenant;
  return tenant ? sql<boolean>`${sql.id(scope.alias, tenant.column)} = ${tenant.value}` : undefined;
}

/** SQL reading a stored (non-formula) path, plus whether its lookups found a record. */
export interface StoredPathSql {
  value: RawBuilder<unknown>;
  /** `"j2"."id" is not null` when the path follows lookups; undefined for the root's own fields. */
  present: RawBuilder<boolean> | undefined;
  base: PathBase;
}

/**
 * Joins the lookups of `steps` and tells whether they all found a record (`"j2"."id" is not null`);
 * undefined when there are no steps.
 */
export function compilePathPresence(scope: QueryScope, base: PathBase, steps: readonly LookupStep[]): RawBuilder<boolean> | undefined {
  if (steps.length === 0) return undefined;
  const last = scope.follow(base, steps);
  return sql<boolean>`(${sql.id(last.alias, idColumnOf(last.object))} is not null)`;
}

/** Joins what a stored path needs and returns the column (or component) it reads. */
export function compileStoredPath(scope: QueryScope, base: PathBase, resolved: ResolvedFieldPath): StoredPathSql {
  const last = scope.follow(base, resolved.steps);
  const present = compilePathPresence(scope, base, resolved.steps);
  const { field, part } = resolved;
  const column = part.kind === 'currencyCode' ? field.currencyColumn : field.column;
  if (column === undefined) throw new Error(`field ${field.name} has no column for ${part.kind}`);
  if (part.kind === 'component') {
    if (!componentNamePattern.test(part.name)) throw new Error(`component name ${part.name} is not an identifier`);
    // A platform-defined component name, written as a literal so expression indexes can match.
    return { value: sql`(${sql.id(last.alias, column)} ->> ${sql.lit(part.name)})`, present, base: last };
  }
  return { value: sql.id(last.alias, column), present, base: last };
}
