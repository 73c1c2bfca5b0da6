import type { FieldDefinition, ObjectDefinition } from '@daicho/sdk';
import { Readable } from 'node:stream';
import { appendAuditEvent } from '../audit/index.ts';
import { openCsv, writeCsv, type CsvColumn, type CsvSource } from '../csv/index.ts';
import { errors, type InputProblem } from '../errors/index.ts';
import { compoundComponents } from '../metadata/index.ts';
import { selectableFields, visibleDefinition } from './record-access.ts';
import { auditContextOf } from './record-audit.ts';
import { importRecords, type ImportOptions, type ImportReport } from './bulk-import.ts';
import { listRecords, type ListRecordsQuery } from './list-records.ts';
import { kyselyOf, type RecordsActor, type RecordsDeps } from './records-context.ts';
import { computedTypes } from './record-input-schema.ts';
import { resolveObject } from './records.service.ts';

/** Multi-picklist values are joined with this in CSV cells. */
export const LIST_SEPARATOR = ';';

/**
 * The CSV columns of an object, named so that an export can be imported again: API names, with
 * `field.component` for the parts of compound values and `field.currency` for a currency's code.
 */
export function csvColumnsOf(definition: ObjectDefinition, only?: ReadonlySet<string>): CsvColumn[] {
  const columns: CsvColumn[] = [{ key: 'id', header: 'id' }];
  for (const field of definition.fields) {
    if (only && !only.has(field.name)) continue;
    if (field.type === 'address' || field.type === 'name') {
      for (const component of compoundComponents[field.type]) columns.push({ key: `${field.name}.${component}`, header: `${field.name}.${component}` });
    } else if (field.type === 'currency') {
      columns.push({ key: field.name, header: field.name }, { key: `${field.name}.currency`, header: `${field.name}.currency` });
    } else if (field.type !== 'attachment') {
      columns.push({ key: field.name, header: field.name });
    }
  }
  columns.push({ key: 'createdAt', header: 'createdAt' }, { key: 'updatedAt', header: 'updatedAt' });
  return columns;
}

/** A record flattened to CSV cells by column key. */
function flatten(definition: ObjectDefinition, record: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = { id: record.id, createdAt: record.createdAt, updatedAt: record.updatedAt };
  for (const field of definition.fields) {
    const value = record[field.name];
    if (value === null || value === undefined) continue;
    if (field.type === 'address' || field.type === 'name') {
      for (const [component, part] of Object.entries(value as Record<string, unknown>)) row[`${field.name}.${component}`] = part;
    } else if (field.type === 'currency') {
      const money = value as { amount: number; currency: string };
      row[field.name] = money.amount;
      row[`${field.name}.currency`] = money.currency;
    } else if (field.type === 'multiPicklist') {
      row[field.name] = (value as string[]).join(LIST_SEPARATOR);
    } else if (field.type === 'json') {
      row[field.name] = JSON.stringify(value);
    } else {
      row[field.name] = value;
    }
  }
  return row;
}

/**
 * Exports the records a query selects as CSV, streaming: pages of 500 are read by keyset and
 * written as they come, so memory stays flat whatever the number of records. Cells that a
 * spreadsheet would run as formulas are neutralised.
 */
export async function exportRecordsCsv(deps: RecordsDeps, actor: RecordsActor, objectName: string, query: Omit<ListRecordsQuery, 'cursor' | 'limit' | 'expand'>): Promise<Readable> {
  const { definition } = await resolveObject(deps, actor, objectName, 'export');
  const only = selectableFields(actor.access, definition, query.fields ? new Set(query.fields) : undefined);
  // The first page is read before answering, so that a bad filter is a 400, not a broken download.
  const first = await listRecords(deps, actor, objectName, { ...query, limit: 500 }, 'export');
  // Exports leave a trace: who took which records out, with the query that chose them.
  await appendAuditEvent(kyselyOf(deps.em()), auditContextOf(actor), {
    kind: 'export', objectName,
    details: { format: 'csv', filter: query.filter ?? null, sort: query.sort ?? null, fields: query.fields ?? null, deleted: Boolean(query.deleted) },
  });
  async function* rows() {
    let page = first;
    for (;;) {
      for (const record of page.records) yield flatten(definition, record);
      if (!page.nextCursor) return;
      page = await listRecords(deps, actor, objectName, { ...query, limit: 500, cursor: page.nextCursor }, 'export');
    }
  }
  return Readable.from(writeCsv(rows(), { columns: csvColumnsOf(definition, only) }));
}

