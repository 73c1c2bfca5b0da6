/**
 * Every field type an object definition can use. The meta-schema
 * (`sdk/schemas/object.schema.json`) lists the same names; a test keeps the two in step.
 */
export const fieldTypes = [
  'text',
  'longText',
  'richText',
  'email',
  'phone',
  'url',
  'integer',
  'decimal',
  'currency',
  'percent',
  'boolean',
  'date',
  'datetime',
  'picklist',
  'multiPicklist',
  'lookup',
  'masterDetail',
  'autoNumber',
  'formula',
  'rollup',
  'address',
  'name',
  'attachment',
  'json',
] as const;

export type FieldType = (typeof fieldTypes)[number];

/** The types a formula can return; also the types its sub-expressions have. */
export const formulaReturnTypes = ['text', 'number', 'boolean', 'date', 'datetime'] as const;
export type FormulaReturnType = (typeof formulaReturnTypes)[number];

/**
 * How each field type appears in a record's JSON, the shape that the records API accepts and
 * returns, that filters compare with and that formulas compute on.
 */
export interface FieldValueShapes {
  text: string;
  longText: string;
  /** Sanitised HTML. */
  richText: string;
  email: string;
  phone: string;
  url: string;
  integer: number;
  decimal: number;
  currency: CurrencyValue;
  /** 12.5 means 12.5 %. */
  percent: number;
  boolean: boolean;
  /** `YYYY-MM-DD`, a calendar day with no time zone. */
  date: string;
  /** ISO 8601 in UTC, e.g. `2026-11-22T08:30:00.000Z`. */
  datetime: string;
  /** The value's API name. */
  picklist: string;
  multiPicklist: string[];
  /** The id of the referenced record. */
  lookup: string;
  masterDetail: string;
  autoNumber: string;
  formula: string | number | boolean;
  rollup: number;
  address: AddressValue;
  name: PersonNameValue;
  attachment: AttachmentValue[];
  json: unknown;
}

/** An amount of money in one currency (ISO 4217 code). */
export interface CurrencyValue {
  amount: number;
  currency: string;
}

/** A postal address. `region` is the prefecture (都道府県) or state. */
export interface AddressValue {
  postalCode?: string;
  region?: string;
  city?: string;
  street?: string;
  building?: string;
  /** ISO 3166-1 alpha-2, e.g. `JP`. */
  country?: string;
}

/** A person's name with optional readings (furigana). */
export interface PersonNameValue {
  family?: string;
  given?: string;
  familyReading?: string;
  givenReading?: string;
}

export interface AttachmentValue {
  fileId: string;
  fileName: string;
  size: number;
  contentType: string;
}
