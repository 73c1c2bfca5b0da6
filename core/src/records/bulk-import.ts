import type { FieldDefinition, ObjectDefinition } from '@daicho/sdk';
import { sql } from 'kysely';
import { generateUuidV7 } from '../db/index.ts';
import { DaichoError, errors, type InputProblem } from '../errors/index.ts';
import { autoNumberSequence, columnsForField } from '../storage/index.ts';
import { auditInsertFrom } from '../audit/index.ts';
import { formatAutoNumber } from './auto-number.ts';
import { updateWithAudit } from './audited-write-statements.ts';
import { auditContextOf } from './record-audit.ts';
import { normalizeRecordInput } from './normalize-record.ts';
import { assertObjectAction, fieldWriteProblems } from './record-access.ts';
import { hasDefault } from './record-input-schema.ts';
import { toColumns } from './record-columns.ts';
import { kyselyOf, type Db, type RecordsActor, type RecordsDeps } from './records-context.ts';
import { mapDatabaseError, resolveObject, type ResolvedObject } from './records.service.ts';
import { refreshRollups } from './rollups.ts';
import { buildSearchText } from './search-text.ts';
import { validateRecordInput } from './validate-record.ts';

export const MAX_IMPORT_ROWS = 100_000;

export interface ImportOptions {
  /** `atomic`: all rows or none (one transaction). `partial`: valid rows are written, bad rows reported. */
  mode?: 'atomic' | 'partial';
  /** Rows are duplicates when these fields are equal after normalisation (within the file or with existing records). */
  duplicates?: { fields: string[]; action: 'skip' | 'update' | 'error' };
  /** Row numbers in reports start here (default 1). */
  firstRowNumber?: number;
  /** The number to report for each row (a CSV file's line numbers), instead of counting. */
  rowNumbers?: readonly number[];
}

export interface ImportRowError {
  row: number;
  problems: InputProblem[];
}

export interface ImportReport {
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  errors: ImportRowError[];
}

interface PreparedRow {
  row: number;
  body: Record<string, unknown>;
  key?: string;
}

const MAX_REPORTED_ERRORS = 1000;

function duplicateKey(definition: ObjectDefinition, body: Record<string, unknown>, fields: readonly string[]): string | undefined {
  const values = fields.map((name) => body[name]);
  if (values.every((value) => value === undefined || value === null || value === '')) return undefined;
  return JSON.stringify(values);
}

function validateDuplicateFields(definition: ObjectDefinition, fields: readonly string[]): FieldDefinition[] {
  return fields.map((name, index) => {
    const field = definition.fields.find((candidate) => candidate.name === name);
    if (!field || !field.column || ['address', 'name', 'json', 'attachment', 'multiPicklist', 'currency', 'richText'].includes(field.type)) {
      throw errors.validationFailed([{ path: `/duplicates/fields/${index}`, code: 'unsuitableField', message: `"${name}" cannot identify duplicates` }]);
    }
    return field;
  });
}

/**
 * Imports up to 100,000 records in one request: every row normalised and validated as a create
 * would, duplicates found on the chosen fields (in the file and against live records), rows
 * written in multi-row INSERTs sized to PostgreSQL's parameter limit, roll-ups refreshed once.
 */
