import { fieldTypes } from '@daicho/sdk';
import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { createI18n } from '../i18n/index.ts';
import { designableTypes, optionsSchema, optionsUiSchema, optionValuesOf, previewAutoNumber, pruneEmpty, suggestFieldName, suggestObjectName } from './field-schema.ts';

describe('the field form generated from the meta-schema', () => {
  it('offers every field type of the meta-schema', () => {
    expect(designableTypes()).toEqual([...fieldTypes]);
  });

  it('renders each type\'s options from its $defs entry, without what the designer hand-crafts', () => {
    const text = optionsSchema('text');
    expect(Object.keys(text.properties ?? {})).toEqual(['required', 'unique', 'indexed', 'readOnly', 'maxLength', 'minLength', 'pattern', 'normalize', 'default']);
    expect(text.$defs).toHaveProperty('normalize');
    expect(Object.keys(optionsSchema('picklist').properties ?? {})).not.toContain('values');
    expect(Object.keys(optionsSchema('formula').properties ?? {})).toEqual(['returnType', 'scale']);
    expect(optionsSchema('formula').required).toEqual(['returnType']);
    expect(Object.keys(optionsSchema('lookup').properties ?? {})).toEqual(['required', 'readOnly', 'onDelete']);
  });

  it('titles options, nested ones and choices in the UI language, and falls back to the schema for new ones', () => {
    const ja = createI18n('ja');
    const ui = optionsUiSchema('text', ja.t.bind(ja) as TFunction);
    expect(ui.required?.['ui:title']).toBe('必須');
    expect(ui.normalize?.nfkc?.['ui:title']).toBe('全角・半角を統一（NFKC）');
    expect(ui.normalize?.case?.['ui:enumNames']).toEqual(['小文字', '大文字', '変更しない']);
    const en = createI18n('en');
    const formula = optionsUiSchema('formula', en.t.bind(en) as TFunction);
    expect(formula.returnType?.['ui:enumNames']).toEqual(['Text', 'Number', 'Yes/no', 'Date', 'Date and time']);
    expect(formula.expression).toBeUndefined();
    // An option without a translation (yet): its API name and the meta-schema's description.
    expect(optionsUiSchema('autoNumber', en.t.bind(en) as TFunction).startAt?.['ui:title']).toBe('Start at');
    expect(optionsUiSchema('text', ((key: string, options?: { defaultValue?: string }) => options?.defaultValue ?? key) as unknown as TFunction).readOnly?.['ui:description']).toContain('Shown but not editable');
  });

  it('keeps only the options the type has', () => {
    expect(optionValuesOf({ name: 'x', required: true, maxLength: 20, precision: 4 } as never, 'text')).toEqual({ required: true, maxLength: 20 });
  });

  it('drops what a form leaves empty', () => {
    expect(pruneEmpty({ a: '', b: {}, c: [], d: { e: undefined }, f: 0, g: false, h: { ja: 'x', en: '' } })).toEqual({ f: 0, g: false, h: { ja: 'x' } });
  });

  it('suggests API names from English labels', () => {
    expect(suggestObjectName('Sales order')).toBe('sales_order');
    expect(suggestObjectName('2nd Café visit')).toBe('nd_cafe_visit');
    expect(suggestFieldName('Close date')).toBe('closeDate');
    expect(suggestFieldName('見積')).toBe('');
  });

  it('previews an auto-number format', () => {
    const date = new Date(2026, 10, 22);
    expect(previewAutoNumber('Q-{YYYY}-{0000}', 1, date)).toBe('Q-2026-0001');
    expect(previewAutoNumber('{YY}{MM}{DD}-{000}', 42, date)).toBe('261122-042');
    expect(previewAutoNumber('no placeholder', 1, date)).toBeUndefined();
  });
});
