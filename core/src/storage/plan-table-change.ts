import { createHash } from 'node:crypto';
import type { FieldDefinition, ObjectDefinition } from '@daicho/sdk';
import { sql, type RawBuilder } from 'kysely';
import { columnsForField, indexCapableTypes, needsNewColumn, uniqueCapableTypes } from './column-types.ts';

/** Where a table lives. */
export interface TableRef {
  schema: string;
  table: string;
}

export interface PlanContext {
  /** The workspace's schema, where this object's table lives. */
  schema: string;
  /** The table of a lookup target by object name (`user` → the platform's users). */
  resolveTarget(objectName: string): TableRef | undefined;
}

/**
 * Phases order the steps of several objects' plans: every table exists before any foreign key
 * points at it. `concurrent` steps run after the transaction commits (CREATE INDEX
 * CONCURRENTLY cannot run inside one) and must be idempotent.
 */
export type DdlPhase = 'table' | 'column' | 'data' | 'constraint' | 'index' | 'concurrent';
export const ddlPhases: readonly DdlPhase[] = ['table', 'column', 'data', 'constraint', 'index', 'concurrent'];

export interface DdlStep {
  phase: DdlPhase;
  /** What the step does, for previews and logs. */
  description: string;
  statement: RawBuilder<unknown>;
}

const id = (...parts: string[]) => sql.id(...parts);

/** A deterministic, short, unique-enough index or constraint name within 63 characters. */
export function constraintName(prefix: string, table: string, column: string): string {
  const hash = createHash('sha256').update(`${table}.${column}`).digest('hex').slice(0, 8);
  return `${prefix}_${table.slice(0, 25)}_${column.slice(0, 20)}_${hash}`;
}

function columnDdl(field: FieldDefinition) {
  return columnsForField(field).map((spec) => sql`${id(spec.name)} ${sql.raw(spec.sqlType)}`);
}

function foreignKeyStep(field: FieldDefinition, table: TableRef, ctx: PlanContext): DdlStep | undefined {
  if (field.type !== 'lookup' && field.type !== 'masterDetail') return undefined;
  const target = ctx.resolveTarget(field.target);
  if (!target) throw new Error(`lookup target ${field.target} has no table`);
  const onDelete = field.type === 'masterDetail' ? 'cascade' : field.onDelete === 'restrict' ? 'restrict' : 'set null';
  const name = constraintName('fk', table.table, field.column!);
  return {
    phase: 'constraint',
    description: `reference ${field.target} from ${field.name} (on delete ${onDelete})`,
    statement: sql`alter table ${id(table.schema, table.table)} add constraint ${id(name)} foreign key (${id(field.column!)}) references ${id(target.schema, target.table)} (${id('id')}) on delete ${sql.raw(onDelete)}`,
  };
}

function dropForeignKeyStep(field: FieldDefinition, table: TableRef): DdlStep | undefined {
  if (field.type !== 'lookup' && field.type !== 'masterDetail') return undefined;
  const name = constraintName('fk', table.table, field.column!);
  return {
    phase: 'constraint',
    description: `stop enforcing the reference of ${field.name}`,
    statement: sql`alter table ${id(table.schema, table.table)} drop constraint if exists ${id(name)}`,
  };
}

function wantsUnique(field: FieldDefinition): boolean {
  return field.type === 'autoNumber' || (Boolean(field.unique) && uniqueCapableTypes.has(field.type));
}

function wantsIndex(field: FieldDefinition): boolean {
  return !wantsUnique(field) && (field.type === 'lookup' || field.type === 'masterDetail' || (Boolean(field.indexed) && indexCapableTypes.has(field.type)));
}

/**
 * Indexes are built CONCURRENTLY after commit, so that adding one to a large table never blocks
 * writers; unique ones cover live records only, so the recycle bin does not hold values hostage.
 */
