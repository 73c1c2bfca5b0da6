import { argon2Sync, randomBytes } from 'node:crypto';
import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codeOf, signIn } from '../support/auth.ts';
import { queryDatabase } from '../support/database-inspection.ts';

/** A PHC argon2id hash made with the given parameters, as an older release would have stored it. */
function legacyHash(password: string, memory: number, passes: number): string {
  const nonce = randomBytes(16);
  const tag = argon2Sync('argon2id', { message: password, nonce, memory, passes, parallelism: 1, tagLength: 32 });
  return `$argon2id$v=19$m=${memory},t=${passes},p=1$${nonce.toString('base64url')}$${tag.toString('base64url')}`;
}

describe('passwords', () => {
  let daicho: TestDaicho;
  const storedHash = async (userId: string) =>
    (await queryDatabase<{ password_hash: string }>(daicho.testDatabase.url, 'select password_hash from daicho."user" where id = $1', [userId]))[0]!.password_hash;

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl'), env: { DAICHO_PASSWORD_MIN_LENGTH: '16', DAICHO_LOGIN_DELAY_MS: '0' } });
  });
  afterAll(async () => {
    await daicho?.close();
  });

  it('upgrades a hash made with weaker parameters at the next successful sign-in, and not at a failed one', async () => {
    const password = 'a-long-enough-passphrase';
    const user = await daicho.createUserSession({ password });
    const weak = legacyHash(password, 4096, 1);
    await queryDatabase(daicho.testDatabase.url, 'update daicho."user" set password_hash = $1 where id = $2', [weak, user.userId]);
    expect((await signIn(daicho, { workspace: 'demo', email: user.email, password: 'wrong password here' })).status).toBe(401);
    expect(await storedHash(user.userId)).toBe(weak);
    expect((await signIn(daicho, { workspace: 'demo', email: user.email, password })).status).toBe(200);
    const upgraded = await storedHash(user.userId);
    expect(upgraded).not.toBe(weak);
    const [, memory, passes] = /m=(\d+),t=(\d+)/.exec(upgraded)!;
    expect(Number(memory)).toBeGreaterThanOrEqual(19_456);
    expect(Number(passes)).toBeGreaterThanOrEqual(2);
    // The upgraded hash still opens with the same password, and is left alone from now on.
    expect((await signIn(daicho, { workspace: 'demo', email: user.email, password })).status).toBe(200);
    expect(await storedHash(user.userId)).toBe(upgraded);
  });

  it('compares passwords in NFKC form: full-width input signs in to a half-width password', async () => {
    const user = await daicho.createUserSession({ password: 'Passphrase 2026 spring' });
    expect((await signIn(daicho, { workspace: 'demo', email: user.email, password: 'Ｐａｓｓｐｈｒａｓｅ　２０２６　ｓｐｒｉｎｇ' })).status).toBe(200);
  });

  describe('policy', () => {
    it.each([
      ['shorter than the configured minimum', 'fifteen chars!!', ['tooShort']],
      ['longer than the maximum', 'x'.repeat(129) + 'y', ['tooLong']],
      ['the e-mail address', 'policy.test.user@example.com', ['sameAsEmail']],
      ['a very common password, in any case', 'PasswordPASSWORD', ['common']],
      ['a very common password', 'correcthorsebatterystaple', ['common']],
      ['one character repeated', 'aaaaaaaaaaaaaaaaaaaa', ['common']],
    ])('refuses a password that is %s with WEAK_PASSWORD', async (_case, password, reasons) => {
      const response = await daicho.api.post('/api/v1/users', { email: 'policy.test.user@example.com', displayName: 'Policy', password });
      expect(response.status).toBe(422);
      expect(response.body.error).toMatchObject({ code: 'WEAK_PASSWORD', details: { reasons, minLength: 16, maxLength: 128 } });
    });

    it('accepts a password of exactly the minimum length', async () => {
      const response = await daicho.api.post('/api/v1/users', { email: 'min.length@example.com', displayName: 'Min', password: 'sixteen chars ok' });
      expect(response.status).toBe(201);
    });
  });

  describe('changing one\'s own password', () => {
    it('needs the current password, applies the policy, and ends the other sessions but not this one', async () => {
      const password = 'first passphrase 1';
      const user = await daicho.createUserSession({ password });
      const other = (await signIn(daicho, { workspace: 'demo', email: user.email, password })).body.token as string;
      const cookie = await signIn(daicho, { workspace: 'demo', email: user.email, password, session: 'cookie' });
      expect(cookie.status).toBe(200);

      const wrong = await daicho.api.post('/api/v1/auth/password', { currentPassword: 'not my password', newPassword: 'second passphrase 2' }, { token: user.token });
      expect(wrong.status).toBe(422);
      expect(wrong.body.error.details.problems).toEqual([{ path: '/currentPassword', code: 'incorrect', message: 'is not your current password' }]);
      const weak = await daicho.api.post('/api/v1/auth/password', { currentPassword: password, newPassword: 'short' }, { token: user.token });
      expect(codeOf(weak)).toBe('WEAK_PASSWORD');
      expect((await daicho.api.get('/api/v1/auth/me', { token: other })).status).toBe(200);

      const changed = await daicho.api.post('/api/v1/auth/password', { currentPassword: password, newPassword: 'second passphrase 2' }, { token: user.token });
      expect(changed.status).toBe(200);
      expect(changed.body).toEqual({ revokedSessions: 2 });
      expect((await daicho.api.get('/api/v1/auth/me', { token: other })).status).toBe(401);
      expect((await daicho.api.get('/api/v1/auth/me', { token: user.token })).status).toBe(200);
      expect((await signIn(daicho, { workspace: 'demo', email: user.email, password })).status).toBe(401);
      expect((await signIn(daicho, { workspace: 'demo', email: user.email, password: 'second passphrase 2' })).status).toBe(200);
    });

    it('never logs a password', async () => {
      const lines = JSON.stringify(daicho.logLines());
      for (const secret of ['first passphrase 1', 'second passphrase 2', 'a-long-enough-passphrase']) expect(lines).not.toContain(secret);
    });
  });
});
