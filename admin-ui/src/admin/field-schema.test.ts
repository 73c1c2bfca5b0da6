import { fieldTypes } from '@daicho/sdk';
import { describe, expect, it } from 'vitest';
import { designableTypes, optionsSchema, optionValuesOf, previewAutoNumber, pruneEmpty, suggestFieldName, suggestObjectName } from './field-schema.ts';

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
