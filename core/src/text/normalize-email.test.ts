import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEmail } from './normalize-email.ts';
import { trickyText } from './tricky-text.fixture.ts';

describe('normalizeEmail', () => {
  it.each([
    [' Yamada@Example.CO.JP ', 'yamada@example.co.jp'],
    ['ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｊｐ', 'yamada@example.jp'],
    ['\u3000Taro.Yamada+crm@sub.example-corp.com\u3000', 'taro.yamada+crm@sub.example-corp.com'],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ['user@xn--r8jz45g.jp', 'user@xn--r8jz45g.jp'],
  ])('accepts %j as %j', (input, value) => {
    expect(normalizeEmail(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['yamada.example.jp', 'missingAt'],
    ['@example.jp', 'invalidLocalPart'],
    ['.yamada@example.jp', 'invalidLocalPart'],
    ['yama..da@example.jp', 'invalidLocalPart'],
    ['yamada@example@jp.com', 'invalidLocalPart'],
    ['"yamada taro"@example.jp', 'invalidLocalPart'],
    ['yamada taro@example.jp', 'invalidLocalPart'],
    ['yamada@localhost', 'invalidDomain'],
    ['yamada@example..jp', 'invalidDomain'],
    ['yamada@-example.jp', 'invalidDomain'],
    ['yamada@example.j', 'invalidDomain'],
    ['yamada@example.123', 'invalidDomain'],
    ['yamada@例え.jp', 'invalidDomain'],
    [`${'a'.repeat(65)}@example.jp`, 'invalidLocalPart'],
    [`a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(63)}.jp`, 'tooLong'],
  ])('refuses %j with problem %s, keeping the normalised text', (input, problem) => {
    const result = normalizeEmail(input);
    expect(result).toMatchObject({ ok: false, problem });
    expect(result.value).toBe(input.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase());
  });

  it('is idempotent and its accepted values are lower-case ASCII without spaces', () => {
    const emailish = fc.oneof(trickyText, fc.emailAddress(), fc.emailAddress().map((email) => `  ${email.toUpperCase()}\u3000`));
    fc.assert(
      fc.property(emailish, (input) => {
        const once = normalizeEmail(input);
        expect(normalizeEmail(once.value)).toEqual(once);
        if (once.ok) expect(once.value).toMatch(/^[\x21-\x7e]+@[a-z0-9.-]+$/u);
      }),
      { numRuns: 2000 },
    );
  });
});
