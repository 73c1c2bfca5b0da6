import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { bootDaicho, createLogger, loadConfig } from '@daicho/core';
import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codeOf, sessionCookieOf, signIn } from '../support/auth.ts';
import { queryDatabase } from '../support/database-inspection.ts';

describe('browser sessions (cookies) and CSRF', () => {
  let daicho: TestDaicho;

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl'), env: { DAICHO_TRUSTED_PROXIES: '127.0.0.1', DAICHO_LOGIN_DELAY_MS: '0' } });
  });
  afterAll(async () => {
    await daicho?.close();
  });

  async function cookieSession(headers: Record<string, string> = {}) {
    const user = await daicho.createUserSession();
    const response = await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password, session: 'cookie' }, headers);
    expect(response.status).toBe(200);
    return { user, response, cookie: sessionCookieOf(response)!, csrfToken: response.body.csrfToken as string };
  }

  const withCookie = (cookie: string, headers: Record<string, string> = {}) => ({ token: null, headers: { cookie, ...headers } });

  it('sets an HttpOnly, SameSite=Strict cookie named daicho_session on plain http, with no token in the body', async () => {
    const { response, cookie, csrfToken } = await cookieSession();
    expect(cookie.name).toBe('daicho_session');
    expect(cookie.line).toMatch(/^daicho_session=[\w-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
    expect(response.body.token).toBeUndefined();
    expect(csrfToken).toMatch(/^[\w-]{43}$/);
    expect(response.body.user).toMatchObject({ authMethod: 'cookie' });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('makes it __Host-daicho_session with Secure when the request came over TLS through a trusted proxy', async () => {
    const { cookie } = await cookieSession({ 'x-forwarded-proto': 'https' });
    expect(cookie.line).toMatch(/^__Host-daicho_session=[\w-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict; Secure$/);
    expect(cookie.line).not.toMatch(/Domain=/i);
    const me = await daicho.api.get('/api/v1/auth/me', withCookie(cookie.pair, { 'x-forwarded-proto': 'https' }));
    expect(me.status).toBe(200);
    // Over TLS a plain-named cookie (which anyone on the path or a sibling domain could plant) is not read.
    const planted = await daicho.api.get('/api/v1/auth/me', withCookie(`daicho_session=${cookie.value}`, { 'x-forwarded-proto': 'https' }));
    expect(planted.status).toBe(401);
  });

  it('answers GET /auth/me with the user and the session\'s CSRF token', async () => {
    const { cookie, csrfToken, user } = await cookieSession();
    const me = await daicho.api.get('/api/v1/auth/me', withCookie(cookie.pair));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ userId: user.userId, authMethod: 'cookie', csrfToken, clientAddress: '127.0.0.1' });
    const bearer = await daicho.api.get('/api/v1/auth/me', { token: user.token });
    expect(bearer.body.csrfToken).toBeUndefined();
    expect(bearer.body.authMethod).toBe('session');
  });

  describe('refuses state changes without proof that our own page sent them', () => {
    it('without the CSRF token', async () => {
      const { cookie } = await cookieSession();
      const response = await daicho.api.patch('/api/v1/auth/me', { displayName: 'Forged' }, withCookie(cookie.pair));
      expect(response.status).toBe(403);
      expect(response.body.error).toMatchObject({ code: 'CSRF_REJECTED', details: { reason: 'missingToken' } });
    });

    it('with a wrong token, or the token of another session', async () => {
      const { cookie } = await cookieSession();
      const other = await cookieSession();
      for (const token of ['x'.repeat(43), other.csrfToken, '']) {
        const response = await daicho.api.patch('/api/v1/auth/me', { displayName: 'Forged' }, withCookie(cookie.pair, { 'x-csrf-token': token }));
        expect(response.status).toBe(403);
        expect(codeOf(response)).toBe('CSRF_REJECTED');
      }
    });

    it.each(['cross-site', 'same-site', 'CROSS-SITE'])('with the right token but Sec-Fetch-Site: %s', async (site) => {
      const { cookie, csrfToken } = await cookieSession();
      const response = await daicho.api.patch('/api/v1/auth/me', { displayName: 'Forged' }, withCookie(cookie.pair, { 'x-csrf-token': csrfToken, 'sec-fetch-site': site }));
      expect(response.status).toBe(403);
      expect(response.body.error.details).toEqual({ reason: 'crossSite' });
    });

    it('on every unsafe method, while safe methods need no token', async () => {
      const { cookie } = await cookieSession();
      expect((await daicho.api.post('/api/v1/auth/logout', undefined, withCookie(cookie.pair))).status).toBe(403);
      expect((await daicho.api.delete('/api/v1/auth/tokens/00000000-0000-0000-0000-000000000000', withCookie(cookie.pair))).status).toBe(403);
      expect((await daicho.api.put('/api/v1/workspace/security', { ipAllowList: [] }, withCookie(cookie.pair))).status).toBe(403);
      expect((await daicho.api.get('/api/v1/meta/objects', withCookie(cookie.pair))).status).toBe(200);
    });

    it('but accepts the token from our page (same-origin or no Sec-Fetch-Site)', async () => {
      const { cookie, csrfToken } = await cookieSession();
      const sameOrigin = await daicho.api.patch('/api/v1/auth/me', { displayName: 'Real' }, withCookie(cookie.pair, { 'x-csrf-token': csrfToken, 'sec-fetch-site': 'same-origin' }));
      expect(sameOrigin.status).toBe(200);
      expect(sameOrigin.body.displayName).toBe('Real');
      expect((await daicho.api.patch('/api/v1/auth/me', { displayName: 'Real 2' }, withCookie(cookie.pair, { 'x-csrf-token': csrfToken }))).status).toBe(200);
    });

    it('and refuses a sign-in another site starts (login CSRF)', async () => {
      const user = await daicho.createUserSession();
      const response = await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password, session: 'cookie' }, { 'sec-fetch-site': 'cross-site' });
      expect(response.status).toBe(403);
      expect(response.body.error.details).toEqual({ reason: 'crossSite' });
    });
  });

  it('needs no CSRF token for bearer requests, which a browser never sends by itself', async () => {
    const user = await daicho.createUserSession();
    const response = await daicho.api.patch('/api/v1/auth/me', { displayName: 'Script' }, { token: user.token, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(response.status).toBe(200);
  });

  it('keeps the kinds apart: a cookie value is no bearer token and a bearer token no cookie', async () => {
    const { cookie, user } = await cookieSession();
    expect((await daicho.api.get('/api/v1/auth/me', { token: cookie.value })).status).toBe(401);
    expect((await daicho.api.get('/api/v1/auth/me', withCookie(`daicho_session=${user.token}`))).status).toBe(401);
  });

  it('gives every sign-in a new session and ends the one the browser came with (fixation)', async () => {
    const { cookie, user, csrfToken } = await cookieSession();
    const again = await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password, session: 'cookie' }, { cookie: cookie.pair });
    const fresh = sessionCookieOf(again)!;
    expect(fresh.value).not.toBe(cookie.value);
    expect(again.body.csrfToken).not.toBe(csrfToken);
    expect((await daicho.api.get('/api/v1/auth/me', withCookie(cookie.pair))).status).toBe(401);
    expect((await daicho.api.get('/api/v1/auth/me', withCookie(fresh.pair))).status).toBe(200);
  });

  it('signs out: the session ends and the cookie is cleared', async () => {
    const { cookie, csrfToken } = await cookieSession();
    const response = await daicho.api.post('/api/v1/auth/logout', undefined, withCookie(cookie.pair, { 'x-csrf-token': csrfToken }));
    expect(response.status).toBe(204);
    expect(sessionCookieOf(response)!.line).toMatch(/^daicho_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict$/);
    expect((await daicho.api.get('/api/v1/auth/me', withCookie(cookie.pair))).status).toBe(401);
  });

  it('ends sessions after the idle time and at the absolute expiry', async () => {
    const idle = await cookieSession();
    await queryDatabase(daicho.testDatabase.url, `update daicho.session set last_seen_at = now() - interval '721 minutes' where token_hash = encode(sha256($1::bytea), 'hex')`, [idle.cookie.value]);
    expect((await daicho.api.get('/api/v1/auth/me', withCookie(idle.cookie.pair))).status).toBe(401);
    const old = await cookieSession();
    await queryDatabase(daicho.testDatabase.url, `update daicho.session set expires_at = now() - interval '1 second' where token_hash = encode(sha256($1::bytea), 'hex')`, [old.cookie.value]);
    expect((await daicho.api.get('/api/v1/auth/me', withCookie(old.cookie.pair))).status).toBe(401);
    const fresh = await cookieSession();
    await queryDatabase(daicho.testDatabase.url, `update daicho.session set last_seen_at = now() - interval '719 minutes' where token_hash = encode(sha256($1::bytea), 'hex')`, [fresh.cookie.value]);
    expect((await daicho.api.get('/api/v1/auth/me', withCookie(fresh.cookie.pair))).status).toBe(200);
  });

  it('logs out everywhere: every session of the user ends at once on this node, and others keep working', async () => {
    const { cookie, csrfToken, user } = await cookieSession();
    const second = (await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password })).body.token as string;
    const bystander = await daicho.createUserSession();
    // Warm this node's cache with every session first.
    for (const token of [user.token, second, bystander.token]) expect((await daicho.api.get('/api/v1/auth/me', { token })).status).toBe(200);
    const response = await daicho.api.post('/api/v1/auth/logout-all', undefined, withCookie(cookie.pair, { 'x-csrf-token': csrfToken }));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ revokedSessions: 3 });
    expect(sessionCookieOf(response)!.line).toContain('Max-Age=0');
    for (const token of [user.token, second]) expect((await daicho.api.get('/api/v1/auth/me', { token })).status).toBe(401);
    expect((await daicho.api.get('/api/v1/auth/me', withCookie(cookie.pair))).status).toBe(401);
    expect((await daicho.api.get('/api/v1/auth/me', { token: bystander.token })).status).toBe(200);
  });

  it('logs out everywhere on other nodes within their session cache time', async () => {
    const config = loadConfig({ DATABASE_URL: daicho.testDatabase.url, DAICHO_SECRET_KEY: 'ab'.repeat(32), DAICHO_SESSION_CACHE_MS: '1500', DAICHO_SEED_DEMO: 'false' });
    const other = await bootDaicho(config, createLogger({ level: 'silent' }));
    const server = http.createServer(other.app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/auth/me`;
      const user = await daicho.createUserSession();
      const onOther = async () => (await fetch(url, { headers: { authorization: `Bearer ${user.token}` } })).status;
      expect(await onOther()).toBe(200);
      expect((await daicho.api.post('/api/v1/auth/logout-all', undefined, { token: user.token })).status).toBe(200);
      // The other node may still trust its cached copy for up to 1.5 s, never longer.
      const started = Date.now();
      let status = await onOther();
      while (status === 200 && Date.now() - started < 3000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = await onOther();
      }
      expect(status).toBe(401);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await other.shutdown();
    }
  });

  it('ends the sessions of a user an admin disables, at once, and refuses their sign-in', async () => {
    const { cookie, user } = await cookieSession();
    expect((await daicho.api.get('/api/v1/auth/me', { token: user.token })).status).toBe(200);
    expect((await daicho.api.patch(`/api/v1/users/${user.userId}`, { status: 'disabled' })).status).toBe(200);
    expect((await daicho.api.get('/api/v1/auth/me', { token: user.token })).status).toBe(401);
    expect((await daicho.api.get('/api/v1/auth/me', withCookie(cookie.pair))).status).toBe(401);
    const live = await queryDatabase<{ count: string }>(daicho.testDatabase.url, 'select count(*) from daicho.session where user_id = $1 and revoked_at is null', [user.userId]);
    expect(live[0]!.count).toBe('0');
    expect((await signIn(daicho, { workspace: 'demo', email: user.email, password: user.password })).status).toBe(401);
  });

  it('never logs a session token or cookie', async () => {
    const { cookie, csrfToken } = await cookieSession();
    await daicho.api.get('/api/v1/auth/me', withCookie(cookie.pair));
    const lines = JSON.stringify(daicho.logLines());
    expect(lines).not.toContain(cookie.value);
    expect(lines).not.toContain(csrfToken);
  });
});
