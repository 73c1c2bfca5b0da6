import { fieldTypes, type FieldDefinition, type FieldType } from '@daicho/sdk';
import objectSchema from '@daicho/sdk/schemas/object.schema.json';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import type { TFunction } from 'i18next';

type Schema = Record<string, unknown>;
const defs = (objectSchema as { $defs: Record<string, Schema> }).$defs;

/**
 * Properties of a field definition that the designer edits with its own controls (or that the
 * platform assigns); every other property of the type's meta-schema is rendered by the generated
 * options form, so an option added to the meta-schema appears without UI code.
 */
export const handCraftedProperties = new Set([
  'id', 'column', 'name', 'type', 'labels', 'help', 'values', 'target', 'expression', 'format', 'childObject', 'relationshipField', 'aggregateField', 'filter',
]);

/** The meta-schema of one field type (`$defs.<type>Field`). */
export function fieldTypeSchema(type: FieldType): Schema {
  const schema = defs[`${type}Field`];
  if (schema === undefined) throw new Error(`The meta-schema has no $defs.${type}Field`);
  return schema;
}

/** The properties of a type's meta-schema, by name. */
export function propertiesOf(type: FieldType): Record<string, Schema> {
  return (fieldTypeSchema(type).properties ?? {}) as Record<string, Schema>;
}

/** Whether the type has the property at all (e.g. `required` is absent on formulas). */
export function typeHas(type: FieldType, property: string): boolean {
  return property in propertiesOf(type);
}

/** The properties the meta-schema requires for the type. */
export function requiredOf(type: FieldType): string[] {
  return (fieldTypeSchema(type).required as string[] | undefined) ?? [];
}

/**
 * The schema of the generated options form of a type: its meta-schema without the hand-crafted
 * properties, with the meta-schema's `$defs` so references (normalize) resolve.
 */
export function optionsSchema(type: FieldType): RJSFSchema {
  const properties = Object.fromEntries(Object.entries(propertiesOf(type)).filter(([name]) => !handCraftedProperties.has(name)));
  const required = requiredOf(type).filter((name) => name in properties);
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), $defs: defs } as RJSFSchema;
}

/** The option values of a field: everything the generated form edits. */
export function optionValuesOf(field: Partial<FieldDefinition>, type: FieldType): Record<string, unknown> {
  const properties = propertiesOf(type);
  return Object.fromEntries(Object.entries(field).filter(([name]) => name in properties && !handCraftedProperties.has(name)));
}

/** Every type the meta-schema lists, in its order (the sdk keeps `fieldTypes` in step with it). */
export function designableTypes(): FieldType[] {
  const listed = ((defs.field?.properties as Schema | undefined)?.type as { enum?: string[] } | undefined)?.enum ?? [];
  return fieldTypes.filter((type) => listed.includes(type));
}

/**
 * Drops what the options form leaves empty (`''`, `{}`, `[]`, undefined), so an untouched option
 * is absent rather than an invalid empty value.
 */
export function pruneEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneEmpty);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value)
    .map(([key, child]) => [key, pruneEmpty(child)] as const)
    .filter(([, child]) => child !== undefined && child !== '' && !(Array.isArray(child) && child.length === 0) && !(typeof child === 'object' && child !== null && !Array.isArray(child) && Object.keys(child).length === 0));
  return Object.fromEntries(entries);
}

/** The pattern the meta-schema sets for object names. */
export const objectNamePattern = new RegExp((defs.objectName as { pattern: string }).pattern);
/** The pattern the meta-schema sets for field names. */
export const fieldNamePattern = new RegExp((defs.fieldName as { pattern: string }).pattern);

/** Words of an English label, lower-case ASCII (accents dropped). */
function wordsOf(label: string): string[] {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/** An object name suggested from its English label: "Sales order" → `sales_order`. */
export function suggestObjectName(label: string): string {
  const name = wordsOf(label).join('_').replace(/^[0-9_]+/, '').slice(0, 40);
  return objectNamePattern.test(name) ? name : '';
}

/** A field name suggested from its English label: "Close date" → `closeDate`. */
export function suggestFieldName(label: string): string {
  const words = wordsOf(label);
  const name = words
    .map((word, index) => (index === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('')
    .replace(/^[0-9]+/, '')
    .slice(0, 40);
  return fieldNamePattern.test(name) ? name : '';
}

/**
 * What an auto-number format gives for the `n`th record on `date`: `Q-{YYYY}-{0000}` → `Q-2026-0001`.
 * Undefined when the format does not match the meta-schema's pattern.
 */
export function previewAutoNumber(format: string, n: number, date: Date): string | undefined {
  const pattern = (propertiesOf('autoNumber').format as { pattern: string }).pattern;
  if (!new RegExp(pattern).test(format)) return undefined;
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return format.replace(/\{(YYYY|YY|MM|DD|0+)\}/g, (_, token: string) => {
    if (token === 'YYYY') return String(date.getFullYear());
    if (token === 'YY') return pad(date.getFullYear() % 100, 2);
    if (token === 'MM') return pad(date.getMonth() + 1, 2);
    if (token === 'DD') return pad(date.getDate(), 2);
    return pad(n, token.length);
  });
}

/** A schema with its `$ref` into the meta-schema's `$defs` followed. */
function resolved(schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/$defs/')) return { ...(defs[ref.slice('#/$defs/'.length)] ?? {}), ...schema };
  return schema;
}

/**
 * Titles, help and choice names for the generated options form, in the UI language: an option
 * (at any depth) is titled `designer.options.<name>` and explained by `designer.optionHelp.<name>`,
 * a choice is named `designer.choices.<value>`. What has no translation yet shows its API name
 * and the meta-schema's description, so a new option is usable before it is translated.
 */
export function optionsUiSchema(type: FieldType, t: TFunction): UiSchema {
  const describe = (properties: Record<string, Schema>): UiSchema => {
    const ui: UiSchema = {};
    for (const [name, raw] of Object.entries(properties)) {
      if (handCraftedProperties.has(name)) continue;
      const property = resolved(raw);
      const description = typeof property.description === 'string' ? property.description : undefined;
      const choices = Array.isArray(property.enum) ? (property.enum as unknown[]) : undefined;
      const nested = property.properties as Record<string, Schema> | undefined;
      ui[name] = {
        ...(nested ? describe(nested) : {}),
        'ui:title': t(`designer.options.${name}`, { defaultValue: name }),
        ...(description !== undefined ? { 'ui:description': t(`designer.optionHelp.${name}`, { defaultValue: description }) } : {}),
        ...(choices ? { 'ui:enumNames': choices.map((value) => t(`designer.choices.${String(value)}`, { defaultValue: String(value) })) } : {}),
      };
    }
    return ui;
  };
  return { ...describe(propertiesOf(type)), 'ui:submitButtonOptions': { norender: true } };
}
