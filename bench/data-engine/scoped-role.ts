// The scoped-role case of the data-engine benchmark (issue 4): the same list as an admin and as a
// manager who sees, through the role hierarchy and a sharing rule, only part of the deals.

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { queryDatabase } from '../../test/support/database-inspection.ts';

type Post = (url: string, body: unknown, token?: string, method?: string) => Promise<{ status: number; body: any; ms: number }>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ScopedManager {
  token: string;
  /** Share of the deals the manager may read. */
  visibleShare: number;
}

/**
 * 20 reps own the deals in turn; 5 of them report to the manager, and a sharing rule opens won
 * deals to the manager's team. Users and their sessions are written straight into the database
 * (the bench needs them, not a sign-up flow); roles, permissions and teams go through the API.
 */
export async function setUpScopedManager(options: { url: string; adminToken: string; databaseUrl: string; schema: string; workspaceId: string; post: Post }): Promise<ScopedManager> {
  const { url, adminToken, databaseUrl, schema, workspaceId, post } = options;
  const put = (path: string, body: unknown) => post(`${url}${path}`, body, adminToken, 'PUT');
  const expectOk = (what: string, response: { status: number; body: unknown }) => {
    if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  };
  expectOk('permission set', await put('/api/v1/meta/permission-sets/bench_sales', {
    name: 'bench_sales', labels: { en: 'Sales' },
    objects: { deal: { create: true, read: true, update: true }, account: { read: true } },
  }));
  expectOk('manager role', await put('/api/v1/meta/roles/bench_manager', { name: 'bench_manager', labels: { en: 'Manager' }, permissionSets: ['bench_sales'] }));
  expectOk('rep role', await put('/api/v1/meta/roles/bench_rep', { name: 'bench_rep', labels: { en: 'Rep' }, reportsTo: 'bench_manager', permissionSets: ['bench_sales'] }));
  expectOk('other role', await put('/api/v1/meta/roles/bench_other', { name: 'bench_other', labels: { en: 'Other team' }, permissionSets: ['bench_sales'] }));

  const userIds = Array.from({ length: 21 }, () => randomUUID());
  const [managerId, ...repIds] = userIds as [string, ...string[]];
  await queryDatabase(databaseUrl, `insert into daicho."user" (id, workspace_id, email, display_name) select u.id::uuid, '${workspaceId}', 'bench-' || u.n || '@example.com', 'Bench ' || u.n
    from unnest(array[${userIds.map((id) => `'${id}'`).join(',')}]) with ordinality as u(id, n)`);
  for (const [index, id] of userIds.entries()) {
    const role = index === 0 ? 'bench_manager' : index <= 5 ? 'bench_rep' : 'bench_other';
    expectOk('role assignment', await post(`${url}/api/v1/users/${id}`, { roleName: role }, adminToken, 'PATCH'));
  }
  expectOk('team', await put('/api/v1/teams/bench_closers', { labels: { en: 'Closers' }, members: [managerId] }));
  expectOk('sharing rule', await put('/api/v1/meta/sharing-rules/bench_won', {
    name: 'bench_won', labels: { en: 'Won deals to closers' }, object: 'deal',
    filter: { field: 'stage', op: 'eq', value: 'won' }, shareWith: { team: 'bench_closers' }, access: 'read',
  }));
  // Deals go round the 20 reps.
  await queryDatabase(databaseUrl, `update "${schema}".obj_deal d set owner_id = (array[${repIds.map((id) => `'${id}'::uuid`).join(',')}])[1 + abs(hashtext(d.id::text)) % ${repIds.length}]`);
  await queryDatabase(databaseUrl, `vacuum analyze "${schema}".obj_deal`);

  const token = randomBytes(32).toString('base64url');
  await queryDatabase(databaseUrl, `insert into daicho.session (id, workspace_id, user_id, token_hash, expires_at) values ('${randomUUID()}', '${workspaceId}', '${managerId}', '${createHash('sha256').update(token).digest('hex')}', now() + interval '1 day')`);
  const [counts] = await queryDatabase<{ visible: string; total: string }>(databaseUrl, `select count(*) filter (where owner_id = any(array[${repIds.slice(0, 5).map((id) => `'${id}'::uuid`).join(',')}]) or f_stage = 'won') as visible, count(*) as total from "${schema}".obj_deal`);
  return { token, visibleShare: Number(counts!.visible) / Number(counts!.total) };
}
