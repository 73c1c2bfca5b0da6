import { describe, expect, inject, it } from 'vitest';
import { UserSchema, verifyPassword } from '../auth/index.ts';
import { loadConfig } from '../config/index.ts';
import { createLogger } from '../log/index.ts';
import { createTestDatabase } from '../testing/index.ts';
import { WorkspaceSchema } from '../workspaces/index.ts';
import { bootDaicho } from './index.ts';

const logger = createLogger({ level: 'silent' });

describe('bootDaicho', () => {
  it('seeds the demo workspace and its admin on first start only, keeping data across restarts', async () => {
    const testDatabase = await createTestDatabase(inject('databaseUrl'));
    try {
      const config = loadConfig({ DATABASE_URL: testDatabase.url });
      const first = await bootDaicho(config, logger);
      expect(first.firstStart).toMatchObject({ workspaceSlug: 'demo', adminEmail: 'admin@example.com' });
      const password = first.firstStart!.adminPassword;
      await first.shutdown();

      const second = await bootDaicho(config, logger);
      expect(second.firstStart).toBeUndefined();
      const em = second.database.em();
      expect(await em.count(WorkspaceSchema, {})).toBe(1);
      const admin = await em.findOneOrFail(UserSchema, { email: 'admin@example.com' }, { populate: ['passwordHash'] });
      expect(admin.isAdmin).toBe(true);
      expect(admin.passwordHash).toMatch(/^\$argon2id\$/);
      expect(await verifyPassword(password, admin.passwordHash!)).toBe(true);
      await second.shutdown();
    } finally {
      await testDatabase.drop();
    }
  });

  it('creates one demo workspace when two nodes start together', async () => {
    const testDatabase = await createTestDatabase(inject('databaseUrl'));
    try {
      const config = loadConfig({ DATABASE_URL: testDatabase.url });
      const nodes = await Promise.all([bootDaicho(config, logger), bootDaicho(config, logger)]);
      expect(nodes.filter((node) => node.firstStart !== undefined)).toHaveLength(1);
      expect(await nodes[0]!.database.em().count(WorkspaceSchema, {})).toBe(1);
      await Promise.all(nodes.map((node) => node.shutdown()));
    } finally {
      await testDatabase.drop();
    }
  });

  it('does not seed when DAICHO_SEED_DEMO is false', async () => {
    const testDatabase = await createTestDatabase(inject('databaseUrl'));
    try {
      const booted = await bootDaicho(loadConfig({ DATABASE_URL: testDatabase.url, DAICHO_SEED_DEMO: 'false' }), logger);
      expect(booted.firstStart).toBeUndefined();
      expect(await booted.database.em().count(WorkspaceSchema, {})).toBe(0);
      await booted.shutdown();
    } finally {
      await testDatabase.drop();
    }
  });
});
