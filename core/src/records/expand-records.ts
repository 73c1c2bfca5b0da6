import type { ObjectDefinition } from '@daicho/sdk';
import { sql, type RawBuilder } from 'kysely';
import { errors } from '../errors/index.ts';
import type { WorkspaceMetadata } from '../metadata/index.ts';
import { compileFieldValue, compileJoins, type QueryCatalog, type QueryContext, type QueryObject, type QueryScope } from '../query/index.ts';
import { fromColumns, rowToRecord } from './record-columns.ts';
import { scopePredicate, selectableFields } from './record-access.ts';
import { formulaContext, selectRecordColumns } from './record-select.ts';
import type { Db, RecordsActor } from './records-context.ts';

/** Lookup paths expand at most this deep (`account.owner` is two). */
export const MAX_EXPAND_DEPTH = 3;

/** A tree of lookups to expand: `{ account: { owner: {} } }`. */
export type ExpandTree = Map<string, ExpandTree>;

/** Checks each path against the catalog (every segment a lookup) and builds the tree. */
export function parseExpand(paths: readonly string[], root: QueryObject, catalog: QueryCatalog): ExpandTree {
  const tree: ExpandTree = new Map();
  for (const path of paths) {
    const segments = path.split('.');
    if (segments.length > MAX_EXPAND_DEPTH) throw errors.invalidQuery('expand', `"${path}" is deeper than ${MAX_EXPAND_DEPTH} lookups`);
    let object = root;
    let node = tree;
    for (const segment of segments) {
      const field = object.fields.get(segment);
      if (!field?.target) throw errors.invalidQuery('expand', `"${path}": ${segment} is not a lookup of ${object.name}`);
      const target = catalog.object(field.target);
      if (!target) throw errors.invalidQuery('expand', `"${path}": ${field.target} is not available`);
      let child = node.get(segment);
      if (!child) {
        child = new Map();
        node.set(segment, child);
      }
      node = child;
      object = target;
    }
  }
  return tree;
}

/** Users as they appear when expanded: who they are, never their credentials. */
async function loadUsers(db: Db, workspaceId: string, ids: string[]): Promise<Map<string, Record<string, unknown>>> {
  const rows = await db.withSchema('daicho').selectFrom('user').select(['id', 'email', 'display_name', 'locale', 'time_zone', 'status'])
    .where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id as string, { id: row.id, email: row.email, displayName: row.display_name, locale: row.locale, timeZone: row.time_zone, status: row.status }]));
}

/**
 * Replaces lookup ids with the referenced records, level by level: one query per lookup field
 * and level (never one per record), whatever the page size.
 */
export async function expandRecords(db: Db, metadata: WorkspaceMetadata, actor: RecordsActor, definition: ObjectDefinition | 'user', records: Array<Record<string, unknown>>, tree: ExpandTree): Promise<void> {
  for (const [fieldName, subtree] of tree) {
    const targetName = definition === 'user' ? undefined : lookupTarget(definition, fieldName);
    if (!targetName) continue;
    const ids = [...new Set(records.map((record) => record[fieldName]).filter((id): id is string => typeof id === 'string'))];
    if (ids.length === 0) continue;
    let loaded: Map<string, Record<string, unknown>>;
    let targetDefinition: ObjectDefinition | 'user';
    if (targetName === 'user') {
      loaded = await loadUsers(db, actor.workspaceId, ids);
      targetDefinition = 'user';
    } else {
      const full = metadata.objects.get(targetName)!.body;
      // Only the fields the actor may read are selected; a record outside their scope stays a bare id.
      const only = selectableFields(actor.access, full, undefined);
      const target = only ? { ...full, fields: full.fields.filter((field) => only.has(field.name)) } : full;
      const context = formulaContext(actor);
      const selection = selectRecordColumns(target, target.name, metadata.catalog, context);
      const scope = actor.access.recordScope(target.name, 'read');
      const inScope = scope ? sql` and ${scopePredicate(scope, selection.scope, context)}` : sql``;
      // Referenced records in the recycle bin still show: the reference is real until purged.
      const { rows } = await sql<Record<string, unknown>>`select ${selection.columns} from ${sql.id(metadata.schema, target.table!)} as r ${compileJoins(selection.scope)}
        where r.id = any(${sql.val(ids)}::uuid[])${inScope}`.execute(db);
      loaded = new Map(rows.map((row) => [row.id as string, rowToRecord(target, row, selection.formulaAliases)]));
      targetDefinition = target;
    }
    const expanded = [...loaded.values()];
    if (subtree.size > 0) await expandRecords(db, metadata, actor, targetDefinition, expanded, subtree);
    for (const record of records) {
      const id = record[fieldName];
      if (typeof id === 'string') record[fieldName] = loaded.get(id) ?? { id };
    }
  }
}

const systemLookups: Record<string, string> = { createdBy: 'user', updatedBy: 'user', ownerId: 'user' };

function lookupTarget(definition: ObjectDefinition, fieldName: string): string | undefined {
  if (systemLookups[fieldName]) return systemLookups[fieldName];
  const field = definition.fields.find((candidate) => candidate.name === fieldName);
  return field && (field.type === 'lookup' || field.type === 'masterDetail') ? field.target : undefined;
}

/** First-level lookups expanded inside the main query (one LEFT JOIN each), and how to read them back. */
export interface JoinedExpansion {
  columns: RawBuilder<unknown>[];
  /** Replaces the lookup ids of `records` with the joined records, then expands deeper levels. */
  apply(db: Db, rows: ReadonlyArray<Record<string, unknown>>, records: Array<Record<string, unknown>>): Promise<void>;
}

