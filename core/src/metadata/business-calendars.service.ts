import type { BusinessCalendarDefinition } from '@daicho/sdk';
import type { Kysely } from 'kysely';
import { appendAuditEvent } from '../audit/index.ts';
import { checkBusinessCalendar } from '../calendars/index.ts';
import { errors } from '../errors/index.ts';
import { deleteDefinitionVersion, saveDefinitionVersion } from './definition-versions.ts';
import { listDefinitionRows, type StoredDefinition } from './definitions.repository.ts';
import { validateDefinitionDocument } from './meta-schema.ts';
import type { MetadataActor, MetadataDeps } from './object-definitions.service.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function auditCalendarChange(db: Db, actor: MetadataActor, details: Record<string, unknown>): Promise<void> {
  await appendAuditEvent(db, { workspaceId: actor.workspaceId, actorId: actor.userId ?? null, clientAddress: actor.clientAddress ?? null, requestId: actor.requestId ?? null }, { kind: 'definition.change', details: { definition: 'businessCalendar', ...details } });
}

/**
 * Creates or replaces a business calendar (PUT semantics): validated against its meta-schema and
 * the calendar rules (known time zone, ordered intervals, ranges forward), stored as a new version
 * with its diff. `expectedVersion`, when given, must match the stored version (409 otherwise).
 */
export async function saveBusinessCalendar(deps: Pick<MetadataDeps, 'em' | 'cache'>, actor: MetadataActor, input: unknown, options: { expectedVersion?: number } = {}): Promise<StoredDefinition<BusinessCalendarDefinition>> {
  const problems = validateDefinitionDocument('businessCalendar', input);
  if (problems.length > 0) throw errors.invalidDefinition(problems);
  const body = input as BusinessCalendarDefinition;
  const ruleProblems = checkBusinessCalendar(body);
  if (ruleProblems.length > 0) throw errors.invalidDefinition(ruleProblems);
  const saved = await deps.em().transactional(async (trx) => {
    const db = trx.getKysely() as Db;
    const { row, change, diff } = await saveDefinitionVersion(db, 'businessCalendar', 'Business calendar', actor, body, options);
    await auditCalendarChange(db, actor, { name: body.name, version: row.version, change, diff });
    return row;
  });
  deps.cache.invalidate(actor.workspaceId);
  return saved;
}

/** Deletes a business calendar; its history stays, and saving it again restores it. */
export async function deleteBusinessCalendar(deps: Pick<MetadataDeps, 'em' | 'cache'>, actor: MetadataActor, name: string): Promise<void> {
  await deps.em().transactional(async (trx) => {
    const db = trx.getKysely() as Db;
    const row = await deleteDefinitionVersion(db, 'businessCalendar', 'Business calendar', actor, name, async () => {
      // Escalation rules and date-relative workflows count time on a calendar by name.
      const users = [
        ...(await listDefinitionRows(db, actor.workspaceId, 'escalationRule')).filter((rule) => rule.body.calendar === name).map((rule) => `escalation rule "${rule.name}"`),
        ...(await listDefinitionRows(db, actor.workspaceId, 'workflow')).filter((workflow) => workflow.body.trigger.type === 'dateRelative' && workflow.body.trigger.calendar === name).map((workflow) => `workflow "${workflow.name}"`),
      ];
      if (users.length > 0) throw errors.conflict(`Business calendar "${name}" is used by ${users.join(', ')}`, { usedBy: users });
    });
    await auditCalendarChange(db, actor, { name, version: row.version, change: 'deleted' });
  });
  deps.cache.invalidate(actor.workspaceId);
}
