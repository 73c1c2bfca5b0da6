import { afterEach, describe, expect, it } from 'vitest';
import { detectLanguage, languageStorageKey, readStoredLanguage, storeLanguage } from './languages.ts';

describe('detectLanguage', () => {
  it('prefers the stored choice over the browser language', () => {
    expect(detectLanguage('en', 'ja-JP')).toBe('en');
    expect(detectLanguage('ja', 'en-US')).toBe('ja');
  });

  it('falls back to the browser language: Japanese for any ja variant, else English', () => {
    expect(detectLanguage(null, 'ja')).toBe('ja');
    expect(detectLanguage(null, 'ja-JP')).toBe('ja');
    expect(detectLanguage(null, 'en-GB')).toBe('en');
    expect(detectLanguage(null, 'fr-FR')).toBe('en');
    expect(detectLanguage(null, undefined)).toBe('en');
  });

  it('ignores a stored value that is not a supported language', () => {
    expect(detectLanguage('de', 'ja-JP')).toBe('ja');
  });
});

describe('stored language', () => {
  afterEach(() => {
    localStorage.clear();
  });

  it('round-trips through localStorage under daicho.locale', () => {
    expect(readStoredLanguage()).toBeNull();
    storeLanguage('ja');
    expect(localStorage.getItem(languageStorageKey)).toBe('ja');
    expect(languageStorageKey).toBe('daicho.locale');
    expect(readStoredLanguage()).toBe('ja');
  });
});