const joinedSystemColumns = ['id', 'created_at', 'updated_at', 'created_by', 'updated_by', 'owner_id', 'version', 'deleted_at'];

/**
 * Plans expansion of first-level lookups to objects through the query's own scope: their
 * columns come back with the page, so a page with expanded lookups is one query. Lookups to
 * users, and deeper levels, are loaded in batches afterwards.
 */
export function planJoinedExpansion(metadata: WorkspaceMetadata, actor: RecordsActor, definition: ObjectDefinition, tree: ExpandTree, scope: QueryScope, context: QueryContext, fieldsByPath: Readonly<Record<string, string[]>> = {}): JoinedExpansion {
  const columns: RawBuilder<unknown>[] = [];
  const joined: Array<{ fieldName: string; target: ObjectDefinition; prefix: string; formulaAliases: Map<string, string>; subtree: ExpandTree; sparse: boolean }> = [];
  const batched: ExpandTree = new Map();
  let index = 0;
  for (const [fieldName, subtree] of tree) {
    const targetName = lookupTarget(definition, fieldName);
    const chosenNames = fieldsByPath[fieldName];
    const targetDefinition = targetName && targetName !== 'user' ? metadata.objects.get(targetName)?.body : undefined;
    for (const name of chosenNames ?? []) {
      if (targetDefinition && (!targetDefinition.fields.some((field) => field.name === name) || actor.access.fieldAccess(targetDefinition.name, name) === 'none')) {
        throw errors.invalidQuery(`fields.${fieldName}`, `names an unknown field "${name}" of ${targetDefinition.name}`);
      }
    }
    // Targets the actor sees only in part (sharing) are loaded in a second query that applies their scope.
    const scoped = targetName !== undefined && targetName !== 'user' && actor.access.recordScope(targetName, 'read') !== undefined;
    const target = targetName && targetName !== 'user' && !scoped ? metadata.objects.get(targetName)?.body : undefined;
    if (!target) {
      batched.set(fieldName, subtree);
      continue;
    }
    // Compiling the path joins the lookup (once); the join's alias then reads its columns.
    compileFieldValue(`${fieldName}.id`, scope, context);
    const join = scope.joins.find((candidate) => candidate.key === fieldName)!;
    const prefix = `x${index++}_`;
    const only = chosenNames;
    // With chosen fields (`fields.account=name`) and nothing deeper to expand, the expanded record
    // is just its id and those fields: what a list column needs, at a fraction of the bytes.
    const sparse = only !== undefined && subtree.size === 0;
    for (const column of sparse ? ['id'] : joinedSystemColumns) columns.push(sql`${sql.ref(`${join.alias}.${column}`)} as ${sql.id(`${prefix}${column}`)}`);
    const formulaAliases = new Map<string, string>();
    const readable = selectableFields(actor.access, target, only ? new Set(only) : undefined);
    const chosen = readable ? { ...target, fields: target.fields.filter((field) => readable.has(field.name)) } : target;
    chosen.fields.forEach((field, fieldIndex) => {
      if (field.type === 'formula') {
        const alias = `fx_${fieldIndex}`;
        formulaAliases.set(field.name, alias);
        columns.push(sql`${compileFieldValue(`${fieldName}.${field.name}`, scope, context)} as ${sql.id(`${prefix}${alias}`)}`);
        return;
      }
      columns.push(sql`${sql.ref(`${join.alias}.${field.column!}`)} as ${sql.id(`${prefix}${field.column!}`)}`);
      if (field.type === 'currency') columns.push(sql`${sql.ref(`${join.alias}.${field.column!}_cur`)} as ${sql.id(`${prefix}${field.column!}_cur`)}`);
    });
    joined.push({ fieldName, target: chosen, prefix, formulaAliases, subtree, sparse });
  }
  return {
    columns,
    async apply(db, rows, records) {
      for (const { fieldName, target, prefix, formulaAliases, subtree, sparse } of joined) {
        const expanded: Array<Record<string, unknown>> = [];
        // Which row keys hold this lookup's columns, worked out once for the page.
        const keys = rows.length > 0 ? Object.keys(rows[0]!).filter((key) => key.startsWith(prefix)).map((key) => [key, key.slice(prefix.length)] as const) : [];
        rows.forEach((row, position) => {
          if (row[`${prefix}id`] === null || row[`${prefix}id`] === undefined) return;
          const subrow: Record<string, unknown> = {};
          for (const [key, column] of keys) subrow[column] = row[key];
          const record = sparse ? sparseRecord(target, subrow, formulaAliases) : rowToRecord(target, subrow, formulaAliases);
          records[position]![fieldName] = record;
          expanded.push(record);
        });
        if (subtree.size > 0) await expandRecords(db, metadata, actor, target, expanded, subtree);
      }
      if (batched.size > 0) await expandRecords(db, metadata, actor, definition, records, batched);
    },
  };
}

/** An expanded record reduced to its id and the chosen fields. */
function sparseRecord(target: ObjectDefinition, row: Record<string, unknown>, formulaAliases: ReadonlyMap<string, string>): Record<string, unknown> {
  const record: Record<string, unknown> = { id: row.id };
  for (const field of target.fields) {
    const alias = field.type === 'formula' ? formulaAliases.get(field.name) : undefined;
    record[field.name] = fromColumns(field, row, alias);
  }
  return record;
}
