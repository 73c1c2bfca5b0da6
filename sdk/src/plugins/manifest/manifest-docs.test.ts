import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pluginManifestMetaSchema } from '../../schemas.ts';

const guide = readFileSync(path.resolve(import.meta.dirname, '../../../../docs/plugin-guide/manifest.md'), 'utf8');

// Every property name anywhere in the schema, except inside the JSON Schemas plugins supply.
function propertyNames(schema: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((item) => propertyNames(item, names));
  else if (schema && typeof schema === 'object') {
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'properties' && value && typeof value === 'object') Object.keys(value).forEach((name) => names.add(name));
      propertyNames(value, names);
    }
  }
  return names;
}

describe('docs/plugin-guide/manifest.md', () => {
  // Fenced blocks first (their backticks would pair up wrongly), then inline code spans.
  const prose = guide.replace(/```[\s\S]*?```/gu, '');
  const codeSpans = [...prose.matchAll(/`([^`]+)`/gu)].map((match) => match[1]!);
  const names = [...propertyNames(pluginManifestMetaSchema)];

  it.each(names)('mentions the manifest field %s in code', (name) => {
    expect(codeSpans.some((span) => new RegExp(`(^|[^A-Za-z0-9_])${name}([^A-Za-z0-9_]|$)`, 'u').test(span))).toBe(true);
  });

  it('states the id pattern of the schema', () => {
    const schema = pluginManifestMetaSchema as { properties: { id: { pattern: string } } };
    expect(guide).toContain(`\`${schema.properties.id.pattern.replaceAll('\\\\', '\\')}\``);
  });
});