export async function importRecords(deps: RecordsDeps, actor: RecordsActor, objectName: string, input: unknown, options: ImportOptions = {}): Promise<ImportReport> {
  const resolved = await resolveObject(deps, actor, objectName, 'create');
  const { definition } = resolved;
  if (options.duplicates?.action === 'update') {
    assertObjectAction(actor.access, objectName, 'update');
    // Matching on records the actor cannot see would tell them those records exist.
    if (actor.access.recordScope(objectName, 'write')) throw errors.permissionDenied(`Importing with duplicates updated needs access to every ${objectName} record; use skip or fail instead`, { object: objectName });
  }
  if (!Array.isArray(input)) throw errors.validationFailed([{ path: '/records', code: 'type', message: 'must be an array of records' }]);
  if (input.length > MAX_IMPORT_ROWS) throw errors.validationFailed([{ path: '/records', code: 'maxItems', message: `at most ${MAX_IMPORT_ROWS} records per import` }]);
  const mode = options.mode ?? 'atomic';
  const firstRow = options.firstRowNumber ?? 1;
  const duplicateFields = options.duplicates ? validateDuplicateFields(definition, options.duplicates.fields) : [];
  const report: ImportReport = { created: 0, updated: 0, skipped: 0, failed: 0, errors: [] };
  const fail = (row: number, problems: InputProblem[]) => {
    report.failed += 1;
    if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push({ row, problems });
  };

  const now = new Date();
  const prepared: PreparedRow[] = [];
  const seen = new Map<string, number>();
  input.forEach((raw, index) => {
    const row = options.rowNumbers?.[index] ?? firstRow + index;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail(row, [{ path: '', code: 'type', message: 'must be a JSON object' }]);
    const { body, problems } = normalizeRecordInput(definition, raw as Record<string, unknown>);
    try {
      problems.push(...fieldWriteProblems(actor.access, definition, raw as Record<string, unknown>));
      validateRecordInput(definition, body, 'create', undefined, problems);
    } catch (error) {
      if (!(error instanceof DaichoError)) throw error;
      return fail(row, (error.details as { problems: InputProblem[] }).problems);
    }
    for (const field of definition.fields) if (!(field.name in body) && hasDefault(field)) body[field.name] = (field as { default: unknown }).default;
    const key = options.duplicates ? duplicateKey(definition, body, options.duplicates.fields) : undefined;
    if (key !== undefined) {
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        if (options.duplicates!.action === 'skip') return void (report.skipped += 1);
        return fail(row, [{ path: '', code: 'duplicateInFile', message: `duplicates row ${earlier} on ${options.duplicates!.fields.join(', ')}` }]);
      }
      seen.set(key, row);
    }
    prepared.push({ row, body, key });
  });
  if (mode === 'atomic' && report.failed > 0) {
    throw new DaichoError('VALIDATION_FAILED', `${report.failed === 1 ? '1 row is' : `${report.failed} rows are`} not valid; nothing was imported`, { details: { report } });
  }

  const write = async (db: Db) => {
    const existing = duplicateFields.length > 0 ? await findExisting(db, resolved, duplicateFields, prepared) : new Map<string, string>();
    const inserts: PreparedRow[] = [];
    const updates: Array<PreparedRow & { id: string }> = [];
    for (const item of prepared) {
      const id = item.key === undefined ? undefined : existing.get(item.key);
      if (id === undefined) inserts.push(item);
      else if (options.duplicates!.action === 'skip') report.skipped += 1;
      else if (options.duplicates!.action === 'update') updates.push({ ...item, id });
      else fail(item.row, [{ path: '', code: 'duplicate', message: `a record with the same ${options.duplicates!.fields.join(', ')} exists (${id})` }]);
    }
    if (mode === 'atomic' && report.failed > 0) {
      throw new DaichoError('VALIDATION_FAILED', `${report.failed === 1 ? '1 row duplicates an existing record' : `${report.failed} rows duplicate existing records`}; nothing was imported`, { details: { report } });
    }
    await insertRows(db, resolved, actor, inserts, now);
    for (const item of updates) await updateRow(db, resolved, actor, item);
    report.created += inserts.length;
    report.updated += updates.length;
    await refreshRollups(db, resolved.metadata, actor, definition.name, [...inserts, ...updates].map((item) => ({ after: item.body })));
  };
  try {
    await deps.em().transactional(async (trx) => write(kyselyOf(trx)));
  } catch (error) {
    if (error instanceof DaichoError) throw error;
    mapDatabaseError(error, resolved);
  }
  return report;
}

async function findExisting(db: Db, resolved: ResolvedObject, fields: FieldDefinition[], rows: PreparedRow[]): Promise<Map<string, string>> {
  const { metadata, definition } = resolved;
  const found = new Map<string, string>();
  const keyed = rows.filter((row) => row.key !== undefined);
  for (let start = 0; start < keyed.length; start += 5000) {
    const chunk = keyed.slice(start, start + 5000);
    const arrays = fields.map((field) => sql.val(chunk.map((row) => row.body[field.name] ?? null)));
    const columns = fields.map((field) => sql.ref(`t.${field.column!}`));
    const keysAs = fields.map((_field, index) => sql.id(`k${index}`));
    const { rows: matches } = await sql<Record<string, unknown>>`select t.id, ${sql.join(columns)} from ${sql.id(metadata.schema, definition.table!)} as t
      join unnest(${sql.join(arrays.map((array, index) => sql`${array}::${sql.raw(fields[index]!.type === 'integer' ? 'bigint' : fields[index]!.type === 'decimal' || fields[index]!.type === 'percent' ? 'numeric' : fields[index]!.type === 'date' ? 'date' : fields[index]!.type === 'datetime' ? 'timestamptz' : fields[index]!.type === 'lookup' || fields[index]!.type === 'masterDetail' ? 'uuid' : 'text')}[]`))}) as k(${sql.join(keysAs)})
      on ${sql.join(fields.map((field, index) => sql`t.${sql.id(field.column!)} = k.${sql.id(`k${index}`)}`), sql` and `)}
      where t.deleted_at is null`.execute(db);
    for (const match of matches) {
      const key = JSON.stringify(fields.map((field) => normalizeKeyValue(field, match[field.column!])));
      found.set(key, match.id as string);
    }
  }
  return found;
}

