// Random filters over the sales catalog's deal: every operator on every kind of field, nested
// and/or/not groups, relative dates, variables, lookup paths, formula fields.

import fc from 'fast-check';
import { formatIsoDate } from '../calendar/civil-date.ts';
import { relativeDateNames } from '@daicho/sdk';
import { stageValues, tagValues } from './sales-catalog.ts';
import { salesNow, textArbitrary, type SalesData } from './sales-data.ts';

type Json = unknown;
const day = 86_400_000;

const textPaths = ['name', 'account.name', 'account.industry', 'billingAddress.city', 'billingAddress.country', 'amount.currency', 'account.owner.email', 'ownerId.email', 'label'];
const numberPaths = ['amount', 'quantity', 'probability', 'account.tier', 'total', 'account.score', 'accountScore'];
const booleanPaths = ['closed', 'big'];
const datePaths = ['closeDate', 'followUp'];
const dateTimePaths = ['lastContact', 'createdAt', 'account.createdAt'];
const idPaths = ['id', 'account', 'ownerId', 'account.owner', 'account.id'];

const relativeDate = fc.oneof(
  fc.constantFrom(...relativeDateNames.filter((name) => !name.endsWith('NDays'))).map((name) => ({ $date: name })),
  fc.record({ $date: fc.constantFrom('lastNDays', 'nextNDays'), n: fc.integer({ min: 1, max: 400 }) }),
  fc.constant({ $var: 'today' }),
);
const dateLiteral = fc.integer({ min: -420, max: 420 }).map((days) => formatIsoDate(Math.floor(salesNow.getTime() / day) + days));
const instantLiteral = fc.integer({ min: -420 * 24, max: 420 * 24 }).map((hours) => new Date(salesNow.getTime() + hours * 3_600_000).toISOString());
const numberLiteral = fc.oneof(fc.integer({ min: -10, max: 60 }), fc.integer({ min: -100_000, max: 500_000 }).map((cents) => cents / 100), fc.constant(0.5));

function condition(paths: readonly string[], byOperator: Record<string, fc.Arbitrary<Json>>): fc.Arbitrary<Json> {
  const operators = Object.keys(byOperator);
  return fc
    .tuple(fc.constantFrom(...paths), fc.constantFrom(...operators))
    .chain(([field, op]) => byOperator[op]!.map((value) => (value === undefined ? { field, op } : { field, op, value })));
}

function orderedOperators(value: fc.Arbitrary<Json>, ranged: fc.Arbitrary<Json> = value): Record<string, fc.Arbitrary<Json>> {
  return {
    eq: ranged,
    ne: ranged,
    lt: ranged,
    lte: ranged,
    gt: ranged,
    gte: ranged,
    between: fc.tuple(ranged, ranged),
    isNull: fc.option(fc.boolean(), { nil: undefined }),
  };
}

/** Values drawn from the data itself, so that conditions match some records. */
export function filterArbitrary(data: SalesData): fc.Arbitrary<Json> {
  const text = fc.oneof(textArbitrary, fc.constantFrom(...data.deals.map((deal) => deal.name).filter((name) => typeof name === 'string')));
  const ids = fc.oneof(
    fc.uuid(),
    fc.constantFrom(...data.deals.map((deal) => deal.id as string)),
    fc.constantFrom(...data.accounts.map((account) => account.id as string)),
    fc.constantFrom(...data.users.map((user) => user.id.toUpperCase())),
  );
  const list = <T>(item: fc.Arbitrary<T>) => fc.array(item, { maxLength: 4 });
  const conditions = fc.oneof(
    condition(textPaths, { ...orderedOperators(text), in: list(text), notIn: list(text), contains: text, startsWith: text }),
    condition(['stage'], { eq: fc.constantFrom(...stageValues), ne: fc.constantFrom(...stageValues), in: list(fc.constantFrom(...stageValues)), notIn: list(fc.constantFrom(...stageValues)), isNull: fc.boolean() }),
    condition(numberPaths, { ...orderedOperators(numberLiteral), in: list(numberLiteral), notIn: list(numberLiteral) }),
    condition(booleanPaths, { eq: fc.boolean(), ne: fc.boolean(), isNull: fc.boolean() }),
    condition(datePaths, { ...orderedOperators(dateLiteral, fc.oneof(dateLiteral, relativeDate)), in: list(dateLiteral), notIn: list(dateLiteral) }),
    condition(dateTimePaths, orderedOperators(instantLiteral, fc.oneof(instantLiteral, dateLiteral, relativeDate, fc.constant({ $var: 'now' })))),
    condition(idPaths, { eq: fc.oneof(ids, fc.constant({ $var: 'user.id' })), ne: ids, in: list(ids), notIn: list(fc.oneof(ids, fc.constant({ $var: 'user.id' }))), isNull: fc.boolean() }),
    condition(['tags'], {
      eq: fc.subarray([...tagValues]),
      ne: fc.subarray([...tagValues]),
      in: fc.subarray([...tagValues]),
      notIn: fc.subarray([...tagValues]),
      contains: fc.oneof(fc.constantFrom(...tagValues), fc.subarray([...tagValues])),
      isNull: fc.boolean(),
    }),
  );
  const { node } = fc.letrec<{ node: Json }>((tie) => ({
    node: fc.oneof(
      { maxDepth: 4, depthIdentifier: 'filter' },
      conditions,
      fc.record({ and: fc.array(tie('node'), { maxLength: 3 }) }),
      fc.record({ or: fc.array(tie('node'), { maxLength: 3 }) }),
      fc.record({ not: tie('node') }),
    ),
  }));
  return node;
}
