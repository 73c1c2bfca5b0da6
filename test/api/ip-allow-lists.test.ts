import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codeOf, defineRoles, signIn } from '../support/auth.ts';
import { queryDatabase } from '../support/database-inspection.ts';

// The access module will supply role lists; here a stand-in gives the role "field" its own list.
const roleIpAllowList = async (_workspaceId: string, roleName: string) => (roleName === 'field' ? ['198.51.100.0/24', '2001:db8:f::/48'] : undefined);

describe('IP allow-lists behind a trusted proxy', () => {
  let daicho: TestDaicho;
  const from = (address: string) => ({ 'x-forwarded-for': address });

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl'), env: { DAICHO_TRUSTED_PROXIES: '127.0.0.1', DAICHO_LOGIN_DELAY_MS: '0' }, roleIpAllowList });
    await defineRoles(daicho, 'field', 'sales');
  });
  afterAll(async () => {
    await daicho?.close();
  });

  it('reads an empty workspace list and the caller\'s address as the server sees it', async () => {
    const response = await daicho.api.get('/api/v1/workspace/security', { headers: from('203.0.113.10') });
    expect(response.body).toEqual({ ipAllowList: [], clientAddress: '203.0.113.10' });
  });

  it('refuses malformed entries, each by its index, and non-admins', async () => {
    const response = await daicho.api.put('/api/v1/workspace/security', { ipAllowList: ['10.0.0.0/8', 'intranet', '10.0.0.0/33', 7] });
    expect(response.status).toBe(422);
    expect(response.body.error.details.problems.map((problem: { path: string }) => problem.path)).toEqual(['/ipAllowList/1', '/ipAllowList/2', '/ipAllowList/3']);
    const user = await daicho.createUserSession();
    expect((await daicho.api.get('/api/v1/workspace/security', { token: user.token })).status).toBe(403);
  });

  it('refuses a list that would lock out the admin saving it', async () => {
    const response = await daicho.api.put('/api/v1/workspace/security', { ipAllowList: ['192.0.2.0/24'] }, { headers: from('203.0.113.10') });
    expect(response.status).toBe(422);
    expect(response.body.error.details.problems[0]).toMatchObject({ path: '/ipAllowList', code: 'excludesYou' });
  });

  describe('with a workspace list', () => {
    let user: Awaited<ReturnType<TestDaicho['createUserSession']>>;
    beforeAll(async () => {
      user = await daicho.createUserSession();
      const saved = await daicho.api.put('/api/v1/workspace/security', { ipAllowList: ['203.0.113.0/24', '2001:DB8::/32', '::ffff:192.0.2.7'] }, { headers: from('203.0.113.10') });
      expect(saved.status).toBe(200);
      expect(saved.body.ipAllowList).toEqual(['203.0.113.0/24', '2001:db8::/32', '192.0.2.7']);
    });
    afterAll(async () => {
      await daicho.api.put('/api/v1/workspace/security', { ipAllowList: [] }, { headers: from('203.0.113.10') });
    });

    it.each(['203.0.113.99', '::ffff:203.0.113.99', '2001:db8:1234::1', '192.0.2.7'])('lets %s in', async (address) => {
      expect((await daicho.api.get('/api/v1/auth/me', { token: user.token, headers: from(address) })).status).toBe(200);
    });

    it.each(['192.0.2.8', '198.51.100.1', '2001:db9::1', '127.0.0.1'])('refuses %s with IP_NOT_ALLOWED, at once after the change', async (address) => {
      const response = await daicho.api.get('/api/v1/meta/objects', { token: user.token, headers: from(address) });
      expect(response.status).toBe(403);
      expect(response.body.error).toMatchObject({ code: 'IP_NOT_ALLOWED', message: 'Access from your network address is not allowed' });
    });

    it('takes the right-most untrusted hop, so a forged left-most address does not help', async () => {
      const response = await daicho.api.get('/api/v1/auth/me', { token: user.token, headers: { 'x-forwarded-for': '203.0.113.5, 192.0.2.99' } });
      expect(response.status).toBe(403);
    });

    it('refuses sign-in from outside before checking the password, so a refusal is no password oracle', async () => {
      const right = await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password }, from('192.0.2.8'));
      const wrong = await signIn(daicho, { workspace: 'demo', email: user.email, password: 'wrong password!' }, from('192.0.2.8'));
      expect([right.status, codeOf(right)]).toEqual([403, 'IP_NOT_ALLOWED']);
      expect([wrong.status, codeOf(wrong)]).toEqual([403, 'IP_NOT_ALLOWED']);
      expect((await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password }, from('203.0.113.20'))).status).toBe(200);
    });

    it('applies to API tokens as well', async () => {
      const token = (await daicho.api.post('/api/v1/auth/tokens', { name: 'ip' }, { token: user.token, headers: from('203.0.113.1') })).body.token as string;
      expect((await daicho.api.get('/api/v1/auth/me', { token, headers: from('203.0.113.1') })).status).toBe(200);
      expect((await daicho.api.get('/api/v1/auth/me', { token, headers: from('192.0.2.200') })).status).toBe(403);
    });
  });

  describe('with a role list (the roleIpAllowList hook)', () => {
    it('admits a user of the role only from the role\'s ranges, on every request and at sign-in', async () => {
      const fieldPassword = 'field passphrase 1';
      const created = await daicho.api.post('/api/v1/users', { email: 'field@example.com', displayName: 'Field', roleName: 'field', password: fieldPassword });
      expect(created.status).toBe(201);
      const first = await signIn(daicho, { workspace: 'demo', email: 'field@example.com', password: fieldPassword }, from('198.51.100.9'));
      expect(first.status).toBe(200);
      const field = { token: first.body.token as string, email: 'field@example.com', password: fieldPassword };
      const other = await daicho.createUserSession({ roleName: 'sales' });
      expect((await daicho.api.get('/api/v1/auth/me', { token: field.token, headers: from('198.51.100.9') })).status).toBe(200);
      expect((await daicho.api.get('/api/v1/auth/me', { token: field.token, headers: from('2001:db8:f:1::1') })).status).toBe(200);
      const outside = await daicho.api.get('/api/v1/auth/me', { token: field.token, headers: from('203.0.113.5') });
      expect([outside.status, codeOf(outside)]).toEqual([403, 'IP_NOT_ALLOWED']);
      expect((await daicho.api.get('/api/v1/auth/me', { token: other.token, headers: from('203.0.113.5') })).status).toBe(200);
      const signInOutside = await signIn(daicho, { workspace: 'demo', email: field.email, password: field.password }, from('203.0.113.5'));
      expect([signInOutside.status, codeOf(signInOutside)]).toEqual([403, 'IP_NOT_ALLOWED']);
      expect((await signIn(daicho, { workspace: 'demo', email: field.email, password: field.password }, from('198.51.100.77'))).status).toBe(200);
    });
  });
});