function indexSteps(field: FieldDefinition, table: TableRef, concurrently = true): DdlStep[] {
  const column = field.column!;
  const phase: DdlPhase = concurrently ? 'concurrent' : 'index';
  const how = sql.raw(concurrently ? 'concurrently ' : '');
  if (wantsUnique(field)) {
    const name = constraintName('uq', table.table, column);
    return [{
      phase,
      description: `keep ${field.name} unique among live records`,
      statement: sql`create unique index ${how}if not exists ${id(name)} on ${id(table.schema, table.table)} (${id(column)}) where ${id('deleted_at')} is null`,
    }];
  }
  if (wantsIndex(field)) {
    const name = constraintName('ix', table.table, column);
    return [{
      phase,
      description: `index ${field.name}`,
      statement: sql`create index ${how}if not exists ${id(name)} on ${id(table.schema, table.table)} (${id(column)})`,
    }];
  }
  return [];
}

function dropIndexSteps(field: FieldDefinition, table: TableRef): DdlStep[] {
  return (['uq', 'ix'] as const).map((prefix) => ({
    phase: 'index' as const,
    description: `drop the ${prefix === 'uq' ? 'unique ' : ''}index of ${field.name}`,
    statement: sql`drop index if exists ${id(table.schema, constraintName(prefix, table.table, field.column!))}`,
  }));
}

function sequenceName(table: string, column: string): string {
  return constraintName('seq', table, column);
}

function autoNumberSteps(field: FieldDefinition, table: TableRef): DdlStep[] {
  if (field.type !== 'autoNumber') return [];
  const start = field.startAt ?? 1;
  if (!Number.isInteger(start) || start < 0) throw new Error('invalid startAt');
  return [{
    phase: 'column',
    description: `counter for ${field.name} starting at ${start}`,
    statement: sql`create sequence if not exists ${id(table.schema, sequenceName(table.table, field.column!))} minvalue 0 start with ${sql.raw(String(start))}`,
  }];
}

/** The sequence that numbers an autoNumber field. */
export function autoNumberSequence(table: TableRef, field: FieldDefinition): TableRef {
  return { schema: table.schema, table: sequenceName(table.table, field.column!) };
}

function addFieldSteps(field: FieldDefinition, table: TableRef, ctx: PlanContext): DdlStep[] {
  const columns = columnDdl(field);
  const steps: DdlStep[] = autoNumberSteps(field, table);
  for (const column of columns) {
    steps.push({ phase: 'column', description: `add a column for ${field.name}`, statement: sql`alter table ${id(table.schema, table.table)} add column ${column}` });
  }
  const fk = columns.length > 0 ? foreignKeyStep(field, table, ctx) : undefined;
  if (fk) steps.push(fk);
  if (columns.length > 0) steps.push(...indexSteps(field, table));
  return steps;
}

function createTableSteps(next: ObjectDefinition, table: TableRef, ctx: PlanContext): DdlStep[] {
  // Deleted fields of an imported definition get their (empty) columns too, so the table matches the definition.
  const columns = [...next.fields, ...(next.deletedFields ?? []).map((entry) => entry.field)].flatMap(columnDdl);
  const steps: DdlStep[] = next.fields.flatMap((field) => autoNumberSteps(field, table));
  steps.push({
    phase: 'table',
    description: `create the table of ${next.name}`,
    statement: sql`create table ${id(table.schema, table.table)} (
      ${id('id')} uuid primary key,
      ${id('created_at')} timestamptz(3) not null default now(),
      ${id('updated_at')} timestamptz(3) not null default now(),
      ${id('created_by')} uuid,
      ${id('updated_by')} uuid,
      ${id('owner_id')} uuid,
      ${id('version')} integer not null default 1,
      ${id('deleted_at')} timestamptz(3),
      ${id('search_text')} text not null default ''${columns.length > 0 ? sql`, ${sql.join(columns)}` : sql``}
    )`,
  });
  steps.push({
    phase: 'index',
    description: `index the owner of ${next.name} records`,
    statement: sql`create index ${id(constraintName('ix', table.table, 'owner_id'))} on ${id(table.schema, table.table)} (${id('owner_id')})`,
  });
  for (const field of next.fields) {
    if (columnsForField(field).length === 0) continue;
    const fk = foreignKeyStep(field, table, ctx);
    if (fk) steps.push(fk);
    // A new table is empty: a plain CREATE INDEX is instant and stays inside the transaction.
    steps.push(...indexSteps(field, table, false));
  }
  return steps;
}

