import fc from 'fast-check';
import type { FieldDefinition, ObjectDefinition } from '@daicho/sdk';
import { createSqlCompiler } from '../testing/index.ts';
import { describe, expect, it } from 'vitest';
import { columnNameFor, planTableChange, tableNameFor } from './index.ts';

// Compiles statements to text without a database.
const compiler = createSqlCompiler();

const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(`'); drop table daicho.workspace; --`, `"; drop schema public cascade; --`, `$$; select pg_sleep(10); $$`, `\\'`, `ｘ"ｙ`, `a\u0000b`),
);
const apiName = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,20}$/).filter((name) => !['id', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'ownerId', 'version', 'deletedAt', 'searchText'].includes(name));

const fieldOf = (name: string, text: string, index: number): FieldDefinition => {
  const labels = { en: text || 'x', ja: text || 'x' };
  const kinds: FieldDefinition[] = [
    { name, type: 'text', labels, default: text, help: { en: text }, unique: true },
    { name, type: 'picklist', labels, values: [{ value: 'a', labels: { en: text || 'x' } }], indexed: true },
    { name, type: 'currency', labels, precision: 12, scale: 2 },
    { name, type: 'lookup', labels, target: 'user' },
    { name, type: 'autoNumber', labels, format: 'Q-{0000}' },
    { name, type: 'formula', labels, expression: `"${text.replaceAll('"', '')}"`, returnType: 'text' },
  ];
  return kinds[index % kinds.length]!;
};

describe('planTableChange', () => {
  it('never puts admin text into DDL: identifiers are generated and quoted, values never appear', () => {
    fc.assert(
      fc.property(apiName, fc.uniqueArray(apiName, { minLength: 1, maxLength: 6, selector: (name) => name.toLowerCase() }), fc.array(hostile, { minLength: 6, maxLength: 6 }), (objectName, fieldNames, texts) => {
        const taken = new Set<string>();
        const fields = fieldNames.map((name, index) => {
          const field = fieldOf(name, texts[index]!, index);
          if (field.type === 'formula') return { ...field, id: `fld_${index}` };
          const column = columnNameFor(name, taken);
          taken.add(column);
          return { ...field, id: `fld_${index}`, column };
        });
        const definition: ObjectDefinition = { name: objectName, table: tableNameFor(objectName), labels: { en: texts[0] || 'x' }, fields };
        const steps = planTableChange(undefined, definition, { schema: 'ws_test', resolveTarget: () => ({ schema: 'daicho', table: 'user' }) });
        for (const step of steps) {
          const compiled = step.statement.compile(compiler);
          expect(compiled.parameters).toEqual([]);
          // Text in our identifier alphabet (`look`) may be part of a generated name (`obj_alook`) by chance.
          for (const text of texts) if (text.length > 3 && !/^[a-z0-9_]+$/.test(text)) expect(compiled.sql).not.toContain(text);
          // Every identifier we emit is quoted, and quoted identifiers only hold our own alphabet.
          for (const match of compiled.sql.matchAll(/"([^"]*)"/g)) expect(match[1]).toMatch(/^([a-z][a-z0-9_]*|C)$/); // C: the byte-order collation
        }
      }),
      { numRuns: 300 },
    );
  });

  it('adds a field to an existing table with a metadata-only column and a concurrent index', () => {
    const previous: ObjectDefinition = { name: 'deal', table: 'obj_deal', labels: { en: 'Deal' }, fields: [{ id: 'fld_1', column: 'f_title', name: 'title', type: 'text', labels: { en: 'Title' } }] };
    const next: ObjectDefinition = { ...previous, fields: [...previous.fields, { id: 'fld_2', column: 'f_stage', name: 'stage', type: 'text', labels: { en: 'Stage' }, indexed: true }] };
    const steps = planTableChange(previous, next, { schema: 'ws_x', resolveTarget: () => undefined });
    expect(steps.map((step) => [step.phase, step.statement.compile(compiler).sql])).toEqual([
      ['column', 'alter table "ws_x"."obj_deal" add column "f_stage" text collate "C"'],
      ['concurrent', expect.stringMatching(/^create index concurrently if not exists "ix_obj_deal_f_stage_[0-9a-f]{8}" on "ws_x"."obj_deal" \("f_stage"\)$/)],
    ]);
  });

  it('changes nothing physical when only labels, help or picklist values change', () => {
    const field: FieldDefinition = { id: 'fld_1', column: 'f_stage', name: 'stage', type: 'picklist', labels: { en: 'Stage' }, values: [{ value: 'a', labels: { en: 'A' } }] };
    const previous: ObjectDefinition = { name: 'deal', table: 'obj_deal', labels: { en: 'Deal' }, fields: [field] };
    const next: ObjectDefinition = { ...previous, labels: { ja: '商談' }, fields: [{ ...field, labels: { ja: 'フェーズ' }, help: { en: 'Where it stands' }, values: [...field.values, { value: 'b', labels: { en: 'B' } }] }] };
    expect(planTableChange(previous, next, { schema: 'ws_x', resolveTarget: () => undefined })).toEqual([]);
  });
});
