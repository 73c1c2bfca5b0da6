import { filterLimits, filterOperators, filterVariableNames, relativeDateNames } from '@daicho/sdk';
import filterSchema from '@daicho/sdk/schemas/filter.schema.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';

// The sdk's lists (which this module uses) and the meta-schema must say the same.
describe('the filter vocabulary', () => {
  const definitions = filterSchema.$defs;

  it('matches the meta-schema: operators, variables, relative dates', () => {
    expect([...filterOperators]).toEqual(definitions.operator.enum);
    expect([...filterVariableNames]).toEqual(definitions.variable.properties.$var.enum);
    expect([...relativeDateNames]).toEqual(definitions.relativeDate.properties.$date.enum);
  });

  it('matches the meta-schema: the limits it can express', () => {
    expect(definitions.value.anyOf[1]).toMatchObject({ maxItems: filterLimits.maxListItems });
    expect(definitions.scalar.anyOf[0]).toMatchObject({ maxLength: filterLimits.maxStringLength });
    expect(definitions.relativeDate.properties.n).toMatchObject({ minimum: 1, maximum: filterLimits.maxRelativeDays });
    expect(definitions.sort).toMatchObject({ maxItems: filterLimits.maxSortKeys });
    expect(definitions.and.properties.and.maxItems).toBe(filterLimits.maxConditions);
  });
});
