import type { ObjectDefinition } from '@daicho/sdk';
import { describe, expect, it } from 'vitest';
import type { WorkspaceMetadata } from '../metadata/index.ts';
import { createSqlCompiler } from '../testing/index.ts';
import { insertWithAudit, updateWithAudit } from './audited-write-statements.ts';
import { fullAccess } from './records-context.ts';

const definition: ObjectDefinition = {
  name: 'ticket',
  labels: { en: 'Ticket' },
  table: 'obj_ticket',
  fields: [
    { name: 'subject', type: 'text', labels: { en: 'Subject' }, column: 'f_subject' },
    { name: 'budget', type: 'currency', labels: { en: 'Budget' }, column: 'f_budget' },
  ],
} as ObjectDefinition;
const target = { definition, metadata: { schema: 'ws_1' } as WorkspaceMetadata };
const actor = { workspaceId: '0190f5a0-0000-7000-8000-000000000001', userId: '0190f5a0-0000-7000-8000-000000000002', timeZone: 'UTC', clientAddress: '192.0.2.1', requestId: 'r-1', access: fullAccess };

// A cached write statement is reused as text with the parameters its caller lists: they must be
// exactly what the compiled statement binds, in order, or the cache is bypassed.
describe('writes with their audit event', () => {
  const db = createSqlCompiler();

  it('an insert binds its values, then the audit context, and is one statement', () => {
    const statement = insertWithAudit(db, target, actor, { id: 'x', f_subject: 'Hello', f_budget: 10, f_budget_cur: 'JPY' });
    const compiled = statement.build();
    expect(compiled.parameters).toEqual(statement.parameters);
    expect(compiled.sql).toMatch(/^with r as \(insert into "ws_1"\."obj_ticket" .* a as \(insert into "daicho"\."audit_event" .* select \* from r$/s);
  });

  it.each([[undefined, undefined], [3, undefined], [undefined, 'hello'], [4, 'hello']])('an update (version %s, search text %s) binds what it lists', (expected, searchText) => {
    const statement = updateWithAudit(db, target, actor, 'id-1', { f_subject: 'Hi', f_budget: null, f_budget_cur: null }, { ...(expected === undefined ? {} : { expected }), ...(searchText === undefined ? {} : { searchText }) });
    const compiled = statement.build();
    expect(compiled.parameters).toEqual(statement.parameters);
    expect(compiled.sql).toContain('for update');
  });
});
