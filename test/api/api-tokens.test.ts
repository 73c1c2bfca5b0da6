import { createHash } from 'node:crypto';
import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codeOf, defineRoles } from '../support/auth.ts';
import { queryDatabase } from '../support/database-inspection.ts';

describe('API tokens', () => {
  let daicho: TestDaicho;

  beforeAll(async () => {
    // No session cache: each request reads the token row, so last-use touches are observable.
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl'), env: { DAICHO_API_TOKEN_MAX_DAYS: '30', DAICHO_SESSION_CACHE_MS: '0' } });
    await defineRoles(daicho, 'sales', 'manager', 'intern', 'support');
  });
  afterAll(async () => {
    await daicho?.close();
  });

  const tokenRow = async (id: string) =>
    (await queryDatabase<Record<string, unknown>>(daicho.testDatabase.url, 'select * from daicho.api_token where id = $1', [id]))[0]!;

  it('creates a token shown once, stored as its SHA-256, acting with the creator\'s role', async () => {
    const sales = await daicho.createUserSession({ roleName: 'sales' });
    const created = await daicho.api.post('/api/v1/auth/tokens', { name: 'CRM sync' }, { token: sales.token });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const token = created.body.token as string;
    expect(token).toMatch(/^dct_[\w-]{43}$/);
    expect(created.body.apiToken).toMatchObject({ name: 'CRM sync', roleName: 'sales', admin: false, userId: sales.userId, hint: token.slice(-4), lastUsedAt: null, revokedAt: null });
    const row = await tokenRow(created.body.apiToken.id);
    expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(token.slice(4, 20));

    const me = await daicho.api.get('/api/v1/auth/me', { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ userId: sales.userId, authMethod: 'token', roleName: 'sales', isAdmin: false });
    const listed = await daicho.api.get('/api/v1/auth/tokens', { token: sales.token });
    expect(listed.body.apiTokens).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(token);
  });

  describe('a token with more rights than its creator is refused', () => {
    it('for another role, when the creator is not an admin', async () => {
      const sales = await daicho.createUserSession({ roleName: 'sales' });
      const response = await daicho.api.post('/api/v1/auth/tokens', { name: 'escalate', roleName: 'manager' }, { token: sales.token });
      expect(response.status).toBe(403);
      expect(response.body.error).toMatchObject({ code: 'PERMISSION_DENIED', message: 'A token cannot have more rights than its creator: you may create tokens for your own role only (sales)' });
      const none = await daicho.api.post('/api/v1/auth/tokens', { name: 'no role', roleName: null }, { token: sales.token });
      expect(none.status).toBe(403);
    });

    it('as an admin token, when the creator is not an admin', async () => {
      const sales = await daicho.createUserSession({ roleName: 'sales' });
      const response = await daicho.api.post('/api/v1/auth/tokens', { name: 'escalate', roleName: 'sales', admin: true }, { token: sales.token });
      expect(response.status).toBe(403);
      expect(codeOf(response)).toBe('PERMISSION_DENIED');
      expect((await queryDatabase(daicho.testDatabase.url, 'select 1 from daicho.api_token where user_id = $1', [sales.userId])).length).toBe(0);
    });

    it('and a token, once its creator is moved to another role, stops working', async () => {
      const sales = await daicho.createUserSession({ roleName: 'sales' });
      const token = (await daicho.api.post('/api/v1/auth/tokens', { name: 'sync' }, { token: sales.token })).body.token as string;
      expect((await daicho.api.get('/api/v1/auth/me', { token })).status).toBe(200);
      expect((await daicho.api.patch(`/api/v1/users/${sales.userId}`, { roleName: 'intern' })).status).toBe(200);
      expect((await daicho.api.get('/api/v1/auth/me', { token })).status).toBe(401);
    });
  });

  it('lets an admin create tokens for any role, and admin tokens, each acting with its own rights', async () => {
    const forRole = await daicho.api.post('/api/v1/auth/tokens', { name: 'support bot', roleName: 'support' });
    expect(forRole.status).toBe(201);
    const roleMe = await daicho.api.get('/api/v1/auth/me', { token: forRole.body.token });
    expect(roleMe.body).toMatchObject({ roleName: 'support', isAdmin: false, authMethod: 'token' });
    // The role token is not an admin even though its creator is.
    expect((await daicho.api.get('/api/v1/users', { token: forRole.body.token })).status).toBe(403);
    const admin = await daicho.api.post('/api/v1/auth/tokens', { name: 'provisioning', admin: true });
    expect((await daicho.api.get('/api/v1/auth/me', { token: admin.body.token })).body).toMatchObject({ isAdmin: true, authMethod: 'token' });
    expect((await daicho.api.get('/api/v1/users', { token: admin.body.token })).status).toBe(200);
  });

  it('refuses bad names, roles and expiries with VALIDATION_FAILED', async () => {
    const response = await daicho.api.post('/api/v1/auth/tokens', { name: '', roleName: 'Not A Role', expiresAt: new Date(Date.now() + 31 * 86_400_000).toISOString() });
    expect(response.status).toBe(422);
    expect(response.body.error.details.problems.map((problem: { path: string; code: string }) => `${problem.path} ${problem.code}`)).toEqual([
      '/name required', '/roleName pattern', '/expiresAt maximum',
    ]);
    const past = await daicho.api.post('/api/v1/auth/tokens', { name: 'old', expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.body.error.details.problems[0]).toMatchObject({ path: '/expiresAt', code: 'minimum' });
    const notDate = await daicho.api.post('/api/v1/auth/tokens', { name: 'x', expiresAt: 'tomorrow' });
    expect(notDate.status).toBe(422);
  });

  it('expires: at most the configured lifetime by default, refused after its expiry', async () => {
    const created = await daicho.api.post('/api/v1/auth/tokens', { name: 'short', expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    const lifetime = Date.parse(created.body.apiToken.expiresAt) - Date.now();
    expect(lifetime).toBeLessThanOrEqual(3_600_000);
    const byDefault = await daicho.api.post('/api/v1/auth/tokens', { name: 'default' });
    expect(Date.parse(byDefault.body.apiToken.expiresAt) - Date.now()).toBeGreaterThan(29.9 * 86_400_000);
    expect(Date.parse(byDefault.body.apiToken.expiresAt) - Date.now()).toBeLessThanOrEqual(30 * 86_400_000);
    await queryDatabase(daicho.testDatabase.url, `update daicho.api_token set expires_at = now() - interval '1 second' where id = $1`, [created.body.apiToken.id]);
    expect((await daicho.api.get('/api/v1/auth/me', { token: created.body.token })).status).toBe(401);
  });

  it('is revoked at once by its owner or an admin; others see no such token', async () => {
    const user = await daicho.createUserSession();
    const created = await daicho.api.post('/api/v1/auth/tokens', { name: 'revoke me' }, { token: user.token });
    const id = created.body.apiToken.id as string;
    expect((await daicho.api.get('/api/v1/auth/me', { token: created.body.token })).status).toBe(200);
    const stranger = await daicho.createUserSession();
    expect((await daicho.api.delete(`/api/v1/auth/tokens/${id}`, { token: stranger.token })).status).toBe(404);
    expect((await daicho.api.get('/api/v1/auth/tokens?all=true', { token: stranger.token })).status).toBe(403);
    expect((await daicho.api.delete(`/api/v1/auth/tokens/${id}`, { token: user.token })).status).toBe(204);
    expect((await daicho.api.get('/api/v1/auth/me', { token: created.body.token })).status).toBe(401);
    const all = await daicho.api.get('/api/v1/auth/tokens?all=true');
    expect(all.body.apiTokens.find((token: { id: string }) => token.id === id)).toMatchObject({ revokedAt: expect.any(String) });
    const other = await daicho.api.post('/api/v1/auth/tokens', { name: 'admin revokes' }, { token: user.token });
    expect((await daicho.api.delete(`/api/v1/auth/tokens/${other.body.apiToken.id}`)).status).toBe(204);
    expect((await daicho.api.get('/api/v1/auth/me', { token: other.body.token })).status).toBe(401);
  });

  it('records its last use at most once a minute', async () => {
    const created = await daicho.api.post('/api/v1/auth/tokens', { name: 'touch' });
    const id = created.body.apiToken.id as string;
    await daicho.api.get('/api/v1/auth/me', { token: created.body.token });
    const first = (await tokenRow(id)).last_used_at as Date;
    expect(first).toBeInstanceOf(Date);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await daicho.api.get('/api/v1/auth/me', { token: created.body.token });
    expect(((await tokenRow(id)).last_used_at as Date).getTime()).toBe(first.getTime());
    await queryDatabase(daicho.testDatabase.url, `update daicho.api_token set last_used_at = now() - interval '61 seconds' where id = $1`, [id]);
    await daicho.api.get('/api/v1/auth/me', { token: created.body.token });
    expect(Date.now() - ((await tokenRow(id)).last_used_at as Date).getTime()).toBeLessThan(5000);
  });

  it('cannot manage the account: no tokens, password, TOTP or sign-out through a token', async () => {
    const token = (await daicho.api.post('/api/v1/auth/tokens', { name: 'limited', admin: true })).body.token as string;
    for (const [path, body] of [
      ['/api/v1/auth/tokens', { name: 'child' }],
      ['/api/v1/auth/password', { currentPassword: 'x', newPassword: 'y' }],
      ['/api/v1/auth/totp/enrol', { password: 'x' }],
      ['/api/v1/auth/logout', undefined],
      ['/api/v1/auth/logout-all', undefined],
    ] as const) {
      const response = await daicho.api.post(path, body, { token });
      expect(response.status, path).toBe(403);
      expect(codeOf(response)).toBe('PERMISSION_DENIED');
    }
  });

  it('stops working when its creator is disabled', async () => {
    const user = await daicho.createUserSession();
    const token = (await daicho.api.post('/api/v1/auth/tokens', { name: 'sync' }, { token: user.token })).body.token as string;
    await daicho.api.patch(`/api/v1/users/${user.userId}`, { status: 'disabled' });
    expect((await daicho.api.get('/api/v1/auth/me', { token })).status).toBe(401);
  });

  it('never logs a token', async () => {
    const created = await daicho.api.post('/api/v1/auth/tokens', { name: 'secret' });
    await daicho.api.get('/api/v1/records/nothing', { token: created.body.token });
    expect(JSON.stringify(daicho.logLines())).not.toContain(created.body.token);
  });
});
