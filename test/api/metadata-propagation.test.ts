import { startTestDaicho } from '@daicho/core/testing';
import { bootDaicho, createLogger, loadConfig } from '@daicho/core';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, inject, it } from 'vitest';

describe('definition changes across nodes', () => {
  it('reach a second node within a second (LISTEN/NOTIFY)', async () => {
    const first = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    // A second node on the same database, as a separate Daichō instance would be.
    const second = await bootDaicho(loadConfig({ DATABASE_URL: first.testDatabase.url }), createLogger({ level: 'silent' }));
    const server = http.createServer(second.app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const secondUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const headers = { authorization: `Bearer ${first.adminToken}`, 'content-type': 'application/json' };
      const definition = { name: 'ticket', labels: { en: 'Ticket' }, fields: [{ name: 'subject', type: 'text', labels: { en: 'Subject' } }] };
      // The second node loads (and caches) the workspace before the change.
      expect((await fetch(`${secondUrl}/api/v1/records/ticket`, { headers })).status).toBe(404);
      expect((await first.api.post('/api/v1/meta/objects', definition)).status).toBe(201);
      const started = Date.now();
      let status = 404;
      while (status !== 200 && Date.now() - started < 3000) {
        status = (await fetch(`${secondUrl}/api/v1/records/ticket`, { headers })).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await second.shutdown();
      await first.close();
    }
  });
});
