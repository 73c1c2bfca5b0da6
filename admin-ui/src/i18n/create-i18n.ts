import { createInstance, type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { languages, type Language } from './languages.ts';
import { resources } from './resources.ts';

/**
 * Creates the i18next instance of the app, started in `language`. Whenever the language changes,
 * `<html lang>` and the document title follow, so screen readers and fonts pick the right language.
 */
export function createI18n(language: Language): I18n {
  const i18n = createInstance();
  i18n.on('languageChanged', () => {
    if (typeof document === 'undefined') return;
    document.documentElement.lang = i18n.resolvedLanguage ?? language;
    document.title = i18n.t('app.title');
  });
  void i18n.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'en',
    supportedLngs: languages,
    resources,
    // The resources are bundled, so the instance is ready as soon as init returns.
    initAsync: false,
    // React escapes what it renders.
    interpolation: { escapeValue: false },
  });
  return i18n;
}