/**
 * The DDL that turns the table of `previous` into the table of `next` (or creates it when there
 * is no previous). Labels, help texts, picklist values and constraints enforced in the records
 * layer change no DDL. Field removal keeps the column (the field moves to `deletedFields`);
 * only a purge drops it.
 */
export function planTableChange(previous: ObjectDefinition | undefined, next: ObjectDefinition, ctx: PlanContext): DdlStep[] {
  if (!next.table) throw new Error(`object ${next.name} has no table assigned`);
  const table: TableRef = { schema: ctx.schema, table: next.table };
  if (!previous) return createTableSteps(next, table, ctx);

  const steps: DdlStep[] = [];
  const before = new Map(previous.fields.map((field) => [field.id, field]));
  const after = new Map(next.fields.map((field) => [field.id, field]));
  const deletedBefore = new Map((previous.deletedFields ?? []).map((entry) => [entry.field.column, entry.field]));
  const deletedAfter = new Set((next.deletedFields ?? []).map((entry) => entry.field.column));

  for (const field of next.fields) {
    const old = before.get(field.id);
    if (!old) {
      const restored = deletedBefore.get(field.column);
      if (restored && restored.column === field.column) {
        const fk = foreignKeyStep(field, table, ctx);
        if (fk) steps.push(fk);
        steps.push(...indexSteps(field, table));
      } else {
        steps.push(...addFieldSteps(field, table, ctx));
      }
      continue;
    }
    if (old.column !== field.column) {
      // A type change: the new column is added here; the data step fills it (see convertColumn).
      steps.push(...addFieldSteps(field, table, ctx));
      const fk = dropForeignKeyStep(old, table);
      if (fk) steps.push(fk);
      continue;
    }
    if (needsNewColumn(old, field)) throw new Error(`field ${field.name} changes its storage without a new column`);
    const [oldSpec] = columnsForField(old);
    const [newSpec] = columnsForField(field);
    if (oldSpec && newSpec && oldSpec.sqlType !== newSpec.sqlType) {
      steps.push({
        phase: 'column',
        description: `widen ${field.name} to ${newSpec.sqlType}`,
        statement: sql`alter table ${id(table.schema, table.table)} alter column ${id(newSpec.name)} type ${sql.raw(newSpec.sqlType)}`,
      });
    }
    const hadIndex = wantsUnique(old) || wantsIndex(old);
    const sameIndex = wantsUnique(old) === wantsUnique(field) && wantsIndex(old) === wantsIndex(field);
    if (!sameIndex) {
      if (hadIndex) steps.push(...dropIndexSteps(old, table));
      steps.push(...indexSteps(field, table));
    }
    if ((old.type === 'lookup' && field.type === 'lookup' && (old.onDelete ?? 'setNull') !== (field.onDelete ?? 'setNull'))) {
      steps.push(dropForeignKeyStep(old, table)!, foreignKeyStep(field, table, ctx)!);
    }
  }

  for (const old of previous.fields) {
    if (after.has(old.id)) continue;
    // Deleted: hidden at once, the column and its data kept; references no longer enforced.
    const fk = dropForeignKeyStep(old, table);
    if (fk) steps.push(fk);
    if (wantsUnique(old) || wantsIndex(old)) steps.push(...dropIndexSteps(old, table));
  }

  for (const [column, old] of deletedBefore) {
    if (deletedAfter.has(column) || next.fields.some((field) => field.column === column)) continue;
    // Purged after the retention period: now the data goes.
    for (const spec of columnsForField(old)) {
      steps.push({ phase: 'column', description: `drop the column of deleted field ${old.name}`, statement: sql`alter table ${id(table.schema, table.table)} drop column if exists ${id(spec.name)}` });
    }
    if (old.type === 'autoNumber') {
      steps.push({ phase: 'column', description: `drop the counter of ${old.name}`, statement: sql`drop sequence if exists ${id(table.schema, sequenceName(table.table, old.column!))}` });
    }
  }
  return steps;
}
