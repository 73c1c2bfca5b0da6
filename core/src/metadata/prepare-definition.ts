import type { FieldDefinition, ObjectDefinition } from '@daicho/sdk';
import { randomUUID } from 'node:crypto';
import type { InputProblem } from '../errors/index.ts';
import { columnNameFor, columnsInUse, needsNewColumn, tableNameFor } from '../storage/index.ts';

/** A new id for a definition part: a prefix and 32 hex digits. */
export function newDefinitionId(prefix: 'obj' | 'fld'): string {
  return `${prefix}_${randomUUID().replaceAll('-', '')}`;
}

export interface PreparedDefinition {
  body: ObjectDefinition;
  /** Fields whose type changed, with the definition they had (their old column is kept). */
  typeChanges: Array<{ before: FieldDefinition; after: FieldDefinition }>;
  problems: InputProblem[];
}

/**
 * Joins an admin's input with what the platform manages: object and field ids, table and column
 * names, deleted fields. Fields are matched to the previous version by name; ids and physical
 * names sent back unchanged are accepted, changed ones refused (they are not the admin's to set).
 * A field whose new definition needs other storage gets a new column, and its old column is kept
 * among the deleted fields (reason `typeChange`), so no value is lost.
 */
export function prepareDefinition(input: ObjectDefinition, previous: ObjectDefinition | undefined, now: Date, options: { trustIds?: boolean } = {}): PreparedDefinition {
  const problems: InputProblem[] = [];
  const managed = (path: string, what: string) =>
    problems.push({ path, code: 'platformManaged', message: `${what} is assigned by the platform and cannot be set or changed` });

  if (previous && input.name !== previous.name) problems.push({ path: '/name', code: 'immutable', message: 'An object\'s name cannot change' });
  if (!options.trustIds) {
    if (input.id !== undefined && input.id !== previous?.id) managed('/id', 'The object id');
    if (input.table !== undefined && input.table !== previous?.table) managed('/table', 'The table');
  }
  const body: ObjectDefinition = structuredClone(input);
  body.id = previous?.id ?? (options.trustIds && input.id ? input.id : newDefinitionId('obj'));
  body.table = previous?.table ?? (options.trustIds && input.table ? input.table : tableNameFor(input.name));
  body.deletedFields = structuredClone(options.trustIds ? (input.deletedFields ?? []) : (previous?.deletedFields ?? []));
  if (!options.trustIds && input.deletedFields !== undefined && JSON.stringify(input.deletedFields) !== JSON.stringify(previous?.deletedFields ?? [])) {
    managed('/deletedFields', 'The list of deleted fields');
  }

  const previousByName = new Map((previous?.fields ?? []).map((field) => [field.name, field]));
  const taken = columnsInUse(previous ?? (options.trustIds ? input : undefined));
  const typeChanges: PreparedDefinition['typeChanges'] = [];

  body.fields = body.fields.map((field, index) => {
    const old = previousByName.get(field.name);
    const path = `/fields/${index}`;
    if (!options.trustIds || old) {
      if (field.id !== undefined && field.id !== old?.id) managed(`${path}/id`, 'A field id');
      if (field.column !== undefined && field.column !== old?.column) managed(`${path}/column`, 'A column');
    }
    if (!old) {
      if (options.trustIds && field.id && (field.column || field.type === 'formula')) return field;
      const column = field.type === 'formula' ? undefined : columnNameFor(field.name, taken);
      if (column) {
        taken.add(column);
        taken.add(`${column}_cur`);
      }
      return { ...field, id: newDefinitionId('fld'), ...(column ? { column } : {}) } as FieldDefinition;
    }
    const kept = { ...field, id: old.id, ...(old.column ? { column: old.column } : {}) } as FieldDefinition;
    if (field.type === 'formula') {
      delete kept.column;
      if (old.type !== 'formula') body.deletedFields!.push({ field: old, deletedAt: now.toISOString(), reason: 'typeChange' });
      return kept;
    }
    if (old.type !== 'formula' && needsNewColumn(old, kept)) {
      const column = columnNameFor(field.name, taken);
      taken.add(column);
      taken.add(`${column}_cur`);
      const changed = { ...kept, column } as FieldDefinition;
      typeChanges.push({ before: old, after: changed });
      body.deletedFields!.push({ field: old, deletedAt: now.toISOString(), reason: 'typeChange' });
      return changed;
    }
    if (old.type === 'formula') {
      const column = columnNameFor(field.name, taken);
      taken.add(column);
      return { ...kept, column } as FieldDefinition;
    }
    return kept;
  });

  // Fields left out are deleted: hidden now, their column kept until the retention period ends.
  const nextNames = new Set(body.fields.map((field) => field.name));
  for (const old of previous?.fields ?? []) {
    if (!nextNames.has(old.name) && old.type !== 'formula') body.deletedFields!.push({ field: old, deletedAt: now.toISOString(), reason: 'deleted' });
  }
  if (body.deletedFields!.length === 0) delete body.deletedFields;
  return { body, typeChanges, problems };
}
