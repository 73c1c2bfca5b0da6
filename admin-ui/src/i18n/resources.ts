import type { Language } from './languages.ts';
import en from './locales/en.json';
import ja from './locales/ja.json';

/** Every UI text, by language. English is the reference shape the types are checked against. */
export const resources = {
  ja: { translation: ja },
  en: { translation: en },
} as const satisfies Record<Language, { translation: typeof en }>;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}
