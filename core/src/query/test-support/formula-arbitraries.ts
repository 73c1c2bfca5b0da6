// Random well-typed formulas over the sales catalog's deal: arithmetic with blanks and division
// by zero, text functions on tricky text, comparisons, dates around month ends, lookups and
// formula fields that use formula fields.

import fc from 'fast-check';
import type { FormulaReturnType } from '@daicho/sdk';
import { trickyTexts } from './sales-data.ts';

type Arbitraries = Record<FormulaReturnType, fc.Arbitrary<string>>;
type FormulaTexts = Record<FormulaReturnType, string>;

/** A formula text literal: double quotes, with \ and " escaped. */
export function textLiteral(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const numberLiterals = fc.constantFrom('0', '1', '2', '3', '7', '10', '0.1', '0.5', '2.5', '1.005', '12.345', '100', '3.', '.25', '1000000');
const smallIntegers = fc.integer({ min: -3, max: 40 }).map(String);
const call = (name: string, ...args: fc.Arbitrary<string>[]) => fc.tuple(...args).map((parts) => `${name}(${parts.join(', ')})`);
const infix = (operator: string, left: fc.Arbitrary<string>, right: fc.Arbitrary<string>) =>
  fc.tuple(left, right).map(([a, b]) => `(${a} ${operator} ${b})`);

/** Formulas of each return type, nested up to `maxDepth`. */
export function formulaArbitraries(maxDepth = 3): Arbitraries {
  return fc.letrec<FormulaTexts>((tie) => {
    const n = tie('number');
    const t = tie('text');
    const b = tie('boolean');
    const d = tie('date');
    const dt = tie('datetime');
    const depth = { maxDepth, depthIdentifier: 'formula' };
    const anyValue = fc.oneof(n, t, b, d, dt);
    const comparable = (operand: fc.Arbitrary<string>) =>
      fc.tuple(operand, fc.constantFrom('=', '<>', '!=', '<', '<=', '>', '>='), operand).map(([x, op, y]) => `(${x} ${op} ${y})`);
    return {
      number: fc.oneof(
        depth,
        numberLiterals,
        fc.constantFrom('quantity', 'probability', 'amount', 'account.tier', 'total', 'account.score', 'accountScore', 'NULL'),
        infix('+', n, n),
        infix('-', n, n),
        infix('*', n, n),
        infix('/', n, n),
        n.map((x) => `-${x}`),
        call('ROUND', n),
        call('ROUND', n, fc.oneof(smallIntegers, n)),
        call('ABS', n),
        call('FLOOR', n),
        call('CEILING', n),
        call('MIN', n, n),
        call('MAX', n, n, n),
        call('MOD', n, n),
        call('LEN', t),
        call('VALUE', fc.oneof(t, fc.constantFrom('" 12.50 "', '"-3"', '".5"', '"1e3"', '"abc"', '"5."', '"１２"'))),
        call('YEAR', d),
        call('MONTH', d),
        call('DAY', d),
        call('DAYSBETWEEN', d, d),
        call('IF', b, n, n),
        call('CASE', n, numberLiterals, n, numberLiterals, n, n),
        call('BLANKVALUE', n, n),
      ),
      text: fc.oneof(
        depth,
        fc.constantFrom(...trickyTexts).map(textLiteral),
        fc.constantFrom('name', 'stage', 'amount.currency', 'account.name', 'billingAddress.city', 'label', 'account.owner.email', 'account', 'NULL'),
        infix('&', t, t),
        call('UPPER', t),
        call('LOWER', t),
        call('TRIM', fc.oneof(t, fc.constantFrom('"  a b\u3000"', '"\\t x \\n"'))),
        call('LEFT', t, fc.oneof(smallIntegers, n)),
        call('RIGHT', t, fc.oneof(smallIntegers, n)),
        call('MID', t, fc.oneof(smallIntegers, n), smallIntegers),
        call('SUBSTITUTE', t, fc.oneof(t, fc.constantFrom('"a"', '""', '"%"')), t),
        call('TEXT', anyValue),
        call('IF', b, t, t),
        call('BLANKVALUE', t, t),
        call('CASE', t, fc.constantFrom('"won"', '"a"', '""'), t, t),
      ),
      boolean: fc.oneof(
        depth,
        fc.constantFrom('TRUE', 'FALSE', 'closed', 'big', 'NULL'),
        comparable(n),
        comparable(t),
        comparable(d),
        comparable(dt),
        fc.tuple(b, b).map(([x, y]) => `(${x} = ${y})`),
        call('AND', b, b),
        infix('&&', b, b),
        infix('OR', b, b),
        call('OR', b, b, b),
        b.map((x) => `NOT ${x}`),
        call('ISBLANK', anyValue),
        call('CONTAINS', t, t),
        call('BEGINS', t, t),
        call('IF', b, b, b),
      ),
      date: fc.oneof(
        depth,
        fc.constantFrom('closeDate', 'followUp', 'TODAY()', 'NULL', 'DATE(2024, 2, 29)', 'DATE(2026, 1, 31)'),
        call('ADDDAYS', d, fc.oneof(smallIntegers, n)),
        call('ADDMONTHS', d, fc.oneof(smallIntegers, n, fc.constant('-1'), fc.constant('13'))),
        call('DATE', fc.oneof(fc.constantFrom('2026', '2024', '1', '9999', '10000'), n), fc.oneof(smallIntegers, n), fc.oneof(smallIntegers, n)),
        call('DATEVALUE', dt),
        call('IF', b, d, d),
        call('MIN', d, d),
        call('MAX', d, d),
        call('BLANKVALUE', d, d),
      ),
      datetime: fc.oneof(
        depth,
        fc.constantFrom('lastContact', 'createdAt', 'account.createdAt', 'NOW()', 'NULL'),
        call('IF', b, dt, dt),
        call('MIN', dt, dt),
        call('MAX', dt, dt),
        call('BLANKVALUE', dt, dt),
      ),
    };
  });
}
