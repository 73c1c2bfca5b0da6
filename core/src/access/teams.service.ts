import type { Labels } from '@daicho/sdk';
import { sql, type Kysely } from 'kysely';
import { generateUuidV7 } from '../db/index.ts';
import { errors, type InputProblem } from '../errors/index.ts';
import { bumpMetadataVersion } from '../metadata/index.ts';
import { auditPermissionChange, type AccessActor, type AccessDeps } from './access-definitions.service.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TEAM_NAME = /^[a-z][a-z0-9_]{0,39}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TeamInput {
  labels: Labels;
  /** User ids; replaces the members when given. */
  members?: string[];
}

export interface Team {
  name: string;
  labels: Labels;
  members: string[];
}

function checkTeamInput(name: string, input: unknown): asserts input is TeamInput {
  const problems: InputProblem[] = [];
  if (!TEAM_NAME.test(name)) problems.push({ path: '/name', code: 'pattern', message: 'a team name is 1–40 lower-case letters, digits or underscores, starting with a letter' });
  const body = input as Partial<TeamInput> | null;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw errors.validationFailed([{ path: '', code: 'type', message: 'must be an object' }]);
  const labels = body.labels as Record<string, unknown> | undefined;
  if (!labels || typeof labels !== 'object' || Object.keys(labels).length === 0 || Object.entries(labels).some(([key, value]) => !['ja', 'en'].includes(key) || typeof value !== 'string' || value.length === 0 || value.length > 200)) {
    problems.push({ path: '/labels', code: 'labels', message: 'needs a ja or en label of 1–200 characters' });
  }
  for (const key of Object.keys(body)) if (key !== 'labels' && key !== 'members') problems.push({ path: `/${key}`, code: 'additionalProperties', message: 'is not a known property' });
  if (body.members !== undefined) {
    if (!Array.isArray(body.members) || body.members.length > 10_000) problems.push({ path: '/members', code: 'type', message: 'must be a list of at most 10,000 user ids' });
    else body.members.forEach((id, index) => {
      if (typeof id !== 'string' || !UUID.test(id)) problems.push({ path: `/members/${index}`, code: 'format', message: 'must be a user id' });
    });
  }
  if (problems.length > 0) throw errors.validationFailed(problems);
}

export async function listTeams(db: Db, workspaceId: string): Promise<Team[]> {
  const rows = await db.withSchema('daicho').selectFrom('team as t').leftJoin('team_member as m', 'm.team_id', 't.id')
    .select(['t.name', 't.labels', sql<string[]>`coalesce(array_agg(m.user_id order by m.user_id) filter (where m.user_id is not null), '{}')`.as('members')])
    .where('t.workspace_id', '=', workspaceId).groupBy(['t.name', 't.labels']).orderBy('t.name').execute();
  return rows.map((row) => ({ name: row.name as string, labels: row.labels as Labels, members: row.members }));
}

/** Creates or replaces a team (labels, and members when given). Applies to access from the next request. */
export async function saveTeam(deps: AccessDeps, actor: AccessActor, name: string, input: unknown): Promise<Team> {
  checkTeamInput(name, input);
  await deps.em().transactional(async (trx) => {
    const db = trx.getKysely() as Db;
    const existing = await db.withSchema('daicho').selectFrom('team').select('id').where('workspace_id', '=', actor.workspaceId).where('name', '=', name).forUpdate().executeTakeFirst();
    const id = (existing?.id as string | undefined) ?? generateUuidV7();
    if (existing) await db.withSchema('daicho').updateTable('team').set({ labels: JSON.stringify(input.labels), updated_at: sql`now()` }).where('id', '=', id).execute();
    else await db.withSchema('daicho').insertInto('team').values({ id, workspace_id: actor.workspaceId, name, labels: JSON.stringify(input.labels) }).execute();
    if (input.members) {
      const members = [...new Set(input.members.map((member) => member.toLowerCase()))];
      if (members.length > 0) {
        const known = await db.withSchema('daicho').selectFrom('user').select('id').where('workspace_id', '=', actor.workspaceId).where('id', 'in', members).execute();
        const knownIds = new Set(known.map((row) => row.id as string));
        const unknown = members.map((member, index) => ({ member, index })).filter(({ member }) => !knownIds.has(member));
        if (unknown.length > 0) throw errors.validationFailed(unknown.map(({ index }) => ({ path: `/members/${index}`, code: 'unknownUser', message: 'is not a user of this workspace' })));
      }
      await db.withSchema('daicho').deleteFrom('team_member').where('team_id', '=', id).execute();
      if (members.length > 0) await db.withSchema('daicho').insertInto('team_member').values(members.map((userId) => ({ team_id: id, user_id: userId }))).execute();
    }
    await auditPermissionChange(db, actor, { team: name, change: existing ? 'updated' : 'created', labels: input.labels, ...(input.members ? { members: input.members } : {}) });
    await bumpMetadataVersion(db, actor.workspaceId);
  });
  deps.metadata.invalidate(actor.workspaceId);
  return (await listTeams(deps.em().getKysely() as Db, actor.workspaceId)).find((team) => team.name === name)!;
}

/** Deletes a team; refused while a sharing rule opens records to it. */
export async function deleteTeam(deps: AccessDeps, actor: AccessActor, name: string): Promise<void> {
  const metadata = await deps.metadata.get(actor.workspaceId);
  const rules = [...metadata.sharingRules.values()].filter((rule) => 'team' in rule.body.shareWith && rule.body.shareWith.team === name).map((rule) => rule.name);
  if (rules.length > 0) throw errors.referenceConflict(`Team "${name}" is still used by sharing rules ${rules.join(', ')}`, { usedBy: rules });
  await deps.em().transactional(async (trx) => {
    const db = trx.getKysely() as Db;
    const result = await db.withSchema('daicho').deleteFrom('team').where('workspace_id', '=', actor.workspaceId).where('name', '=', name).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw errors.notFound('Team', name);
    await auditPermissionChange(db, actor, { team: name, change: 'deleted' });
    await bumpMetadataVersion(db, actor.workspaceId);
  });
  deps.metadata.invalidate(actor.workspaceId);
}

/**
 * Tells every node that access changed (a user's role, status or admin right): their snapshots
 * are replaced. With `details`, the change is written to the audit trail as a permission change.
 */
export async function accessChanged(deps: AccessDeps, actor: AccessActor, details?: Record<string, unknown>): Promise<void> {
  await deps.em().transactional(async (trx) => {
    const db = trx.getKysely() as Db;
    if (details) await auditPermissionChange(db, actor, details);
    await bumpMetadataVersion(db, actor.workspaceId);
  });
  deps.metadata.invalidate(actor.workspaceId);
}
