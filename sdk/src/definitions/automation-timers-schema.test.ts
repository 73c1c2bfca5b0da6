import { describe, expect, it } from 'vitest';
import { escalationRuleMetaSchema, workflowMetaSchema } from '../schemas.ts';
import { escalationAgeUnits } from './escalation-rule.ts';
import { dateOffsetUnits, workflowTriggerTypes } from './workflow-definition.ts';

type Defs = Record<string, { properties: Record<string, { enum?: unknown[]; properties?: Record<string, { enum?: unknown[] }> }> }>;

describe('date-relative triggers and escalation rules in the meta-schemas', () => {
  const workflowDefs = (workflowMetaSchema as { $defs: Defs }).$defs;
  const escalationDefs = (escalationRuleMetaSchema as { $defs: Defs }).$defs;

  it('has exactly the trigger types and offset units of the TypeScript contract', () => {
    expect(workflowDefs.trigger!.properties.type!.enum).toEqual([...workflowTriggerTypes]);
    expect(workflowDefs.dateOffset!.properties.unit!.enum).toEqual([...dateOffsetUnits]);
  });

  it('has exactly the age units of the TypeScript contract', () => {
    expect(escalationDefs.step!.properties.after!.properties!.unit!.enum).toEqual([...escalationAgeUnits]);
  });
});
