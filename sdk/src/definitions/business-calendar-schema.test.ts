import { describe, expect, it } from 'vitest';
import { businessCalendarMetaSchema } from '../schemas.ts';
import { businessCalendarDefaults, weekdays } from './business-calendar.ts';

type JsonSchema = { properties: Record<string, { default?: unknown; properties?: Record<string, unknown> }> };

describe('business-calendar.schema.json', () => {
  const schema = businessCalendarMetaSchema as unknown as JsonSchema;

  it('has exactly the weekdays of the TypeScript contract', () => {
    expect(Object.keys(schema.properties.weeklyHours!.properties!)).toEqual([...weekdays]);
  });

  it('documents the defaults the platform applies', () => {
    expect(schema.properties.timeZone!.default).toBe(businessCalendarDefaults.timeZone);
    expect(schema.properties.closedOnJapaneseHolidays!.default).toBe(businessCalendarDefaults.closedOnJapaneseHolidays);
    expect(schema.properties.yearEndClosure!.default).toEqual(businessCalendarDefaults.yearEndClosure);
  });
});
