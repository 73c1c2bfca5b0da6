import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codeOf, sessionCookieOf, signIn, totpFor } from '../support/auth.ts';
import { queryDatabase } from '../support/database-inspection.ts';

describe('TOTP second factor', () => {
  let daicho: TestDaicho;

  beforeAll(async () => {
    daicho = await startTestDaicho({
      serverUrl: inject('databaseUrl'),
      env: { DAICHO_LOGIN_DELAY_MS: '0', DAICHO_LOGIN_MAX_FAILURES: '4' },
      roleRequiresTotp: async (_workspaceId, roleName) => roleName === 'finance',
    });
  });
  afterAll(async () => {
    await daicho?.close();
  });

  /** Lets codes of the current steps be used again (a test cannot wait 30 s for fresh ones). */
  const forgetUsedSteps = (userId: string) => queryDatabase(daicho.testDatabase.url, 'update daicho."user" set totp_last_step = null where id = $1', [userId]);

  async function enrolledUser(options: { roleName?: string } = {}) {
    const user = await daicho.createUserSession(options);
    const enrolment = await daicho.api.post('/api/v1/auth/totp/enrol', { password: user.password }, { token: user.token });
    expect(enrolment.status).toBe(200);
    const secret = enrolment.body.secret as string;
    const confirmed = await daicho.api.post('/api/v1/auth/totp/confirm', { code: totpFor(secret) }, { token: user.token });
    expect(confirmed.status).toBe(200);
    await forgetUsedSteps(user.userId);
    return { ...user, secret, recoveryCodes: confirmed.body.recoveryCodes as string[] };
  }

  it('enrols: the password first, a server-made secret and otpauth URI once, confirmed with a first code', async () => {
    const user = await daicho.createUserSession();
    const wrong = await daicho.api.post('/api/v1/auth/totp/enrol', { password: 'not the password' }, { token: user.token });
    expect(wrong.status).toBe(422);
    const enrolment = await daicho.api.post('/api/v1/auth/totp/enrol', { password: user.password }, { token: user.token });
    expect(enrolment.status).toBe(200);
    expect(enrolment.headers.get('cache-control')).toBe('no-store');
    const secret = enrolment.body.secret as string;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrolment.body.otpauthUri).toBe(
      `otpauth://totp/Daich%C5%8D%20demo:${encodeURIComponent(user.email)}?secret=${secret}&issuer=Daich%C5%8D+demo&algorithm=SHA1&digits=6&period=30`,
    );
    // Not yet in force: sign-in still takes the password alone.
    expect((await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password })).body.token).toMatch(/\S/);
    const bad = await daicho.api.post('/api/v1/auth/totp/confirm', { code: '000000' === totpFor(secret) ? '111111' : '000000' }, { token: user.token });
    expect([bad.status, codeOf(bad)]).toEqual([401, 'TOTP_INVALID']);
    const confirmed = await daicho.api.post('/api/v1/auth/totp/confirm', { code: totpFor(secret) }, { token: user.token });
    expect(confirmed.body).toEqual({ totpEnabled: true, recoveryCodes: expect.any(Array) });
    expect(confirmed.headers.get('cache-control')).toBe('no-store');
    expect((await daicho.api.get('/api/v1/auth/me', { token: user.token })).body.totpEnabled).toBe(true);
    // A second enrolment would replace a working factor: refused.
    expect((await daicho.api.post('/api/v1/auth/totp/enrol', { password: user.password }, { token: user.token })).status).toBe(409);
  });

  describe('recovery codes', () => {
    it('gives ten single-use codes at confirmation, kept only as keyed hashes', async () => {
      const user = await enrolledUser();
      expect(user.recoveryCodes).toHaveLength(10);
      for (const code of user.recoveryCodes) expect(code).toMatch(/^[a-hj-km-np-z2-9]{5}-[a-hj-km-np-z2-9]{5}$/);
      expect(new Set(user.recoveryCodes).size).toBe(10);
      const [row] = await queryDatabase<{ codes: string[] }>(daicho.testDatabase.url, 'select totp_recovery_codes as codes from daicho."user" where id = $1', [user.userId]);
      expect(row!.codes).toHaveLength(10);
      for (const code of user.recoveryCodes) {
        expect(JSON.stringify(row!.codes)).not.toContain(code);
        expect(JSON.stringify(row!.codes)).not.toContain(code.replace('-', ''));
      }
      expect((await daicho.api.get('/api/v1/auth/totp/recovery-codes', { token: user.token })).body).toEqual({ left: 10 });
    });

    it('signs in once with a recovery code in place of a code, in either step, and says so in the audit trail', async () => {
      const user = await enrolledUser();
      const [first, second] = user.recoveryCodes as [string, string];
      const challenge = (await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password })).body.challenge as string;
      const signedIn = await daicho.api.post('/api/v1/auth/login/totp', { challenge, code: first }, { token: null });
      expect(signedIn.status).toBe(200);
      // Spent: the same code again is refused, also typed without the dash or in capitals.
      const again = await daicho.api.post('/api/v1/auth/login/totp', { challenge: (await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password })).body.challenge, code: first.toUpperCase().replace('-', '') }, { token: null });
      expect([again.status, codeOf(again)]).toEqual([401, 'TOTP_INVALID']);
      // One step, with totpCode in the body.
      const oneStep = await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password, totpCode: second });
      expect(oneStep.body.token).toMatch(/\S/);
      expect((await daicho.api.get('/api/v1/auth/totp/recovery-codes', { token: user.token })).body).toEqual({ left: 8 });
      const audit = await daicho.api.get('/api/v1/audit?kind=auth.login');
      const mine = audit.body.events.filter((event: { actorId: string }) => event.actorId === user.userId);
      expect(mine.map((event: { details: Record<string, unknown> }) => event.details.recoveryCodesLeft).filter((left: unknown) => left !== undefined)).toEqual(expect.arrayContaining([9, 8]));
      // Another user's code does not work for this one.
      const other = await enrolledUser();
      const foreign = await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password, totpCode: other.recoveryCodes[0] });
      expect(codeOf(foreign)).toBe('TOTP_INVALID');
    });

    it('renews the codes with the password, and the old ones stop working; turning the factor off removes them', async () => {
      const user = await enrolledUser();
      expect((await daicho.api.post('/api/v1/auth/totp/recovery-codes', { password: 'wrong password here' }, { token: user.token })).status).toBe(422);
      const renewed = await daicho.api.post('/api/v1/auth/totp/recovery-codes', { password: user.password }, { token: user.token });
      expect(renewed.status).toBe(200);
      expect(renewed.body.recoveryCodes).toHaveLength(10);
      expect(renewed.body.recoveryCodes).not.toContain(user.recoveryCodes[0]);
      expect(codeOf(await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password, totpCode: user.recoveryCodes[0] }))).toBe('TOTP_INVALID');
      expect((await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password, totpCode: renewed.body.recoveryCodes[0] })).status).toBe(200);
      expect((await daicho.api.post('/api/v1/auth/totp/disable', { password: user.password }, { token: user.token })).status).toBe(200);
      const [row] = await queryDatabase<{ codes: string[] | null }>(daicho.testDatabase.url, 'select totp_recovery_codes as codes from daicho."user" where id = $1', [user.userId]);
      expect(row!.codes).toBeNull();
    });
  });

  describe('reset by an admin', () => {
    it('takes a lost second factor away: the user signs in with the password alone, their sessions are over, and it is audited', async () => {
      const user = await enrolledUser();
      const reset = await daicho.api.delete(`/api/v1/users/${user.userId}/totp`);
      expect(reset.status).toBe(204);
      expect((await daicho.api.get('/api/v1/auth/me', { token: user.token })).status).toBe(401);
      const signedIn = await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password });
      expect(signedIn.body.token).toMatch(/\S/);
      expect((await daicho.api.get('/api/v1/auth/me', { token: signedIn.body.token })).body.totpEnabled).toBe(false);
      const audit = await daicho.api.get('/api/v1/audit?kind=auth.reset');
      expect(audit.body.events.some((event: { details: { user: string; reset: string } }) => event.details.user === user.userId && event.details.reset === 'totp')).toBe(true);
    });

    it('gives a new one-time password that replaces the old one', async () => {
      const user = await daicho.createUserSession();
      const reset = await daicho.api.post(`/api/v1/users/${user.userId}/password-reset`);
      expect(reset.status).toBe(200);
      expect(reset.headers.get('cache-control')).toBe('no-store');
      expect(reset.body.initialPassword).toMatch(/^\S{20,}$/);
      expect((await daicho.api.get('/api/v1/auth/me', { token: user.token })).status).toBe(401);
      expect((await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password })).status).toBe(401);
      expect((await signIn(daicho, { workspace: 'demo', email: user.email, password: reset.body.initialPassword })).body.token).toMatch(/\S/);
    });

    it('is for those who manage users, not for their own account, and not for unknown users', async () => {
      const user = await daicho.createUserSession();
      const other = await daicho.createUserSession();
      expect((await daicho.api.delete(`/api/v1/users/${other.userId}/totp`, { token: user.token })).status).toBe(403);
      expect((await daicho.api.post(`/api/v1/users/${other.userId}/password-reset`, undefined, { token: user.token })).status).toBe(403);
      const admin = await daicho.createUserSession({ isAdmin: true });
      expect(codeOf(await daicho.api.delete(`/api/v1/users/${admin.userId}/totp`, { token: admin.token }))).toBe('VALIDATION_FAILED');
      expect(codeOf(await daicho.api.post(`/api/v1/users/${admin.userId}/password-reset`, undefined, { token: admin.token }))).toBe('VALIDATION_FAILED');
      expect((await daicho.api.delete('/api/v1/users/00000000-0000-0000-0000-000000000000/totp')).status).toBe(404);
      expect((await daicho.api.post('/api/v1/users/not-a-uuid/password-reset')).status).toBe(404);
    });
  });

  it('stores the secret encrypted, never in the clear', async () => {
    const user = await enrolledUser();
    const [row] = await queryDatabase<{ totp_secret: string }>(daicho.testDatabase.url, 'select totp_secret from daicho."user" where id = $1', [user.userId]);
    expect(row!.totp_secret).toMatch(/^v1\./);
    const raw = Buffer.from(decodeBase32(user.secret));
    for (const form of [user.secret, raw.toString('hex'), raw.toString('base64'), raw.toString('base64url')]) expect(row!.totp_secret).not.toContain(form);
    expect(JSON.stringify(daicho.logLines())).not.toContain(user.secret);
  });

  it('signs in in two steps: the password gives a challenge, the challenge and a code give the session', async () => {
    const user = await enrolledUser();
    const first = await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ totpRequired: true, challenge: expect.stringMatching(/^[\w-]+\.[\w-]+$/), challengeExpiresAt: expect.any(String) });
    const second = await daicho.api.post('/api/v1/auth/login/totp', { challenge: first.body.challenge, code: totpFor(user.secret) }, { token: null });
    expect(second.status).toBe(200);
    expect(second.body.token).toMatch(/^[\w-]{43}$/);
    expect((await daicho.api.get('/api/v1/auth/me', { token: second.body.token })).status).toBe(200);
  });

  it('refuses the same code twice, even with a new challenge', async () => {
    const user = await enrolledUser();
    const code = totpFor(user.secret);
    const challenge = async () => (await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password })).body.challenge as string;
    expect((await daicho.api.post('/api/v1/auth/login/totp', { challenge: await challenge(), code }, { token: null })).status).toBe(200);
    const replay = await daicho.api.post('/api/v1/auth/login/totp', { challenge: await challenge(), code }, { token: null });
    expect([replay.status, codeOf(replay)]).toEqual([401, 'TOTP_INVALID']);
    // A code of the step before (still inside the ±1 window) is older than the used one: refused too.
    const older = await daicho.api.post('/api/v1/auth/login/totp', { challenge: await challenge(), code: totpFor(user.secret, Date.now() - 30_000) }, { token: null });
    expect(codeOf(older)).toBe('TOTP_INVALID');
  });

  it('accepts codes one step away, not two', async () => {
    const user = await enrolledUser();
    const at = (offset: number) => signIn(daicho, { workspace: 'demo', email: user.email, password: user.password, totpCode: totpFor(user.secret, Date.now() + offset) });
    expect(codeOf(await at(-65_000))).toBe('TOTP_INVALID');
    expect(codeOf(await at(65_000))).toBe('TOTP_INVALID');
    expect((await at(-30_000)).body.token).toMatch(/\S/);
    expect((await at(30_000)).body.token).toMatch(/\S/);
  });

  it('signs in in one step with totpCode in the body, also into a cookie session', async () => {
    const user = await enrolledUser();
    const response = await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password, totpCode: totpFor(user.secret), session: 'cookie' });
    expect(response.status).toBe(200);
    expect(sessionCookieOf(response)).toBeDefined();
    expect(response.body.csrfToken).toMatch(/\S/);
  });

  it('keeps the cookie kind through the two steps', async () => {
    const user = await enrolledUser();
    const first = await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password, session: 'cookie' });
    const second = await daicho.api.post('/api/v1/auth/login/totp', { challenge: first.body.challenge, code: totpFor(user.secret) }, { token: null });
    expect(sessionCookieOf(second)?.name).toBe('daicho_session');
    expect(second.body.token).toBeUndefined();
  });

  it('refuses a forged, altered or expired challenge', async () => {
    const user = await enrolledUser();
    const { challenge } = (await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password })).body as { challenge: string };
    const [body, mac] = challenge.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const expired = Buffer.from(JSON.stringify({ ...payload, expiresAt: Date.now() - 1 })).toString('base64url');
    for (const forged of [`${expired}.${mac}`, `${body}.${'A'.repeat(43)}`, 'nonsense']) {
      const response = await daicho.api.post('/api/v1/auth/login/totp', { challenge: forged, code: totpFor(user.secret) }, { token: null });
      expect([response.status, response.body.error.message]).toEqual([401, 'The sign-in has expired or is not valid; sign in again']);
    }
  });

  it('counts wrong codes as failed sign-ins, locking the account at the limit', async () => {
    const user = await enrolledUser();
    const { challenge } = (await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password })).body as { challenge: string };
    const wrong = totpFor(user.secret) === '123456' ? '654321' : '123456';
    // The password step counted one attempt; three wrong codes make four.
    for (let i = 0; i < 3; i += 1) expect(codeOf(await daicho.api.post('/api/v1/auth/login/totp', { challenge, code: wrong }, { token: null }))).toBe('TOTP_INVALID');
    const locked = await daicho.api.post('/api/v1/auth/login/totp', { challenge, code: totpFor(user.secret) }, { token: null });
    expect([locked.status, codeOf(locked)]).toEqual([429, 'RATE_LIMITED']);
  });

  it('is turned off with the password, after which the password alone signs in', async () => {
    const user = await enrolledUser();
    const session = await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password, totpCode: totpFor(user.secret) });
    expect((await daicho.api.post('/api/v1/auth/totp/disable', { password: 'wrong password' }, { token: session.body.token })).status).toBe(422);
    expect((await daicho.api.post('/api/v1/auth/totp/disable', { password: user.password }, { token: session.body.token })).body).toEqual({ totpEnabled: false });
    expect((await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password })).body.token).toMatch(/\S/);
  });

  describe('required by a role (the roleRequiresTotp hook)', () => {
    it('lets a user without TOTP sign in only to enrol, then opens everything', async () => {
      const user = await daicho.createUserSession({ roleName: 'finance' });
      const signedIn = await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password });
      expect(signedIn.body.totpEnrolmentRequired).toBe(true);
      const token = signedIn.body.token as string;
      const blocked = await daicho.api.get('/api/v1/meta/objects', { token });
      expect([blocked.status, codeOf(blocked)]).toEqual([403, 'TOTP_ENROLMENT_REQUIRED']);
      expect((await daicho.api.get('/api/v1/auth/me', { token })).body.totpEnrolmentRequired).toBe(true);
      const enrolment = await daicho.api.post('/api/v1/auth/totp/enrol', { password: user.password }, { token });
      expect((await daicho.api.post('/api/v1/auth/totp/confirm', { code: totpFor(enrolment.body.secret) }, { token })).status).toBe(200);
      expect((await daicho.api.get('/api/v1/meta/objects', { token })).status).toBe(200);
      expect((await daicho.api.get('/api/v1/auth/me', { token })).body.totpEnrolmentRequired).toBe(false);
    });

    it('does not hold back users of other roles, nor API tokens', async () => {
      const user = await daicho.createUserSession({ roleName: 'sales' });
      expect((await daicho.api.get('/api/v1/meta/objects', { token: user.token })).status).toBe(200);
      const apiToken = await daicho.api.post('/api/v1/auth/tokens', { name: 'finance bot', roleName: 'finance' });
      expect((await daicho.api.get('/api/v1/meta/objects', { token: apiToken.body.token })).status).toBe(200);
    });
  });
});

function decodeBase32(text: string): number[] {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  return (bits.match(/.{8}/g) ?? []).map((byte) => Number.parseInt(byte, 2));
}
