import type { ObjectDefinition } from '@daicho/sdk';
import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const contact: ObjectDefinition = {
  name: 'contact',
  labels: { en: 'Contact' },
  titleField: 'email',
  fields: [{ name: 'email', type: 'email', labels: { en: 'E-mail' } }],
};

describe('access log', () => {
  let daicho: TestDaicho;
  let adminId: string;

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    adminId = (await daicho.api.get('/api/v1/auth/me')).body.userId;
    expect((await daicho.api.post('/api/v1/meta/objects', contact)).status).toBe(201);
  });
  afterAll(async () => {
    await daicho?.close();
  });

  const requestLines = () => daicho.logLines().filter((line) => line.msg === 'request');

  it('writes one line per request: method, route template, status, duration, user and request id', async () => {
    const created = await daicho.api.post('/api/v1/records/contact', { email: 'hanako.yamada@example.jp' });
    const id = created.body.id as string;
    await daicho.api.get(`/api/v1/records/contact/${id}?fields=email&access_token=query-secret-1`, { headers: { 'x-request-id': 'access-log-1' } });
    const lines = requestLines().filter((line) => line.requestId === 'access-log-1');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, method: 'GET', route: '/api/v1/records/:object/:id', status: 200, userId: adminId, requestId: 'access-log-1' });
    expect(lines[0]!.ms).toEqual(expect.any(Number));
    expect(lines[0]).not.toHaveProperty('path');
    expect(JSON.stringify(lines[0])).not.toContain(id);
  });

  it('logs requests that fail authentication without a user, and unmatched paths without the path', async () => {
    await daicho.api.get('/api/v1/records/contact', { token: null, headers: { 'x-request-id': 'access-log-2' } });
    await daicho.api.get('/api/v1/no-such/hanako.yamada@example.jp', { headers: { 'x-request-id': 'access-log-3' } });
    const lines = requestLines();
    expect(lines.find((line) => line.requestId === 'access-log-2')).toMatchObject({ route: '/api/v1/records/:object', status: 401, userId: null });
    expect(lines.find((line) => line.requestId === 'access-log-3')).toMatchObject({ route: null, status: 404 });
  });

  it('keeps tokens, passwords and personal data out of the log, and every line one JSON line', async () => {
    const session = await daicho.createUserSession({ email: 'taro.suzuki@example.jp' });
    await daicho.api.get('/api/v1/records/contact?filter=%7B%22field%22%3A%22email%22%2C%22op%22%3A%22eq%22%2C%22value%22%3A%22hanako.yamada%40example.jp%22%7D', { token: session.token });
    await daicho.api.get('/api/v1/records/contact%0D%0A%7B%22forged%22%3Atrue%7D');
    await daicho.fetch('/api/v1/records/contact', { headers: { authorization: 'Bearer not-a-real-token-but-secret-2', 'x-request-id': 'bad id {"forged": true}' } });
    const text = JSON.stringify(daicho.logLines());
    for (const secret of [session.token, 'not-a-real-token-but-secret-2', 'query-secret-1', 'hanako.yamada', 'taro.suzuki']) expect(text).not.toContain(secret);
    for (const line of daicho.logLines()) expect(line).not.toHaveProperty('forged');
  });
});
