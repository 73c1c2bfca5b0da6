import { randomUUID } from 'node:crypto';
import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codeOf, signIn } from '../support/auth.ts';
import { queryDatabase } from '../support/database-inspection.ts';

let addressCounter = 0;
/** A client address of its own for each test, passed through the trusted proxy (127.0.0.1). */
const freshAddress = () => `198.51.100.${(addressCounter += 1)}`;

/** Sends a sign-in exactly as given: path, raw body text, headers. */
async function rawSignIn(daicho: TestDaicho, path: string, body: string, address: string): Promise<{ status: number; body: { error?: { code: string; message: string } }; retryAfter: string | null }> {
  const response = await daicho.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body });
  return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string } }, retryAfter: response.headers.get('retry-after') };
}

describe('sign-in throttling and lockout', () => {
  let daicho: TestDaicho;

  beforeAll(async () => {
    daicho = await startTestDaicho({
      serverUrl: inject('databaseUrl'),
      env: {
        DAICHO_TRUSTED_PROXIES: '127.0.0.1',
        DAICHO_LOGIN_MAX_FAILURES: '3',
        DAICHO_LOGIN_MAX_FAILURES_PER_ADDRESS: '8',
        DAICHO_LOGIN_LOCK_SECONDS: '600',
        DAICHO_LOGIN_DELAY_MS: '0',
      },
    });
  });
  afterAll(async () => {
    await daicho?.close();
  });

  const newUser = () => daicho.createUserSession({ email: `lock-${randomUUID()}@example.com` });
  const attempt = (email: string, password: string, address: string, extra: Record<string, unknown> = {}) =>
    signIn(daicho, { workspace: 'demo', email, password, ...extra }, { 'x-forwarded-for': address });

  it('locks an account after the configured failures; then even the right password gets 429 with Retry-After', async () => {
    const user = await newUser();
    const address = freshAddress();
    const failures = [];
    for (let i = 0; i < 3; i += 1) failures.push(await attempt(user.email, 'wrong password!', address));
    expect(failures.map((response) => response.status)).toEqual([401, 401, 401]);
    const locked = await attempt(user.email, user.password, address);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(590);
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(600);
    expect(locked.body.error).toMatchObject({ code: 'RATE_LIMITED', message: 'Too many sign-in attempts; try again later' });
    // The lock is on the account, not the address: another address is refused too.
    expect((await attempt(user.email, user.password, freshAddress())).status).toBe(429);
    // When the lock has passed, the right password works and the count starts again.
    await queryDatabase(daicho.testDatabase.url, `update daicho.login_throttle set locked_until = now() - interval '1 second' where locked_until is not null`);
    expect((await attempt(user.email, user.password, freshAddress())).status).toBe(200);
  });

  it('answers a wrong password, an unknown e-mail, an unknown workspace and a disabled user alike', async () => {
    const user = await newUser();
    const disabled = await newUser();
    await daicho.api.patch(`/api/v1/users/${disabled.userId}`, { status: 'disabled' });
    const address = freshAddress();
    const bodies = [
      await attempt(user.email, 'wrong password!', address),
      await attempt(`nobody-${randomUUID()}@example.com`, 'wrong password!', address),
      await signIn(daicho, { workspace: 'no-such-workspace', email: user.email, password: user.password }, { 'x-forwarded-for': address }),
      await attempt(disabled.email, disabled.password, address),
    ];
    for (const response of bodies) {
      expect(response.status).toBe(401);
      expect(response.body.error.message).toBe('The workspace, e-mail or password is not correct');
      expect(response.headers.get('retry-after')).toBeNull();
    }
  });

  it('locks an unknown e-mail the same way, so a lock tells nothing about whether the account exists', async () => {
    const email = `ghost-${randomUUID()}@example.com`;
    const address = freshAddress();
    for (let i = 0; i < 3; i += 1) expect((await attempt(email, 'wrong password!', address)).status).toBe(401);
    expect((await attempt(email, 'wrong password!', address)).status).toBe(429);
  });

  // Each variant differs from the canonical request in one way; all must hit the same counter.
  const variants: Array<[string, (email: string, password: string) => { path: string; body: string }]> = [
    ['upper-case e-mail', (email, password) => ({ path: '/api/v1/auth/login', body: JSON.stringify({ workspace: 'demo', email: email.toUpperCase(), password }) })],
    ['e-mail with spaces around it', (email, password) => ({ path: '/api/v1/auth/login', body: JSON.stringify({ workspace: 'demo', email: `  ${email}\t`, password }) })],
    ['full-width e-mail', (email, password) => ({ path: '/api/v1/auth/login', body: JSON.stringify({ workspace: 'demo', email: toFullWidth(email), password }) })],
    ['upper-case, full-width workspace', (email, password) => ({ path: '/api/v1/auth/login', body: JSON.stringify({ workspace: 'ＤＥＭＯ', email, password }) })],
    ['trailing slash on the path', (email, password) => ({ path: '/api/v1/auth/login/', body: JSON.stringify({ workspace: 'demo', email, password }) })],
    ['upper-case path', (email, password) => ({ path: '/API/V1/AUTH/LOGIN', body: JSON.stringify({ workspace: 'demo', email, password }) })],
    ['query string', (email, password) => ({ path: '/api/v1/auth/login?retry=1&email=other@example.com', body: JSON.stringify({ workspace: 'demo', email, password }) })],
    ['other JSON key order and spacing', (email, password) => ({ path: '/api/v1/auth/login', body: `{ "password" : ${JSON.stringify(password)}, "email": ${JSON.stringify(email)},\n"workspace":"demo" }` })],
    ['escaped JSON characters', (email, password) => ({ path: '/api/v1/auth/login', body: JSON.stringify({ workspace: 'demo', email, password }).replace(/@/g, '\\u0040') })],
    ['a cookie session instead of a bearer one', (email, password) => ({ path: '/api/v1/auth/login', body: JSON.stringify({ workspace: 'demo', email, password, session: 'cookie' }) })],
  ];

  it.each(variants)('counts a failure sent with %s against the same account, and locks that variant too', async (_name, variant) => {
    const user = await newUser();
    const address = freshAddress();
    const canonical = JSON.stringify({ workspace: 'demo', email: user.email, password: 'wrong password!' });
    expect((await rawSignIn(daicho, '/api/v1/auth/login', canonical, address)).status).toBe(401);
    const failed = variant(user.email, 'wrong password!');
    expect((await rawSignIn(daicho, failed.path, failed.body, address)).status).toBe(401);
    expect((await rawSignIn(daicho, '/api/v1/auth/login', canonical, address)).status).toBe(401);
    // Three failures, one of them through the variant: the account is locked, for every variant.
    const right = variant(user.email, user.password);
    const locked = await rawSignIn(daicho, right.path, right.body, address);
    expect(locked.status).toBe(429);
    expect(locked.body.error?.code).toBe('RATE_LIMITED');
    expect(locked.retryAfter).toMatch(/^\d+$/);
    const canonicalRight = await rawSignIn(daicho, '/api/v1/auth/login', JSON.stringify({ workspace: 'demo', email: user.email, password: user.password }), address);
    expect(canonicalRight.status).toBe(429);
  });

  it('stores the counters in PostgreSQL under digests, never the e-mail address', async () => {
    const user = await newUser();
    await attempt(user.email, 'wrong password!', freshAddress());
    const rows = await queryDatabase<{ key: string }>(daicho.testDatabase.url, 'select key from daicho.login_throttle');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.key).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lets no more than the limit of concurrent guesses through, whichever node they reach', async () => {
    const user = await newUser();
    const address = freshAddress();
    const responses = await Promise.all(Array.from({ length: 12 }, () => attempt(user.email, 'wrong password!', address)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(9);
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
    expect((await attempt(user.email, user.password, freshAddress())).status).toBe(429);
  });

  it('starts the count again after a successful sign-in', async () => {
    const user = await newUser();
    const address = freshAddress();
    for (let round = 0; round < 3; round += 1) {
      expect((await attempt(user.email, 'wrong password!', address)).status).toBe(401);
      expect((await attempt(user.email, 'wrong password!', address)).status).toBe(401);
      expect((await attempt(user.email, user.password, address)).status).toBe(200);
    }
  });

  it('locks a client address that fails across many accounts, while other addresses still sign in', async () => {
    const address = freshAddress();
    const users = await Promise.all(Array.from({ length: 5 }, () => newUser()));
    // Eight failures spread over five accounts: no account reaches its limit of three.
    for (let i = 0; i < 8; i += 1) expect((await attempt(users[i % 5]!.email, 'wrong password!', address)).status).toBe(401);
    const fromAddress = await attempt(users[4]!.email, users[4]!.password, address);
    expect(fromAddress.status).toBe(429);
    expect(codeOf(fromAddress)).toBe('RATE_LIMITED');
    // IPv4 written as IPv4-mapped IPv6 is the same client.
    expect((await attempt(users[4]!.email, users[4]!.password, `::ffff:${address}`)).status).toBe(429);
    expect((await attempt(users[4]!.email, users[4]!.password, freshAddress())).status).toBe(200);
  });

  it('counts IPv6 clients per /64', async () => {
    const users = await Promise.all(Array.from({ length: 4 }, () => newUser()));
    for (let i = 0; i < 8; i += 1) {
      expect((await attempt(users[i % 4]!.email, 'wrong password!', `2001:db8:7:7::${(i + 1).toString(16)}`)).status).toBe(401);
    }
    expect((await attempt(users[0]!.email, users[0]!.password, '2001:db8:7:7:ffff::1')).status).toBe(429);
    expect((await attempt(users[0]!.email, users[0]!.password, '2001:db8:7:8::1')).status).toBe(200);
  });

  it('does not count refused requests that never reach a password check', async () => {
    const user = await newUser();
    const address = freshAddress();
    for (let i = 0; i < 5; i += 1) expect((await signIn(daicho, { workspace: 'demo', email: user.email }, { 'x-forwarded-for': address })).status).toBe(422);
    expect((await attempt(user.email, user.password, address)).status).toBe(200);
  });

  describe('with growing delays', () => {
    let slow: TestDaicho;
    beforeAll(async () => {
      slow = await startTestDaicho({ serverUrl: inject('databaseUrl'), env: { DAICHO_LOGIN_MAX_FAILURES: '5', DAICHO_LOGIN_DELAY_MS: '2000' } });
    });
    afterAll(async () => {
      await slow?.close();
    });

    it('makes the account wait twice as long after each failure, refusing earlier attempts with Retry-After', async () => {
      const user = await slow.createUserSession({ email: `slow-${randomUUID()}@example.com` });
      const waits: number[] = [];
      for (let failure = 1; failure <= 3; failure += 1) {
        expect((await signIn(slow, { workspace: 'demo', email: user.email, password: 'wrong password!' })).status).toBe(401);
        const early = await signIn(slow, { workspace: 'demo', email: user.email, password: user.password });
        expect(early.status).toBe(429);
        waits.push(Number(early.headers.get('retry-after')));
        // Skip the wait without sleeping: the delay is a time in the counter row.
        await queryDatabase(slow.testDatabase.url, 'update daicho.login_throttle set next_attempt_at = now() where next_attempt_at is not null');
      }
      expect(waits).toEqual([2, 4, 8]);
      expect((await signIn(slow, { workspace: 'demo', email: user.email, password: user.password })).status).toBe(200);
    });
  });
});

function toFullWidth(text: string): string {
  return [...text].map((char) => (char >= '!' && char <= '~' ? String.fromCharCode(char.charCodeAt(0) + 0xfee0) : char)).join('');
}
