// Translations of the browser app: the languages, their texts, and the i18next instance.
// Components get texts through react-i18next's useTranslation; none are written in components.
export { createI18n } from './create-i18n.ts';
export { detectLanguage, isLanguage, languages, languageStorageKey, readStoredLanguage, storeLanguage } from './languages.ts';
export type { Language } from './languages.ts';
export { resources } from './resources.ts';
export { useLanguage } from './use-language.ts';
