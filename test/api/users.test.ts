import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codeOf, defineRoles, signIn } from '../support/auth.ts';

describe('users API', () => {
  let daicho: TestDaicho;

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl'), env: { DAICHO_LOGIN_DELAY_MS: '0' } });
    await defineRoles(daicho, 'sales', 'manager');
  });
  afterAll(async () => {
    await daicho?.close();
  });

  describe('succeeds', () => {
    it('creates a user with a password, storing the e-mail in canonical form', async () => {
      const response = await daicho.api.post('/api/v1/users', {
        email: '  Ｔａｒｏ.Yamada@Example.COM ', displayName: ' 山田 太郎 ', locale: 'en', timeZone: 'america/new_york', roleName: 'sales', password: 'taro passphrase 1',
      });
      expect(response.status).toBe(201);
      expect(response.body.initialPassword).toBeUndefined();
      expect(response.body.user).toMatchObject({
        email: 'taro.yamada@example.com', displayName: '山田 太郎', locale: 'en', timeZone: 'America/New_York', roleName: 'sales', isAdmin: false, status: 'active', totpEnabled: false,
      });
      const signedIn = await signIn(daicho, { workspace: 'demo', email: 'TARO.yamada@example.com', password: 'taro passphrase 1' });
      expect(signedIn.body.user).toMatchObject({ roleName: 'sales', locale: 'en', timeZone: 'America/New_York' });
    });

    it('creates a user without a password, answering a generated initial one once', async () => {
      const response = await daicho.api.post('/api/v1/users', { email: 'hanako@example.com', displayName: 'Hanako' });
      expect(response.status).toBe(201);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.body.initialPassword).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{20}$/);
      expect(response.body.user).toMatchObject({ locale: 'ja', timeZone: 'Asia/Tokyo', roleName: null });
      expect((await signIn(daicho, { workspace: 'demo', email: 'hanako@example.com', password: response.body.initialPassword })).status).toBe(200);
      const listed = await daicho.api.get('/api/v1/users');
      expect(listed.body.users.map((user: { email: string }) => user.email)).toContain('hanako@example.com');
      expect(JSON.stringify(listed.body)).not.toMatch(/password/i);
    });

    it('changes display name, locale, time zone and role; the role applies to the user\'s next request', async () => {
      const user = await daicho.createUserSession({ roleName: 'sales' });
      expect((await daicho.api.get('/api/v1/auth/me', { token: user.token })).body.roleName).toBe('sales');
      const response = await daicho.api.patch(`/api/v1/users/${user.userId}`, { displayName: 'Renamed', locale: 'en', timeZone: 'UTC', roleName: 'manager' });
      expect(response.status).toBe(200);
      expect(response.body.user).toMatchObject({ displayName: 'Renamed', locale: 'en', timeZone: 'UTC', roleName: 'manager' });
      expect((await daicho.api.get('/api/v1/auth/me', { token: user.token })).body).toMatchObject({ roleName: 'manager', displayName: 'Renamed' });
      expect((await daicho.api.get(`/api/v1/users/${user.userId}`)).body.user.roleName).toBe('manager');
    });

    it('lets users change their own display name, locale and time zone (and nothing else) through /auth/me', async () => {
      const user = await daicho.createUserSession({ roleName: 'sales' });
      const response = await daicho.api.patch('/api/v1/auth/me', { displayName: 'Me', locale: 'en', timeZone: 'Europe/Berlin' }, { token: user.token });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ displayName: 'Me', locale: 'en', timeZone: 'Europe/Berlin', roleName: 'sales' });
      expect((await daicho.api.get('/api/v1/auth/me', { token: user.token })).body).toMatchObject({ displayName: 'Me', timeZone: 'Europe/Berlin' });
      const escalate = await daicho.api.patch('/api/v1/auth/me', { roleName: 'admin', status: 'active', isAdmin: true }, { token: user.token });
      expect(escalate.status).toBe(422);
      expect(escalate.body.error.details.problems.map((problem: { path: string }) => problem.path)).toEqual(['/roleName', '/status', '/isAdmin']);
    });
  });

  describe('fails', () => {
    it('for non-admins with PERMISSION_DENIED', async () => {
      const user = await daicho.createUserSession();
      for (const response of [
        await daicho.api.get('/api/v1/users', { token: user.token }),
        await daicho.api.post('/api/v1/users', { email: 'x@example.com', displayName: 'X' }, { token: user.token }),
        await daicho.api.patch(`/api/v1/users/${user.userId}`, { roleName: 'manager' }, { token: user.token }),
      ]) {
        expect([response.status, codeOf(response)]).toEqual([403, 'PERMISSION_DENIED']);
      }
    });

    it('with every problem of a new user listed', async () => {
      const response = await daicho.api.post('/api/v1/users', { email: 'not-an-email', displayName: '', locale: 'fr', timeZone: 'Mars/Olympus', roleName: 'Bad Role', tenantId: 'x' });
      expect(response.status).toBe(422);
      expect({ ...response.body.error, requestId: '<request-id>' }).toMatchInlineSnapshot(`
        {
          "code": "VALIDATION_FAILED",
          "details": {
            "problems": [
              {
                "code": "additionalProperties",
                "message": "is not a property of a user",
                "path": "/tenantId",
              },
              {
                "code": "enum",
                "message": "must be one of ja, en",
                "path": "/locale",
              },
            ],
          },
          "message": "The input is not valid",
          "requestId": "<request-id>",
        }
      `);
      const second = await daicho.api.post('/api/v1/users', { email: 'not-an-email', displayName: '', timeZone: 'Mars/Olympus', roleName: 'Bad Role' });
      expect(second.body.error.details.problems.map((problem: { path: string; code: string }) => `${problem.path} ${problem.code}`)).toEqual([
        '/email format', '/displayName required', '/timeZone timeZone', '/roleName pattern',
      ]);
    });

    it('with CONFLICT for an e-mail already in the workspace, in any form', async () => {
      await daicho.api.post('/api/v1/users', { email: 'dup@example.com', displayName: 'Dup' });
      const response = await daicho.api.post('/api/v1/users', { email: ' DUP@ｅｘａｍｐｌｅ.com', displayName: 'Dup 2' });
      expect([response.status, codeOf(response)]).toEqual([409, 'CONFLICT']);
    });

    it('with NOT_FOUND for an unknown or malformed id, and VALIDATION_FAILED for bad changes', async () => {
      expect((await daicho.api.patch('/api/v1/users/00000000-0000-7000-8000-000000000000', { displayName: 'x' })).status).toBe(404);
      expect((await daicho.api.get('/api/v1/users/not-an-id')).status).toBe(404);
      const user = await daicho.createUserSession();
      const bad = await daicho.api.patch(`/api/v1/users/${user.userId}`, { status: 'deleted', email: 'new@example.com', timeZone: 'Nowhere' });
      expect(bad.body.error.details.problems.map((problem: { path: string }) => problem.path)).toEqual(['/status', '/email', '/timeZone']);
    });

    it('when an admin would disable themselves', async () => {
      const me = await daicho.api.get('/api/v1/auth/me');
      const response = await daicho.api.patch(`/api/v1/users/${me.body.userId}`, { status: 'disabled' });
      expect(response.status).toBe(422);
      expect((await daicho.api.get('/api/v1/auth/me')).status).toBe(200);
    });

    it('re-enables a disabled user, who signs in again with the same password', async () => {
      const user = await daicho.createUserSession();
      await daicho.api.patch(`/api/v1/users/${user.userId}`, { status: 'disabled' });
      expect((await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password })).status).toBe(401);
      await daicho.api.patch(`/api/v1/users/${user.userId}`, { status: 'active' });
      expect((await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password })).status).toBe(200);
    });
  });
});