describe('IP allow-lists without a trusted proxy', () => {
  let daicho: TestDaicho;
  beforeAll(async () => {
    // No cache: the list written straight to the database below applies at once.
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl'), env: { DAICHO_SESSION_CACHE_MS: '0' } });
  });
  afterAll(async () => {
    await daicho?.close();
  });

  it('ignores X-Forwarded-For: the connecting address is the client', async () => {
    const user = await daicho.createUserSession();
    expect((await daicho.api.get('/api/v1/workspace/security', { headers: { 'x-forwarded-for': '203.0.113.10' } })).body.clientAddress).toBe('127.0.0.1');
    // The admin cannot save a list without their own address…
    const refused = await daicho.api.put('/api/v1/workspace/security', { ipAllowList: ['203.0.113.0/24'] }, { headers: { 'x-forwarded-for': '203.0.113.10' } });
    expect(refused.status).toBe(422);
    // …so set it in the database, as an operator would, and check a forged header gets no one in.
    await queryDatabase(daicho.testDatabase.url, `insert into daicho.workspace_security (workspace_id, ip_allow_list) values ($1, '{203.0.113.0/24}')`, [user.workspaceId]);
    const forged = await daicho.api.get('/api/v1/auth/me', { token: user.token, headers: { 'x-forwarded-for': '203.0.113.10' } });
    expect([forged.status, codeOf(forged)]).toEqual([403, 'IP_NOT_ALLOWED']);
  });
});
