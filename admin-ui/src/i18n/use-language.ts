import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { isLanguage, storeLanguage, type Language } from './languages.ts';

/** The current language and a way to switch it that also remembers the choice. */
export function useLanguage(): { language: Language; changeLanguage: (language: Language) => Promise<void> } {
  const { i18n } = useTranslation();
  const current = i18n.resolvedLanguage;
  const language: Language = isLanguage(current) ? current : 'en';
  const changeLanguage = useCallback(
    async (next: Language) => {
      await i18n.changeLanguage(next);
      storeLanguage(next);
    },
    [i18n],
  );
  return { language, changeLanguage };
}
