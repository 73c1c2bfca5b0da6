/** The languages the browser app is translated into; the first is the product's home language. */
export const languages = ['ja', 'en'] as const;

/** A language the browser app is translated into. */
export type Language = (typeof languages)[number];

/** Where the user's explicit language choice is kept in `localStorage`. */
export const languageStorageKey = 'daicho.locale';

/** Tells whether a value names a language the app is translated into. */
export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/**
 * Picks the language to start with: the user's stored choice, else the browser's language.
 * Any browser language other than Japanese gets English.
 *
 * @example
 * detectLanguage(null, 'ja-JP'); // 'ja'
 * detectLanguage('en', 'ja-JP'); // 'en'
 */
export function detectLanguage(stored: string | null | undefined, browserLanguage: string | undefined): Language {
  if (isLanguage(stored)) return stored;
  return browserLanguage?.toLowerCase().startsWith('ja') === true ? 'ja' : 'en';
}

/** The stored language choice, or null when there is none or storage is unavailable. */
export function readStoredLanguage(storage: Storage | undefined = globalThis.localStorage): string | null {
  try {
    return storage?.getItem(languageStorageKey) ?? null;
  } catch {
    // Storage can be disabled by the browser (privacy settings); the app still works without it.
    return null;
  }
}

/** Remembers the user's language choice; does nothing when storage is unavailable. */
export function storeLanguage(language: Language, storage: Storage | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(languageStorageKey, language);
  } catch {
    // See readStoredLanguage: the choice then lasts for this page only.
  }
}
