import type { FieldDefinition, ObjectDefinition } from '@daicho/sdk';
import { phoneSearchKey, richTextToPlainText, searchKey } from '../text/index.ts';

/** The fields global search matches: the title, every e-mail, phone and name field, and `searchFields`. */
export function searchedFields(definition: ObjectDefinition): FieldDefinition[] {
  const chosen = new Set([definition.titleField, ...(definition.searchFields ?? [])]);
  return definition.fields.filter((field) => chosen.has(field.name) || field.type === 'email' || field.type === 'phone' || field.type === 'name');
}

function keysOf(field: FieldDefinition, value: unknown): string[] {
  if (value === null || value === undefined) return [];
  switch (field.type) {
    case 'phone':
      return [searchKey(String(value)), phoneSearchKey(String(value))];
    case 'richText':
      return [searchKey(richTextToPlainText(String(value)))];
    case 'name':
    case 'address': {
      const parts = Object.values(value as Record<string, unknown>).filter((part): part is string => typeof part === 'string');
      // Family and given name both ways round, so that "山田 太郎" and "太郎 山田" both match.
      const name = value as { family?: string; given?: string };
      if (field.type === 'name' && name.family && name.given) parts.push(`${name.family}${name.given}`, `${name.given} ${name.family}`);
      return parts.map(searchKey);
    }
    default:
      return [searchKey(String(value))];
  }
}

/** The folded text stored in `search_text`, which global search matches against. */
export function buildSearchText(definition: ObjectDefinition, record: Record<string, unknown>): string {
  return [...new Set(searchedFields(definition).flatMap((field) => keysOf(field, record[field.name])).filter(Boolean))].join('\n');
}
