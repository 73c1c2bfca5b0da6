import type { ObjectDefinition, PermissionSetDefinition, RoleDefinition, SharingRuleDefinition } from '@daicho/sdk';
import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

// Record access against a reference model: the expected outcome of every (user, record, action)
// is derived here from the definitions below, independently of the platform's code, and every
// combination is checked through the HTTP API.

const lead: ObjectDefinition = {
  name: 'lead',
  labels: { en: 'Lead', ja: 'リード' },
  titleField: 'name',
  searchFields: ['secret'],
  sharing: 'private',
  fields: [
    { name: 'name', type: 'text', labels: { en: 'Name' }, required: true },
    { name: 'score', type: 'integer', labels: { en: 'Score' } },
    { name: 'secret', type: 'text', labels: { en: 'Secret' } },
    { name: 'priority', type: 'picklist', labels: { en: 'Priority' }, values: [{ value: 'high', labels: { en: 'High' } }, { value: 'low', labels: { en: 'Low' } }] },
  ],
};
const office: ObjectDefinition = {
  name: 'office',
  labels: { en: 'Office' },
  sharing: 'read',
  fields: [{ name: 'name', type: 'text', labels: { en: 'Name' } }],
};
const memo: ObjectDefinition = {
  name: 'memo',
  labels: { en: 'Memo' },
  sharing: 'readWrite',
  fields: [
    { name: 'title', type: 'text', labels: { en: 'Title' } },
    { name: 'lead', type: 'lookup', target: 'lead', labels: { en: 'Lead' } },
  ],
};

const permissionSets: PermissionSetDefinition[] = [
  {
    name: 'rep_set',
    labels: { en: 'Sales rep' },
    objects: {
      lead: { create: true, read: true, update: true, export: true, fields: { secret: 'none', score: 'read' } },
      office: { read: true },
      memo: { create: true, read: true, update: true, delete: true },
    },
  },
  { name: 'viewer_set', labels: { en: 'Viewer' }, objects: { lead: { read: true }, office: { read: true } } },
  { name: 'lead_admin_set', labels: { en: 'Lead admin' }, objects: { lead: { create: true, read: true, update: true, delete: true, export: true, modifyAll: true } } },
  { name: 'user_admin_set', labels: { en: 'User admin' }, capabilities: ['manageUsers'], objects: { lead: { read: true }, office: { read: true } } },
];
const roles: RoleDefinition[] = [
  { name: 'manager', labels: { en: 'Manager' }, permissionSets: ['rep_set'] },
  { name: 'rep', labels: { en: 'Rep' }, reportsTo: 'manager', permissionSets: ['rep_set'] },
  { name: 'viewer', labels: { en: 'Viewer' }, permissionSets: ['viewer_set'] },
  { name: 'lead_admin', labels: { en: 'Lead admin' }, permissionSets: ['lead_admin_set'] },
  { name: 'user_admin', labels: { en: 'User admin' }, permissionSets: ['user_admin_set'] },
];
const highPriorityToLeadsTeam: SharingRuleDefinition = {
  name: 'high_priority_leads',
  labels: { en: 'High-priority leads to the leads team' },
  object: 'lead',
  filter: { field: 'priority', op: 'eq', value: 'high' },
  shareWith: { team: 'leads_team' },
  access: 'read',
};

type UserName = 'mgr' | 'rep1' | 'rep2' | 'viewer' | 'nobody' | 'ladmin';
const userRoles: Record<UserName, string | null> = { mgr: 'manager', rep1: 'rep', rep2: 'rep', viewer: 'viewer', nobody: null, ladmin: 'lead_admin' };
const teamMembers: UserName[] = ['viewer'];

