import { describe, expect, it } from 'vitest';
import { divideDecimals, formatDecimal, multiplyDecimals, parseDecimal, roundDecimal, type Decimal } from './decimal.ts';

const d = (text: string): Decimal => parseDecimal(text)!;

describe('decimals as PostgreSQL numeric computes them', () => {
  it('parses numeric input, exponents included, keeping the scale', () => {
    expect(['1.50', '.5', '5.', '-0.0', '1e+21', '1.5e-7', '+3'].map((text) => formatDecimal(d(text)))).toEqual([
      '1.50', '0.5', '5', '0.0', '1000000000000000000000', '0.00000015', '3',
    ]);
    expect(['', '.', '1..2', 'e5', '1e', ' 1'].map(parseDecimal)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('divides to at least 16 significant digits, rounding half away from zero (select_div_scale)', () => {
    const divide = (a: string, b: string) => formatDecimal(divideDecimals(d(a), d(b))!);
    expect(divide('1', '3')).toBe('0.33333333333333333333');
    expect(divide('10', '4')).toBe('2.5000000000000000');
    expect(divide('2', '3')).toBe('0.66666666666666666667');
    expect(divide('-2', '3')).toBe('-0.66666666666666666667');
    expect(divide('100000000000000000000.01', '3')).toBe('33333333333333333333.34');
    expect(divide('1', '0.0001')).toBe('10000.0000000000000000');
    expect(divideDecimals(d('1'), d('0.00'))).toBeNull();
  });

  it('multiplies exactly and rounds half away from zero', () => {
    expect(formatDecimal(multiplyDecimals(d('0.10'), d('0.3')))).toBe('0.030');
    expect(['2.5', '-2.5', '0.5', '1.005', '-1.005'].map((text) => formatDecimal(roundDecimal(d(text), text.includes('.00') ? 2 : 0)))).toEqual([
      '3', '-3', '1', '1.01', '-1.01',
    ]);
    expect(formatDecimal(roundDecimal(d('1250'), -2))).toBe('1300');
    expect(formatDecimal(roundDecimal(d('1.2'), 3))).toBe('1.200');
  });
});
