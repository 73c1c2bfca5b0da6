import type { Labels } from '@daicho/sdk';
import type { Language } from '../i18n/index.ts';

/** A definition's label in the UI language, else in the other one, else its API name. */
export function labelOf(labels: Labels | undefined, language: Language, fallback: string): string {
  const other: Language = language === 'ja' ? 'en' : 'ja';
  return labels?.[language] ?? labels?.[other] ?? fallback;
}
