import { describe, expect, it } from 'vitest';
import { createRecordHookRegistry } from './record-hooks.ts';

describe('the record-hook registry', () => {
  it('finds hooks by workspace, object and event, and a disposer removes exactly its registration', () => {
    const registry = createRecordHookRegistry();
    const run = async () => undefined;
    const first = registry.register({ workspaceId: 'w1', object: 'deal', events: ['beforeCreate', 'afterCreate'], run });
    const second = registry.register({ workspaceId: 'w1', object: 'deal', events: ['beforeCreate'], run });
    registry.register({ workspaceId: 'w2', object: 'deal', events: ['beforeCreate'], run });
    expect(registry.hooksFor('w1', 'deal', 'beforeCreate')).toHaveLength(2);
    expect(registry.hooksFor('w1', 'deal', 'afterCreate')).toHaveLength(1);
    expect(registry.has('w1', 'case')).toBe(false);
    first();
    first();
    expect(registry.hooksFor('w1', 'deal', 'beforeCreate')).toHaveLength(1);
    second();
    expect(registry.has('w1', 'deal')).toBe(false);
    expect(registry.all()).toHaveLength(1);
  });
});
