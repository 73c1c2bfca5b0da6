import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signIn } from '../support/auth.ts';

// Audit entries for the trust features: sign-ins (success, failure, lockout), permission changes
// (access definitions, teams, users' roles and status) and exports.

describe('audit of sign-ins, permission changes and exports', () => {
  let daicho: TestDaicho;
  const events = async (kind: string) => (await daicho.api.get(`/api/v1/audit?kind=${kind}&limit=500`)).body.events as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl'), env: { DAICHO_LOGIN_MAX_FAILURES: '3', DAICHO_LOGIN_DELAY_MS: '0', DAICHO_TRUSTED_PROXIES: '127.0.0.1' } });
  });
  afterAll(async () => {
    await daicho?.close();
  });

  it('records a sign-in with who and from where', async () => {
    const user = await daicho.createUserSession({ email: 'signin@example.com' });
    const response = await signIn(daicho, { workspace: 'demo', email: 'signin@example.com', password: user.password }, { 'x-forwarded-for': '203.0.113.7' });
    expect(response.status).toBe(200);
    expect(await events('auth.login')).toContainEqual(expect.objectContaining({
      actorId: user.userId, clientAddress: '203.0.113.7', requestId: response.headers.get('x-request-id'), details: { method: 'bearer', totp: false },
    }));
  });

  it('records failed sign-ins, and the lockout they cause', async () => {
    const user = await daicho.createUserSession({ email: 'victim@example.com' });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await signIn(daicho, { workspace: 'demo', email: 'victim@example.com', password: 'wrong password 123' }, { 'x-forwarded-for': '198.51.100.9' })).status).toBe(401);
    }
    const failures = (await events('auth.loginFailed')).filter((event) => event.actorId === user.userId);
    expect(failures).toHaveLength(3);
    expect(failures[0]).toMatchObject({ clientAddress: '198.51.100.9', details: { email: 'victim@example.com', reason: 'password' } });
    expect((await events('auth.lockout')).filter((event) => event.actorId === user.userId)).toHaveLength(1);
    // An unknown e-mail is recorded too, without a user.
    await signIn(daicho, { workspace: 'demo', email: 'nobody@example.com', password: 'wrong password 123' }, { 'x-forwarded-for': '198.51.100.10' });
    expect(await events('auth.loginFailed')).toContainEqual(expect.objectContaining({ actorId: null, details: expect.objectContaining({ email: 'nobody@example.com', reason: 'unknownUser' }) }));
  });

  it('records permission changes: definitions, teams, and users’ roles and status', async () => {
    await daicho.api.put('/api/v1/meta/permission-sets/auditors', { name: 'auditors', labels: { en: 'Auditors' }, capabilities: ['viewAudit'] });
    await daicho.api.put('/api/v1/meta/roles/auditor', { name: 'auditor', labels: { en: 'Auditor' }, permissionSets: ['auditors'] });
    const user = await daicho.createUserSession({ email: 'auditor@example.com' });
    await daicho.api.patch(`/api/v1/users/${user.userId}`, { roleName: 'auditor' });
    await daicho.api.put('/api/v1/teams/audit_team', { labels: { en: 'Audit' }, members: [user.userId] });
    await daicho.api.patch(`/api/v1/users/${user.userId}`, { status: 'disabled' });
    const details = (await events('permission.change')).map((event) => event.details);
    expect(details).toEqual(expect.arrayContaining([
      expect.objectContaining({ definition: 'permissionSet', name: 'auditors', version: 1, change: 'created' }),
      expect.objectContaining({ definition: 'role', name: 'auditor', change: 'created' }),
      expect.objectContaining({ user: user.userId, roleName: 'auditor' }),
      expect.objectContaining({ team: 'audit_team', members: [user.userId] }),
      expect.objectContaining({ user: user.userId, status: 'disabled' }),
    ]));
  });

  it('records an export with the query that chose the records', async () => {
    await daicho.api.post('/api/v1/meta/objects', { name: 'memo', labels: { en: 'Memo' }, fields: [{ name: 'title', type: 'text', labels: { en: 'Title' } }] });
    const filter = { field: 'title', op: 'startsWith', value: 'Q' };
    const response = await daicho.fetch(`/api/v1/records/memo/export.csv?filter=${encodeURIComponent(JSON.stringify(filter))}`, { headers: { authorization: `Bearer ${daicho.adminToken}` } });
    expect(response.status).toBe(200);
    await response.text();
    expect(await events('export')).toContainEqual(expect.objectContaining({ objectName: 'memo', details: expect.objectContaining({ format: 'csv', filter }) }));
  });
});
