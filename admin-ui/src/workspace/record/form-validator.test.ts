import { describe, expect, it } from 'vitest';
import { fits, formValidator } from './form-validator.ts';

describe('the record form validator', () => {
  const stage = { type: 'string' as const, oneOf: [{ const: 'prospect', title: 'Prospect' }, { const: 'won', title: 'Won' }] };

  it('tells which branch of a oneOf fits, without compiling code', () => {
    expect(fits(stage.oneOf[1], 'won')).toBe(true);
    expect(fits(stage.oneOf[0], 'won')).toBe(false);
    expect(formValidator.isValid(stage, 'won', stage)).toBe(true);
    expect(formValidator.isValid(stage, 'nope', stage)).toBe(false);
  });

  it('checks types, required properties and items', () => {
    const money = { type: 'object' as const, required: ['amount'], properties: { amount: { type: 'number' as const } } };
    expect(fits(money, { amount: 3 })).toBe(true);
    expect(fits(money, { amount: '3' })).toBe(false);
    expect(fits(money, {})).toBe(false);
    expect(fits({ type: 'array', items: { type: 'string' } }, ['a', 1])).toBe(false);
    expect(fits({ type: 'integer' }, 1.5)).toBe(false);
  });

  it('leaves validation of the data to the server', () => {
    expect(formValidator.validateFormData({ anything: true }, { type: 'object' })).toEqual({ errors: [], errorSchema: {} });
  });
});
