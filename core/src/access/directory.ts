import type { Labels } from '@daicho/sdk';
import type { Kysely } from 'kysely';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Who is who in a workspace, as far as record access cares: roles, status, teams. */
export interface Directory {
  users: ReadonlyMap<string, { roleName: string | null; isAdmin: boolean; active: boolean }>;
  teams: ReadonlyMap<string, { id: string; labels: Labels; memberIds: ReadonlySet<string> }>;
  /** Team names by member. */
  teamsOf: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Loads the workspace's users and teams (two queries; cached with the metadata snapshot). */
export async function loadDirectory(db: Db, workspaceId: string): Promise<Directory> {
  const [users, members] = await Promise.all([
    db.withSchema('daicho').selectFrom('user').select(['id', 'role_name', 'is_admin', 'status']).where('workspace_id', '=', workspaceId).execute(),
    db.withSchema('daicho').selectFrom('team as t').leftJoin('team_member as m', 'm.team_id', 't.id')
      .select(['t.id', 't.name', 't.labels', 'm.user_id']).where('t.workspace_id', '=', workspaceId).execute(),
  ]);
  const teams = new Map<string, { id: string; labels: Labels; memberIds: Set<string> }>();
  const teamsOf = new Map<string, Set<string>>();
  for (const row of members) {
    let team = teams.get(row.name as string);
    if (!team) {
      team = { id: row.id as string, labels: row.labels as Labels, memberIds: new Set() };
      teams.set(row.name as string, team);
    }
    if (row.user_id) {
      team.memberIds.add(row.user_id as string);
      let names = teamsOf.get(row.user_id as string);
      if (!names) teamsOf.set(row.user_id as string, (names = new Set()));
      names.add(row.name as string);
    }
  }
  return {
    users: new Map(users.map((row) => [row.id as string, { roleName: (row.role_name as string | null) ?? null, isAdmin: Boolean(row.is_admin), active: row.status === 'active' }])),
    teams,
    teamsOf,
  };
}
