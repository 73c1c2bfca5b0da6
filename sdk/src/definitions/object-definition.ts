import type { FieldType, FormulaReturnType } from './field-types.ts';

/** Display texts by language: at least one of `ja` and `en`. */
export interface Labels {
  ja?: string;
  en?: string;
}

/** Normalisation applied to text input before validation and storage. */
export interface NormalizeOptions {
  nfkc?: boolean;
  trim?: boolean;
  collapseSpaces?: boolean;
  case?: 'lower' | 'upper' | 'none';
}

export interface PicklistValue {
  /** API value stored in records; immutable once used. */
  value: string;
  labels: Labels;
  /** `#rrggbb`. */
  color?: string;
  /** Kept for existing records, not offered for new ones. */
  inactive?: boolean;
}

interface FieldBase<T extends FieldType> {
  /** Assigned by the platform (`fld_…`); never reused. */
  id?: string;
  /** Physical column, assigned by the platform. */
  column?: string;
  /** Immutable API name, unique within the object. */
  name: string;
  type: T;
  labels: Labels;
  help?: Labels;
  required?: boolean;
  unique?: boolean;
  indexed?: boolean;
  readOnly?: boolean;
}

interface Bounded {
  min?: number;
  max?: number;
}

interface Precision {
  /** Total significant digits, 1–38 (default 18). */
  precision?: number;
  /** Digits after the decimal point (default 2). */
  scale?: number;
}

export interface TextField extends FieldBase<'text'> {
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  normalize?: NormalizeOptions;
  default?: string;
}
export interface LongTextField extends FieldBase<'longText'> {
  maxLength?: number;
  minLength?: number;
  normalize?: NormalizeOptions;
  default?: string;
}
export interface RichTextField extends FieldBase<'richText'> {
  maxLength?: number;
  minLength?: number;
}
export interface EmailField extends FieldBase<'email'> {
  default?: string;
}
export interface PhoneField extends FieldBase<'phone'> {
  defaultCountry?: string;
  default?: string;
}
export interface UrlField extends FieldBase<'url'> {
  default?: string;
}
export interface IntegerField extends FieldBase<'integer'>, Bounded {
  default?: number;
}
export interface DecimalField extends FieldBase<'decimal'>, Bounded, Precision {
  default?: number;
}
export interface CurrencyField extends FieldBase<'currency'>, Bounded, Precision {
  currencies?: string[];
  defaultCurrency?: string;
  default?: { amount: number; currency: string };
}
export interface PercentField extends FieldBase<'percent'>, Bounded, Precision {
  default?: number;
}
export interface BooleanField extends FieldBase<'boolean'> {
  default?: boolean;
}
export interface DateField extends FieldBase<'date'> {
  min?: string;
  max?: string;
  /** A `YYYY-MM-DD` day or `today`. */
  default?: string;
}
export interface DatetimeField extends FieldBase<'datetime'> {
  default?: 'now';
}
export interface PicklistField extends FieldBase<'picklist'> {
  values: PicklistValue[];
  default?: string;
}
export interface MultiPicklistField extends FieldBase<'multiPicklist'> {
  values: PicklistValue[];
  maxSelected?: number;
  default?: string[];
}
export interface LookupField extends FieldBase<'lookup'> {
  target: string;
  onDelete?: 'setNull' | 'restrict';
}
export interface MasterDetailField extends FieldBase<'masterDetail'> {
  target: string;
}
export interface AutoNumberField extends FieldBase<'autoNumber'> {
  /** e.g. `Q-{YYYY}-{0000}`. */
  format: string;
  startAt?: number;
}
export interface FormulaField extends FieldBase<'formula'> {
  expression: string;
  returnType: FormulaReturnType;
  scale?: number;
}
export interface RollupField extends FieldBase<'rollup'> {
  childObject: string;
  /** The child's lookup or masterDetail field pointing at this object. */
  relationshipField: string;
  function: 'count' | 'sum' | 'min' | 'max' | 'avg';
  aggregateField?: string;
  filter?: unknown;
}
export interface AddressField extends FieldBase<'address'> {
  defaultCountry?: string;
}
export type NameField = FieldBase<'name'>;
export interface AttachmentField extends FieldBase<'attachment'> {
  maxFiles?: number;
  maxSizeBytes?: number;
  accept?: string[];
}
export type JsonField = FieldBase<'json'>;

/** One field of an object, discriminated by `type`. */
export type FieldDefinition =
  | TextField
  | LongTextField
  | RichTextField
  | EmailField
  | PhoneField
  | UrlField
  | IntegerField
  | DecimalField
  | CurrencyField
  | PercentField
  | BooleanField
  | DateField
  | DatetimeField
  | PicklistField
  | MultiPicklistField
  | LookupField
  | MasterDetailField
  | AutoNumberField
  | FormulaField
  | RollupField
  | AddressField
  | NameField
  | AttachmentField
  | JsonField;

/** The field definition of one type. */
export type FieldDefinitionOf<T extends FieldType> = Extract<FieldDefinition, { type: T }>;

/** An object (deal, case, property, …) with its fields; validated by `object.schema.json`. */
export interface ObjectDefinition {
  /** Assigned by the platform (`obj_…`). */
  id?: string;
  /** Physical table, assigned by the platform. */
  table?: string;
  /** Immutable API name. */
  name: string;
  labels: Labels;
  pluralLabels?: Labels;
  description?: Labels;
  titleField?: string;
  searchFields?: string[];
  /** Organisation-wide default for record access; absent means `private`. */
  sharing?: RecordSharing;
  fields: FieldDefinition[];
  /** Deleted fields, restorable until their column is dropped; managed by the platform. */
  deletedFields?: DeletedField[];
}

/**
 * Who reads and edits an object's records besides their owner: `private` (owners, the managers
 * above them in the role hierarchy, and sharing rules), `read` (all who may read the object read
 * every record), `readWrite` (all who may read or update the object do so on every record).
 */
export type RecordSharing = 'private' | 'read' | 'readWrite';

/** A field whose column is kept after deletion or a type change, until the retention period ends. */
export interface DeletedField {
  field: FieldDefinition;
  /** ISO 8601 instant. */
  deletedAt: string;
  reason?: 'deleted' | 'typeChange';
}

/** The system fields every record has, in API names. */
export const systemFieldNames = ['id', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'ownerId', 'version'] as const;
export type SystemFieldName = (typeof systemFieldNames)[number];