function normalizeKeyValue(field: FieldDefinition, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (field.type === 'integer' || field.type === 'decimal' || field.type === 'percent') return Number(value);
  if (field.type === 'date' && value instanceof Date) return value.toISOString().slice(0, 10);
  if (field.type === 'datetime' && value instanceof Date) return value.toISOString();
  return value;
}

async function insertRows(db: Db, resolved: ResolvedObject, actor: RecordsActor, rows: PreparedRow[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  const { definition, metadata } = resolved;
  const autoNumbers = definition.fields.filter((field) => field.type === 'autoNumber');
  const numbers = new Map<string, number[]>();
  for (const field of autoNumbers) {
    const sequence = autoNumberSequence({ schema: metadata.schema, table: definition.table! }, field);
    const { rows: values } = await sql<{ n: string }>`select nextval(${`"${sequence.schema}"."${sequence.table}"`}::regclass) as n from generate_series(1, ${rows.length})`.execute(db);
    numbers.set(field.name, values.map((value) => Number(value.n)));
  }
  const stored = definition.fields.filter((field) => field.type !== 'formula' && field.type !== 'rollup');
  const values = rows.map((item, index) => {
    const columns: Record<string, unknown> = { id: generateUuidV7(now.getTime()), created_by: actor.userId, updated_by: actor.userId, owner_id: actor.userId, search_text: buildSearchText(definition, item.body) };
    for (const field of stored) {
      if (field.type === 'autoNumber') Object.assign(columns, toColumns(field, formatAutoNumber(field.format, numbers.get(field.name)![index]!, now, actor.timeZone)));
      else Object.assign(columns, toColumns(field, item.body[field.name] ?? null));
    }
    return columns;
  });
  // Column arrays through unnest(): one parameter per column whatever the number of rows, so a
  // chunk of 10,000 rows is one short statement instead of 200,000 bound values.
  const columns = Object.keys(values[0]!);
  const types = columnArrayTypes(definition);
  for (let start = 0; start < values.length; start += UNNEST_CHUNK) {
    const chunk = values.slice(start, start + UNNEST_CHUNK);
    const arrays = columns.map((column) => {
      const kind = types.get(column) ?? 'text';
      const cells = chunk.map((row) => {
        const value = row[column] ?? null;
        // A text[] value travels as JSON text: unnest cannot split an array of arrays by row.
        return kind === 'text[]' && value !== null ? JSON.stringify(value) : value;
      });
      return sql`${sql.val(cells)}::${sql.raw(kind === 'jsonb' || kind === 'text[]' ? 'text' : kind)}[]`;
    });
    const selected = columns.map((column) => {
      const kind = types.get(column);
      const ref = sql.ref(`u.${column}`);
      if (kind === 'jsonb') return sql`${ref}::jsonb`;
      if (kind === 'text[]') return sql`(select array(select jsonb_array_elements_text(${ref}::jsonb)))`;
      return ref;
    });
    // One record.create event per row, from the same statement (the values are the record's first version).
    const audit = auditInsertFrom(auditContextOf(actor), { kind: 'record.create', objectName: definition.name, recordId: sql.ref('r.id'), details: sql`'{"import":true}'::jsonb` }, sql`r`);
    await sql`with r as (insert into ${sql.id(metadata.schema, definition.table!)} (${sql.join(columns.map((column) => sql.id(column)))})
      select ${sql.join(selected)} from unnest(${sql.join(arrays)}) as u(${sql.join(columns.map((column) => sql.id(column)))}) returning id)
      ${audit}`.execute(db);
  }
}

const UNNEST_CHUNK = 10_000;

/** The element type of each column's array for unnest(), from the columns the definition declares. */
function columnArrayTypes(definition: ObjectDefinition): Map<string, string> {
  const types = new Map<string, string>([['id', 'uuid'], ['created_by', 'uuid'], ['updated_by', 'uuid'], ['owner_id', 'uuid'], ['search_text', 'text']]);
  for (const field of definition.fields) {
    for (const spec of columnsForField(field)) {
      const base = spec.sqlType.replace(/ collate "C"$/, '');
      types.set(spec.name, base);
    }
  }
  return types;
}

async function updateRow(db: Db, resolved: ResolvedObject, actor: RecordsActor, item: PreparedRow & { id: string }): Promise<void> {
  const { definition, metadata } = resolved;
  const columns: Record<string, unknown> = {};
  for (const field of definition.fields) if (field.name in item.body && field.type !== 'formula' && field.type !== 'rollup' && field.type !== 'autoNumber') Object.assign(columns, toColumns(field, item.body[field.name]));
  // With its record.update event (changed fields, before and after), in one statement.
  await db.executeQuery(updateWithAudit(db, { definition, metadata }, actor, item.id, columns, { searchText: buildSearchText(definition, item.body) }).build());
}
