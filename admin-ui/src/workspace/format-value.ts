import type { CurrencyValue, FieldDefinition, PersonNameValue, AddressValue } from '@daicho/sdk';
import type { Language } from '../i18n/index.ts';
import { labelOf } from './labels.ts';

/** The Intl locale of a UI language. */
export function localeOf(language: Language): string {
  return language === 'ja' ? 'ja-JP' : 'en-US';
}

/** Where and for whom values are shown: the UI language and the user's time zone. */
export interface FormatContext {
  language: Language;
  timeZone: string;
}

/**
 * A field value as text for lists and read-only views: numbers, money, dates and times in the
 * user's language, date-times in the user's time zone, picklist values by their labels.
 */
export function formatValue(field: FieldDefinition, value: unknown, context: FormatContext): string {
  if (value === null || value === undefined || value === '') return '';
  const locale = localeOf(context.language);
  switch (field.type) {
    case 'integer':
    case 'decimal':
    case 'rollup':
      return typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : String(value);
    case 'percent':
      return typeof value === 'number' ? new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 4 }).format(value / 100) : String(value);
    case 'currency': {
      const money = value as CurrencyValue;
      try {
        return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }).format(money.amount);
      } catch {
        return `${money.amount} ${money.currency}`;
      }
    }
    case 'boolean':
      return value === true ? '✓' : '—';
    case 'date':
      return formatDate(String(value), locale);
    case 'datetime':
      return formatDateTime(String(value), locale, context.timeZone);
    case 'picklist':
      return pickLabel(field, String(value), context.language);
    case 'multiPicklist':
      return Array.isArray(value) ? value.map((item) => pickLabel(field, String(item), context.language)).join(', ') : '';
    case 'name': {
      const name = value as PersonNameValue;
      return context.language === 'ja' ? [name.family, name.given].filter(Boolean).join(' ') : [name.given, name.family].filter(Boolean).join(' ');
    }
    case 'address': {
      const address = value as AddressValue;
      const parts = context.language === 'ja'
        ? [address.postalCode && `〒${address.postalCode}`, address.region, address.city, address.street, address.building]
        : [address.building, address.street, address.city, address.region, address.postalCode, address.country];
      return parts.filter(Boolean).join(' ');
    }
    case 'formula':
      if (typeof value === 'number') return new Intl.NumberFormat(locale).format(value);
      if (field.returnType === 'date') return formatDate(String(value), locale);
      if (field.returnType === 'datetime') return formatDateTime(String(value), locale, context.timeZone);
      return String(value);
    case 'attachment':
      return Array.isArray(value) ? value.map((file: { fileName?: string }) => file.fileName ?? '').join(', ') : '';
    case 'json':
      return JSON.stringify(value);
    default:
      return String(value);
  }
}

function pickLabel(field: FieldDefinition, value: string, language: Language): string {
  if (field.type !== 'picklist' && field.type !== 'multiPicklist') return value;
  const found = field.values.find((option) => option.value === value);
  return found === undefined ? value : labelOf(found.labels, language, value);
}

/** A calendar day (`YYYY-MM-DD`) has no time zone: it is shown as the same day everywhere. */
function formatDate(day: string, locale: string): string {
  const parsed = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime())) return day;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(parsed);
}

function formatDateTime(instant: string, locale: string, timeZone: string): string {
  const parsed = new Date(instant);
  if (Number.isNaN(parsed.getTime())) return instant;
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(parsed);
  } catch {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(parsed);
  }
}
