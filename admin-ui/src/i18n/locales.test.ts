import { errorCodes } from '@daicho/sdk';
import { describe, expect, it } from 'vitest';
import { clientErrorCodes } from '../api/index.ts';
import { languages } from './languages.ts';
import { resources } from './resources.ts';

/** Every key path of a nested translation object, with its text. */
function flatten(tree: object, prefix = ''): Map<string, unknown> {
  const entries = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'object' && value !== null) {
      for (const [nestedPath, text] of flatten(value, path)) entries.set(nestedPath, text);
    } else {
      entries.set(path, value);
    }
  }
  return entries;
}

const texts = Object.fromEntries(languages.map((language) => [language, flatten(resources[language].translation)]));

describe('translations', () => {
  const serverCodes = Object.keys(errorCodes);

  it.each(languages)('%s has a text for every error code of the sdk and of the client', (language) => {
    expect(serverCodes.length).toBeGreaterThan(0);
    const missing = [...serverCodes, ...clientErrorCodes].filter((code) => {
      const text = texts[language]?.get(`errors.${code}`);
      return typeof text !== 'string' || text.trim() === '';
    });
    expect(missing).toEqual([]);
  });

  it('ja and en have exactly the same keys', () => {
    expect([...(texts['ja']?.keys() ?? [])].sort()).toEqual([...(texts['en']?.keys() ?? [])].sort());
  });

  it.each(languages)('%s has no empty texts', (language) => {
    const empty = [...(texts[language] ?? new Map<string, unknown>())].filter(
      ([, text]) => typeof text !== 'string' || text.trim() === '',
    );
    expect(empty).toEqual([]);
  });
});