/** The reference policy: what each user may do to a lead, from the definitions above only. */
const model = {
  objectPermissions(user: UserName) {
    const role = roles.find((candidate) => candidate.name === userRoles[user]);
    const sets = permissionSets.filter((set) => role?.permissionSets.includes(set.name));
    const merged = { create: false, read: false, update: false, delete: false, export: false, modifyAll: false };
    for (const set of sets) for (const key of Object.keys(merged) as Array<keyof typeof merged>) merged[key] ||= Boolean(set.objects?.lead?.[key]);
    return merged;
  },
  subordinates(user: UserName): UserName[] {
    const below = (roleName: string): string[] => roles.filter((role) => role.reportsTo === roleName).flatMap((role) => [role.name, ...below(role.name)]);
    const roleNames = userRoles[user] ? below(userRoles[user]!) : [];
    return (Object.keys(userRoles) as UserName[]).filter((other) => userRoles[other] && roleNames.includes(userRoles[other]!));
  },
  canRead(user: UserName, record: { owner: UserName; priority: string }) {
    const permissions = this.objectPermissions(user);
    if (!permissions.read) return false;
    if (permissions.modifyAll || record.owner === user || this.subordinates(user).includes(record.owner)) return true;
    return teamMembers.includes(user) && record.priority === 'high';
  },
  canWrite(user: UserName, record: { owner: UserName }) {
    const permissions = this.objectPermissions(user);
    return permissions.modifyAll || record.owner === user || this.subordinates(user).includes(record.owner);
  },
  /** The status a request should get. */
  expected(user: UserName, action: 'get' | 'patch' | 'delete', record: { owner: UserName; priority: string }): number {
    const permissions = this.objectPermissions(user);
    // No read: the object does not exist for the user. No update or delete: refused for every
    // record alike, so the answer tells nothing about the record.
    if (!permissions.read) return 404;
    if (action === 'patch' && !permissions.update) return 403;
    if (action === 'delete' && !permissions.delete) return 403;
    if (!this.canRead(user, record)) return 404;
    if (action === 'get') return 200;
    if (!this.canWrite(user, record)) return 403;
    return action === 'patch' ? 200 : 204;
  },
};

