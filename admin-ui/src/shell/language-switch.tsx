import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { languages, useLanguage, type Language } from '../i18n/index.ts';

/**
 * Switches the display language; each option is named in its own language. `onChanged` lets a
 * signed-in page also save the choice as the user's own.
 */
export function LanguageSwitch({ onChanged }: { onChanged?: (language: Language) => void }) {
  const { t } = useTranslation();
  const { language, changeLanguage } = useLanguage();
  const options = languages.map((value) => ({
    value,
    label: <span lang={value}>{t(`language.names.${value}`)}</span>,
  }));
  return (
    <Segmented<Language>
      data-testid="language-switch"
      aria-label={t('language.label')}
      value={language}
      options={options}
      onChange={(next) => {
        void changeLanguage(next);
        onChanged?.(next);
      }}
    />
  );
}
