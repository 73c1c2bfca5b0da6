import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePhone, phoneSearchKey } from './normalize-phone.ts';
import { phoneCountryCodes } from './phone-countries.ts';
import { trickyText } from './tricky-text.fixture.ts';

describe('normalizePhone', () => {
  it.each([
    '０３－１２３４－５６７８',
    '03-1234-5678',
    '(03) 1234 5678',
    '（０３）１２３４－５６７８',
    '+81 3-1234-5678',
    '+81312345678',
    '+81 (0)3-1234-5678',
    '+81 03 1234 5678',
    '＋８１ ３ １２３４ ５６７８',
    '03ー1234ー5678',
    '03.1234.5678',
    '010-81-3-1234-5678',
    ' 0312345678 ',
  ])('reads %j as +81312345678', (input) => {
    expect(normalizePhone(input)).toEqual({ ok: true, value: '+81312345678' });
  });

  it.each([
    ['090-1234-5678', '+819012345678'],
    ['0120-123-456', '+81120123456'],
    ['0570-064-000', '+81570064000'],
    ['03-1234-5678 内線 123', '+81312345678;ext=123'],
    ['03-1234-5678（内線１２３）', '+81312345678;ext=123'],
    ['03-1234-5678 内123', '+81312345678;ext=123'],
    ['03-1234-5678 ext. 45', '+81312345678;ext=45'],
    ['03-1234-5678 Ext 45', '+81312345678;ext=45'],
    ['03-1234-5678 x45', '+81312345678;ext=45'],
    ['+1 (415) 555-0100', '+14155550100'],
    ['+44 20 7946 0958', '+442079460958'],
    ['+44 (0)20 7946 0958', '+442079460958'],
    ['+49 30 1234567', '+49301234567'],
  ])('reads %j as %j', (input, value) => {
    expect(normalizePhone(input)).toEqual({ ok: true, value });
  });

  it('keeps only the digits of numbers it cannot place in a country', () => {
    expect(normalizePhone('110')).toEqual({ ok: true, value: '110' });
    expect(normalizePhone('1234-5678')).toEqual({ ok: true, value: '12345678' });
    expect(normalizePhone('(415) 555-0100')).toEqual({ ok: true, value: '4155550100' });
    expect(normalizePhone('02-123-4567', 'ZZ')).toEqual({ ok: true, value: '021234567' });
  });

  it('reads national numbers of the default country', () => {
    expect(normalizePhone('(415) 555-0100', 'US')).toEqual({ ok: true, value: '+14155550100' });
    expect(normalizePhone('1-415-555-0100', 'us')).toEqual({ ok: true, value: '+14155550100' });
    expect(normalizePhone('011 81 3 1234 5678', 'US')).toEqual({ ok: true, value: '+81312345678' });
    expect(normalizePhone('020 7946 0958', 'GB')).toEqual({ ok: true, value: '+442079460958' });
    expect(normalizePhone('02-2345-6789', 'KR')).toEqual({ ok: true, value: '+82223456789' });
    expect(normalizePhone('6123 4567', 'SG')).toEqual({ ok: true, value: '+6561234567' });
    expect(phoneCountryCodes).toEqual(expect.arrayContaining(['JP', 'US', 'GB']));
  });

  it.each([
    ['', 'empty'],
    ['  ', 'empty'],
    ['03-1234-ABCD', 'invalidCharacters'],
    ['0120-DAICHO', 'invalidCharacters'],
    ['tel:0312345678', 'invalidCharacters'],
    ['12', 'tooShort'],
    ['+', 'tooShort'],
    ['1234567890123456', 'tooLong'],
    ['0'.repeat(70), 'tooLong'],
  ])('refuses %j (%s)', (input, problem) => {
    expect(normalizePhone(input)).toMatchObject({ ok: false, problem });
  });

  it('is idempotent: a canonical number normalises to itself', () => {
    const phoneish = fc.oneof(
      trickyText,
      fc.tuple(fc.constantFrom('', '+81 ', '+1 ', '0', '010 '), fc.array(fc.stringMatching(/^\d{1,4}$/u), { minLength: 1, maxLength: 4 }), fc.constantFrom('-', ' ', '－', 'ー'), fc.constantFrom('', ' 内線 12', ' ext. 7'))
        .map(([prefix, groups, separator, extension]) => `${prefix}${groups.join(separator)}${extension}`),
    );
    fc.assert(
      fc.property(phoneish, fc.constantFrom('JP', 'US', 'GB', 'ZZ'), (input, country) => {
        const once = normalizePhone(input, country);
        if (once.ok) expect(normalizePhone(once.value, country)).toEqual(once);
        else expect(normalizePhone(once.value, country)).toMatchObject({ ok: false });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('phoneSearchKey', () => {
  it('gives the digits people type at home for numbers of the default country', () => {
    expect(phoneSearchKey('+81312345678')).toBe('0312345678');
    expect(phoneSearchKey('+81312345678;ext=12')).toBe('0312345678');
    expect(phoneSearchKey('０３－１２３４－５６７８ 内線 12')).toBe('0312345678');
    expect(phoneSearchKey('+14155550100', 'US')).toBe('4155550100');
  });

  it('gives every digit of other numbers and of unreadable input', () => {
    expect(phoneSearchKey('+1 415 555 0100')).toBe('14155550100');
    expect(phoneSearchKey('+44 20 7946 0958')).toBe('442079460958');
    expect(phoneSearchKey('03-1234-ABCD')).toBe('031234');
    expect(phoneSearchKey('')).toBe('');
  });

  it('is the same for every spelling of a number, and contains only digits', () => {
    fc.assert(
      fc.property(trickyText, (input) => {
        expect(phoneSearchKey(input)).toMatch(/^\d*$/u);
        const normalized = normalizePhone(input);
        if (normalized.ok) expect(phoneSearchKey(normalized.value)).toBe(phoneSearchKey(input));
      }),
      { numRuns: 1000 },
    );
  });
});