describe('record access', () => {
  let daicho: TestDaicho;
  const users = {} as Record<UserName, { token: string; userId: string }>;
  const leads: Array<{ id: string; owner: UserName; priority: string; secret: string }> = [];

  const as = (user: UserName) => ({ token: users[user].token });

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    for (const object of [lead, office, memo]) expect((await daicho.api.post('/api/v1/meta/objects', object)).status).toBe(201);
    for (const set of permissionSets) expect((await daicho.api.put(`/api/v1/meta/permission-sets/${set.name}`, set)).status).toBe(201);
    for (const role of roles) expect((await daicho.api.put(`/api/v1/meta/roles/${role.name}`, role)).status).toBe(201);
    for (const name of Object.keys(userRoles) as UserName[]) {
      users[name] = await daicho.createUserSession({ email: `${name}@example.com` });
      if (userRoles[name]) expect((await daicho.api.patch(`/api/v1/users/${users[name].userId}`, { roleName: userRoles[name] })).status).toBe(200);
    }
    expect((await daicho.api.put('/api/v1/teams/leads_team', { labels: { en: 'Leads team' }, members: teamMembers.map((name) => users[name].userId) })).status).toBe(200);
    expect((await daicho.api.put(`/api/v1/meta/sharing-rules/${highPriorityToLeadsTeam.name}`, highPriorityToLeadsTeam)).status).toBe(201);
    const owners: Array<[UserName, string]> = [['rep1', 'low'], ['rep2', 'high'], ['mgr', 'low'], ['ladmin', 'low'], ['rep1', 'high']];
    for (const [index, [owner, priority]] of owners.entries()) {
      const secret = `hush${index}word`;
      // The secret is set by someone who may write it: the lead admin's set grants every field.
      const created = await daicho.api.post('/api/v1/records/lead', { name: `Lead ${index}`, priority, ...(owner === 'ladmin' ? { secret, score: index } : {}) }, as(owner));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      if (owner !== 'ladmin') expect((await daicho.api.patch(`/api/v1/records/lead/${created.body.id}`, { secret, score: index, version: created.body.version })).status).toBe(200);
      leads.push({ id: created.body.id, owner, priority, secret });
    }
  });
  afterAll(async () => {
    await daicho?.close();
  });

  describe('matches the reference model for every user, record and action', () => {
    const cases = (['mgr', 'rep1', 'rep2', 'viewer', 'nobody', 'ladmin'] as UserName[]).flatMap((user) => [0, 1, 2, 3, 4].map((index) => [user, index] as const));

    it.each(cases)('%s reading lead %i', async (user, index) => {
      const record = leads[index]!;
      const response = await daicho.api.get(`/api/v1/records/lead/${record.id}`, as(user));
      expect(response.status).toBe(model.expected(user, 'get', record));
      if (response.status === 404) expect(response.body.error.code).toBe('NOT_FOUND');
    });

    it.each(cases)('%s updating lead %i', async (user, index) => {
      const record = leads[index]!;
      const response = await daicho.api.patch(`/api/v1/records/lead/${record.id}`, { name: `Lead ${index}` }, { ...as(user), headers: { 'if-match': '*' } });
      expect(response.status, JSON.stringify(response.body)).toBe(model.expected(user, 'patch', record));
    });

    it.each(cases)('%s listing leads sees exactly lead %i when the model says so', async (user, index) => {
      const record = leads[index]!;
      const response = await daicho.api.get('/api/v1/records/lead?limit=500', as(user));
      if (!model.objectPermissions(user).read) {
        expect(response.status).toBe(404);
        return;
      }
      const ids = response.body.records.map((found: { id: string }) => found.id);
      expect(ids.includes(record.id)).toBe(model.canRead(user, record));
    });

    it.each(cases)('%s deleting lead %i (then restored)', async (user, index) => {
      const record = leads[index]!;
      const response = await daicho.api.delete(`/api/v1/records/lead/${record.id}`, as(user));
      expect(response.status, JSON.stringify(response.body)).toBe(model.expected(user, 'delete', record));
      if (response.status === 204) expect((await daicho.api.post(`/api/v1/records/lead/${record.id}/restore`, {}, as(user))).status).toBe(200);
    });
  });

  it('answers 404 for a record outside the scope, exactly as for a record that does not exist', async () => {
    const outside = await daicho.api.get(`/api/v1/records/lead/${leads[2]!.id}`, as('rep1'));
    const absent = await daicho.api.get('/api/v1/records/lead/01900000-0000-7000-8000-000000000000', as('rep1'));
    expect(outside.status).toBe(404);
    expect(absent.status).toBe(404);
    expect(Object.keys(outside.body.error).sort()).toEqual(Object.keys(absent.body.error).sort());
    expect(outside.body.error.code).toBe(absent.body.error.code);
  });

  it('treats an object without read permission as absent', async () => {
    const response = await daicho.api.get('/api/v1/records/memo', as('viewer'));
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
    expect((await daicho.api.post('/api/v1/records/memo', { title: 'x' }, as('viewer'))).status).toBe(404);
  });

  it('refuses an action the object permissions do not grant with 403', async () => {
    const response = await daicho.api.post('/api/v1/records/lead', { name: 'x' }, as('viewer'));
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('PERMISSION_DENIED');
  });

  describe('a field without read permission is absent everywhere', () => {
    const secretOf = () => leads[0]!.secret;

    it('in get and list', async () => {
      const got = await daicho.api.get(`/api/v1/records/lead/${leads[0]!.id}`, as('rep1'));
      expect(got.body).not.toHaveProperty('secret');
      expect(got.body).toHaveProperty('score');
      const listed = await daicho.api.get('/api/v1/records/lead', as('rep1'));
      for (const record of listed.body.records) expect(record).not.toHaveProperty('secret');
      expect(JSON.stringify(listed.body)).not.toContain(secretOf());
      // The admin does see it: the field is there to hide.
      expect((await daicho.api.get(`/api/v1/records/lead/${leads[0]!.id}`)).body.secret).toBe(secretOf());
    });

    it.each([
      ['filter', `filter=${encodeURIComponent(JSON.stringify({ field: 'secret', op: 'eq', value: 'x' }))}`],
      ['filter with count (aggregate)', `count=true&filter=${encodeURIComponent(JSON.stringify({ field: 'secret', op: 'isNull', value: false }))}`],
      ['sort', 'sort=secret'],
      ['fields', 'fields=secret'],
    ])('in %s, where naming it is an error as for an unknown field', async (_what, query) => {
      const response = await daicho.api.get(`/api/v1/records/lead?${query}`, as('rep1'));
      expect(response.status).toBe(400);
      const unknown = await daicho.api.get(`/api/v1/records/lead?${query.replaceAll('secret', 'nosuchfield')}`, as('rep1'));
      expect(response.body.error.code).toBe(unknown.body.error.code);
    });

    it('in a path through a lookup, and in expansion', async () => {
      const created = await daicho.api.post('/api/v1/records/memo', { title: 'about lead 0', lead: leads[0]!.id }, as('rep1'));
      expect(created.status).toBe(201);
      const filtered = await daicho.api.get(`/api/v1/records/memo?filter=${encodeURIComponent(JSON.stringify({ field: 'lead.secret', op: 'eq', value: secretOf() }))}`, as('rep1'));
      expect(filtered.status).toBe(400);
      const expanded = await daicho.api.get('/api/v1/records/memo?expand=lead', as('rep1'));
      expect(expanded.status).toBe(200);
      const memoRecord = expanded.body.records.find((record: { id: string }) => record.id === created.body.id);
      expect(memoRecord.lead.name).toBe('Lead 0');
      expect(memoRecord.lead).not.toHaveProperty('secret');
      expect((await daicho.api.get('/api/v1/records/memo?expand=lead&fields.lead=secret', as('rep1'))).status).toBe(400);
    });

    it('in expansion of a record outside the scope: only its id', async () => {
      const created = await daicho.api.post('/api/v1/records/memo', { title: 'about lead 2', lead: leads[2]!.id }, as('rep2'));
      const expanded = await daicho.api.get('/api/v1/records/memo?expand=lead&limit=500', as('rep2'));
      const memoRecord = expanded.body.records.find((record: { id: string }) => record.id === created.body.id);
      expect(memoRecord.lead).toEqual({ id: leads[2]!.id });
    });

    it('in CSV export', async () => {
      const response = await daicho.fetch('/api/v1/records/lead/export.csv', { headers: { authorization: `Bearer ${users.rep1.token}` } });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text.split('\r\n')[0]).not.toContain('secret');
      expect(text).not.toContain(secretOf());
      expect(text).toContain('Lead 0');
    });

    it('in global search, which does not match on it', async () => {
      const hits = async (token: string | undefined) => (await daicho.api.get(`/api/v1/search?q=${secretOf()}`, token ? { token } : {})).body.hits;
      expect(await hits(undefined)).toHaveLength(1);
      expect(await hits(users.rep1.token)).toEqual([]);
      const byName = (await daicho.api.get('/api/v1/search?q=Lead', as('rep1'))).body.hits as Array<{ record: Record<string, unknown> }>;
      expect(byName.length).toBeGreaterThan(0);
      for (const hit of byName) expect(hit.record).not.toHaveProperty('secret');
    });

    it('in the OpenAPI document and the definitions the user reads', async () => {
      const openapi = await daicho.api.get('/api/v1/openapi.json', as('rep1'));
      expect(openapi.body.components.schemas.Lead.properties).not.toHaveProperty('secret');
      expect(openapi.body.components.schemas.Lead.properties).toHaveProperty('score');
      expect(Object.keys(openapi.body.paths)).not.toContain('/api/v1/records/nosuch');
      const viewerDoc = await daicho.api.get('/api/v1/openapi.json', as('viewer'));
      expect(Object.keys(viewerDoc.body.paths).some((path) => path.includes('/memo'))).toBe(false);
      const definition = await daicho.api.get('/api/v1/meta/objects/lead', as('rep1'));
      expect(definition.body.object.fields.map((field: { name: string }) => field.name)).toEqual(['name', 'score', 'priority']);
      const list = await daicho.api.get('/api/v1/meta/objects', as('viewer'));
      expect(list.body.objects.map((object: { name: string }) => object.name).sort()).toEqual(['lead', 'office']);
      expect((await daicho.api.get('/api/v1/meta/objects/memo', as('viewer'))).status).toBe(404);
    });

    it('in writes: setting it is refused as an unknown field, a read-only one as read-only', async () => {
      const hidden = await daicho.api.post('/api/v1/records/lead', { name: 'x', secret: 'y' }, as('rep1'));
      expect(hidden.status).toBe(422);
      expect(hidden.body.error.details.problems).toEqual([expect.objectContaining({ path: '/secret', code: 'unknownField' })]);
      const readOnly = await daicho.api.patch(`/api/v1/records/lead/${leads[0]!.id}`, { score: 99 }, { ...as('rep1'), headers: { 'if-match': '*' } });
      expect(readOnly.status).toBe(422);
      expect(readOnly.body.error.details.problems).toEqual([expect.objectContaining({ path: '/score', code: 'readOnly' })]);
      const system = await daicho.api.post('/api/v1/records/lead', { name: 'x', ownerId: users.mgr.userId }, as('rep1'));
      expect(system.status).toBe(422);
      expect(system.body.error.details.problems).toEqual([expect.objectContaining({ path: '/ownerId', code: 'systemField' })]);
    });

    it('in bulk import rows', async () => {
      const response = await daicho.api.post('/api/v1/records/lead/import', { records: [{ name: 'ok' }, { name: 'bad', secret: 'x' }], mode: 'partial' }, as('rep1'));
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body.created).toBe(1);
      expect(response.body.errors).toEqual([{ row: 2, problems: [expect.objectContaining({ path: '/secret', code: 'unknownField' })] }]);
    });
  });

  it('describes the caller’s own access', async () => {
    const response = await daicho.api.get('/api/v1/auth/me/access', as('rep1'));
    expect(response.body.roleName).toBe('rep');
    expect(response.body.objects.lead).toEqual({
      actions: ['create', 'read', 'update', 'export'],
      fields: { name: 'edit', score: 'read', secret: 'none', priority: 'edit' },
      records: { read: 'shared', write: 'shared' },
    });
    expect(response.body.objects).not.toHaveProperty('nosuch');
    expect(Object.keys(response.body.objects).sort()).toEqual(['lead', 'memo', 'office']);
  });

  it('describes computed and read-only fields as read, whoever asks', async () => {
    await daicho.api.post('/api/v1/meta/objects', {
      name: 'calc', labels: { en: 'Calc' },
      fields: [
        { name: 'base', type: 'integer', labels: { en: 'Base' } },
        { name: 'doubled', type: 'formula', returnType: 'number', expression: 'base * 2', labels: { en: 'Doubled' } },
        { name: 'frozen', type: 'text', readOnly: true, labels: { en: 'Frozen' } },
      ],
    });
    const response = await daicho.api.get('/api/v1/auth/me/access');
    expect(response.body.objects.calc.fields).toEqual({ base: 'edit', doubled: 'read', frozen: 'read' });
  });

  it('applies a role change from the next request of a signed-in user', async () => {
    const demoted = await daicho.createUserSession({ email: 'demoted@example.com' });
    await daicho.api.patch(`/api/v1/users/${demoted.userId}`, { roleName: 'rep' });
    const created = await daicho.api.post('/api/v1/records/lead', { name: 'mine' }, { token: demoted.token });
    expect(created.status).toBe(201);
    await daicho.api.patch(`/api/v1/users/${demoted.userId}`, { roleName: 'viewer' });
    expect((await daicho.api.patch(`/api/v1/records/lead/${created.body.id}`, { name: 'changed' }, { token: demoted.token, headers: { 'if-match': '*' } })).status).toBe(403);
    await daicho.api.patch(`/api/v1/users/${demoted.userId}`, { roleName: null });
    expect((await daicho.api.get(`/api/v1/records/lead/${created.body.id}`, { token: demoted.token })).status).toBe(404);
  });

  it('applies a permission set change from the next request', async () => {
    const before = await daicho.api.get('/api/v1/records/office', as('viewer'));
    expect(before.status).toBe(200);
    const set = permissionSets.find((candidate) => candidate.name === 'viewer_set')!;
    await daicho.api.put('/api/v1/meta/permission-sets/viewer_set', { ...set, objects: { lead: { read: true } } });
    expect((await daicho.api.get('/api/v1/records/office', as('viewer'))).status).toBe(404);
    await daicho.api.put('/api/v1/meta/permission-sets/viewer_set', set);
    expect((await daicho.api.get('/api/v1/records/office', as('viewer'))).status).toBe(200);
  });

  describe('no one hands out more than they hold', () => {
    it('refuses a user admin giving a role with permissions they lack, also to themselves', async () => {
      const userAdmin = await daicho.createUserSession({ email: 'useradmin@example.com' });
      await daicho.api.patch(`/api/v1/users/${userAdmin.userId}`, { roleName: 'user_admin' });
      const escalate = await daicho.api.patch(`/api/v1/users/${userAdmin.userId}`, { roleName: 'lead_admin' }, { token: userAdmin.token });
      expect(escalate.status).toBe(403);
      expect(escalate.body.error.code).toBe('PERMISSION_DENIED');
      const other = await daicho.createUserSession({ email: 'newviewer@example.com' });
      expect((await daicho.api.patch(`/api/v1/users/${other.userId}`, { roleName: 'viewer' }, { token: userAdmin.token })).status).toBe(200);
    });

    it('refuses permission definitions to users without managePermissions', async () => {
      const response = await daicho.api.put('/api/v1/meta/roles/sneaky', { name: 'sneaky', labels: { en: 'x' }, permissionSets: ['lead_admin_set'] }, as('mgr'));
      expect(response.status).toBe(403);
      expect((await daicho.api.get('/api/v1/meta/permission-sets', as('mgr'))).status).toBe(403);
    });
  });

  describe('access definitions are validated', () => {
    it('refuses references to objects, fields, sets, roles and teams that do not exist', async () => {
      const set = await daicho.api.put('/api/v1/meta/permission-sets/bad', { name: 'bad', labels: { en: 'Bad' }, objects: { nosuch: { read: true }, lead: { fields: { nofield: 'read' } } } });
      expect(set.status).toBe(422);
      expect(set.body.error.details.problems.map((problem: { path: string; code: string }) => `${problem.path} ${problem.code}`)).toEqual(['/objects/nosuch unknownObject', '/objects/lead/fields/nofield unknownField']);
      const role = await daicho.api.put('/api/v1/meta/roles/bad', { name: 'bad', labels: { en: 'Bad' }, permissionSets: ['nosuch'], reportsTo: 'nosuch', ipAllowList: ['10.0.0.0/33', '2001:db8::/32'] });
      expect(role.body.error.details.problems.map((problem: { path: string; code: string }) => `${problem.path} ${problem.code}`)).toEqual(['/permissionSets/0 unknownPermissionSet', '/reportsTo unknownRole', '/ipAllowList/0 cidr']);
      const rule = await daicho.api.put('/api/v1/meta/sharing-rules/bad', { ...highPriorityToLeadsTeam, name: 'bad', filter: { field: 'nofield', op: 'eq', value: 1 }, shareWith: { team: 'nosuch' } });
      expect(rule.status).toBe(422);
      expect(rule.body.error.details.problems.map((problem: { path: string }) => problem.path)).toEqual([expect.stringMatching(/^\/filter/), '/shareWith/team']);
    });

    it('refuses a change made against a stale version, answering with the current definition', async () => {
      const current = await daicho.api.get('/api/v1/meta/roles/viewer');
      const stale = await daicho.api.put('/api/v1/meta/roles/viewer', current.body.definition, { headers: { 'if-match': '"0"' } });
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe('VERSION_CONFLICT');
      expect(stale.body.error.details.current).toEqual({ definition: current.body.definition, version: current.body.version });
    });

    it('refuses a loop in the role hierarchy', async () => {
      const manager = roles.find((role) => role.name === 'manager')!;
      const response = await daicho.api.put('/api/v1/meta/roles/manager', { ...manager, reportsTo: 'rep' });
      expect(response.status).toBe(422);
      expect(response.body.error.details.problems).toEqual([expect.objectContaining({ path: '/reportsTo', code: 'cycle' })]);
    });

    it('refuses a definition that breaks its meta-schema, with per-path problems', async () => {
      const response = await daicho.api.put('/api/v1/meta/permission-sets/typo', { name: 'typo', labels: { en: 'Typo' }, objects: { lead: { raed: true } }, capabilities: ['root'] });
      expect(response.status).toBe(422);
      expect(response.body.error.code).toBe('INVALID_DEFINITION');
      expect(response.body.error.details.problems.map((problem: { path: string }) => problem.path).sort()).toEqual(['/capabilities/0', '/objects/lead/raed']);
    });

    it('refuses deleting what is still in use, and keeps versions', async () => {
      const inUse = await daicho.api.delete('/api/v1/meta/permission-sets/rep_set');
      expect(inUse.status).toBe(409);
      expect(inUse.body.error.code).toBe('REFERENCE_CONFLICT');
      const versions = await daicho.api.get('/api/v1/meta/permission-sets/viewer_set/versions');
      expect(versions.body.versions.map((version: { version: number; change: string }) => `${version.version} ${version.change}`)).toEqual(['3 updated', '2 updated', '1 created']);
    });
  });
});