const truthy = new Set(['true', 'yes', 'y', '1', 'on', 'はい']);
const falsy = new Set(['false', 'no', 'n', '0', 'off', 'いいえ']);

/** A CSV cell as the field's API value; what does not parse is kept as text so validation names it. */
function parseCell(field: FieldDefinition, text: string): unknown {
  switch (field.type) {
    case 'integer':
    case 'decimal':
    case 'percent': {
      const number = Number(text.replaceAll(',', ''));
      return text.trim() !== '' && Number.isFinite(number) ? number : text;
    }
    case 'boolean': {
      const lower = text.trim().toLowerCase();
      return truthy.has(lower) ? true : falsy.has(lower) ? false : text;
    }
    case 'multiPicklist':
      return text.split(LIST_SEPARATOR).map((part) => part.trim()).filter(Boolean);
    case 'json':
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    default:
      return text;
  }
}

export interface CsvImportOptions extends Omit<ImportOptions, 'firstRowNumber'> {
  /** CSV header → field path (`name`, `billingAddress.city`, `amount.currency`); by default headers are field paths. */
  mapping?: Record<string, string>;
  encoding?: 'auto' | 'utf-8' | 'shift_jis';
}

/**
 * Imports a CSV file: each column mapped to a field (or a component of one), cells converted to
 * the field's type, then the rows imported as JSON records would be, with the file's line
 * numbers in the report. Unmapped columns are refused, so no data is silently dropped.
 */
export async function importRecordsCsv(deps: RecordsDeps, actor: RecordsActor, objectName: string, source: CsvSource, options: CsvImportOptions = {}): Promise<ImportReport & { ignoredColumns: string[] }> {
  // Columns of fields the actor may not read are unknown to them.
  const definition = visibleDefinition(actor.access, (await resolveObject(deps, actor, objectName, 'create')).definition);
  const csv = await openCsv(source, { encoding: options.encoding ?? 'auto', maxRows: 100_000 });
  const fields = new Map(definition.fields.map((field) => [field.name, field]));
  const targets = new Map<string, { field: FieldDefinition; part?: string }>();
  const problems: InputProblem[] = [];
  const ignoredColumns: string[] = [];
  for (const header of csv.header) {
    const path = options.mapping ? options.mapping[header] : header;
    if (path === undefined) {
      problems.push({ path: `/mapping/${header}`, code: 'unmappedColumn', message: `Column "${header}" is not mapped to a field` });
      continue;
    }
    const [name, part] = path.split('.', 2) as [string, string | undefined];
    const field = fields.get(name);
    // An export's system and computed columns are skipped, and said so in the report.
    if (path === '' || path === 'id' || path === 'createdAt' || path === 'updatedAt' || (field && (computedTypes.has(field.type) || field.readOnly))) {
      ignoredColumns.push(header);
      continue;
    }
    const partOk = part === undefined || (field?.type === 'currency' && part === 'currency') || ((field?.type === 'address' || field?.type === 'name') && (compoundComponents[field.type] as readonly string[]).includes(part));
    if (!field || !partOk) problems.push({ path: `/mapping/${header}`, code: 'unknownField', message: `"${path}" is not a field of ${objectName}` });
    else targets.set(header, { field, part });
  }
  if (problems.length > 0) throw errors.validationFailed(problems, 'The columns do not match the object');

  const records: Array<Record<string, unknown>> = [];
  const lines: number[] = [];
  for await (const { line, fields: cells } of csv.records()) {
    const record: Record<string, unknown> = {};
    for (const [header, { field, part }] of targets) {
      const text = cells[header] ?? '';
      if (text === '') continue;
      if (field.type === 'currency') {
        const money = (record[field.name] ??= { currency: (field as { defaultCurrency?: string }).defaultCurrency ?? 'JPY' }) as Record<string, unknown>;
        if (part === 'currency') money.currency = text.trim();
        else {
          const number = Number(text.replaceAll(',', ''));
          money.amount = Number.isFinite(number) ? number : text;
        }
      } else if (part !== undefined) {
        ((record[field.name] ??= {}) as Record<string, unknown>)[part] = text;
      } else {
        record[field.name] = parseCell(field, text);
      }
    }
    records.push(record);
    lines.push(line);
  }
  return { ...(await importRecords(deps, actor, objectName, records, { ...options, rowNumbers: lines })), ignoredColumns };
}
