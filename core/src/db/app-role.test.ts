import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../log/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/index.ts';
import { DatabaseSetupError, openDatabase } from './index.ts';

const logger = createLogger({ level: 'silent' });
const base = { entities: [], poolMax: 2, connectTimeoutMs: 2000, statementTimeoutMs: 5000, logger };

async function run(url: string, text: string, values: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** A login role of its own on the test server, owning a fresh database; dropped afterwards. */
async function ownerWithDatabase(attributes: string): Promise<{ url: string; owner: string; drop(): Promise<void> }> {
  const serverUrl = inject('databaseUrl');
  const owner = `daicho_t_owner_${randomBytes(4).toString('hex')}`;
  const database = `daicho_t_${randomBytes(4).toString('hex')}`;
  // A password too, for servers that ask for one (the embedded cluster does).
  const password = randomBytes(12).toString('hex');
  await run(serverUrl, `create role ${owner} login password '${password}' ${attributes}`);
  await run(serverUrl, `create database ${database} owner ${owner}`);
  const url = new URL(serverUrl);
  url.username = owner;
  url.password = password;
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    owner,
    async drop() {
      await run(serverUrl, `drop database if exists ${database} with (force)`);
      await run(serverUrl, `drop role if exists ${owner}`);
    },
  };
}

describe('the application role', () => {
  let testDatabase: TestDatabase;
  beforeAll(async () => {
    testDatabase = await createTestDatabase(inject('databaseUrl'));
  });
  afterAll(async () => {
    await testDatabase.drop();
  });

  it('is what the pool acts as: no superuser, and no COPY … TO PROGRAM', async () => {
    const database = await openDatabase({ ...base, url: testDatabase.url });
    try {
      await database.migrate();
      const connection = database.orm.em.getConnection();
      const [me] = await connection.execute<Array<{ user: string; super: boolean }>>(
        'select current_user as user, rolsuper as super from pg_roles where rolname = current_user',
      );
      expect(me).toEqual({ user: 'daicho_app', super: false });
      await expect(connection.execute(`copy (select 1) to program 'true'`)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await database.close();
    }
  });

  it('passes workspace schemas made by an earlier version (as the owner) to the application role', async () => {
    await run(testDatabase.url, `create schema ws_0123456789abcdef0123456789abcdef;
      create table ws_0123456789abcdef0123456789abcdef.obj_thing (id uuid primary key, n bigint generated always as identity);
      create sequence ws_0123456789abcdef0123456789abcdef.seq_thing_code`);
    const database = await openDatabase({ ...base, url: testDatabase.url });
    try {
      await database.migrate();
      const owners = await run(testDatabase.url, `select c.relname as name, pg_get_userbyid(c.relowner) as owner from pg_class c
        join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'ws_0123456789abcdef0123456789abcdef' and c.relkind in ('r', 'S') order by 1`);
      expect(owners).toEqual([
        { name: 'obj_thing', owner: 'daicho_app' },
        { name: 'obj_thing_n_seq', owner: 'daicho_app' },
        { name: 'seq_thing_code', owner: 'daicho_app' },
      ]);
      const [schema] = await run(testDatabase.url, `select pg_get_userbyid(nspowner) as owner from pg_namespace where nspname = 'ws_0123456789abcdef0123456789abcdef'`);
      expect(schema).toEqual({ owner: 'daicho_app' });
    } finally {
      await database.close();
    }
  });

  it('refuses to start, in one line saying what to create, when the owner cannot create roles', async () => {
    const setup = await ownerWithDatabase('nocreaterole');
    try {
      const role = `daicho_t_app_${randomBytes(4).toString('hex')}`;
      const database = await openDatabase({ ...base, url: setup.url, appRole: role });
      try {
        const error = await database.migrate().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(DatabaseSetupError);
        expect((error as Error).message).not.toContain('\n');
        expect((error as Error).message).toBe(
          `the database user "${setup.owner}" cannot create roles; as a superuser run once: CREATE ROLE "${role}" NOLOGIN; GRANT "${role}" TO "${setup.owner}"; (or set DAICHO_DATABASE_APP_ROLE to an existing role that "${setup.owner}" is a member of)`,
        );
      } finally {
        await database.close();
      }
    } finally {
      await setup.drop();
    }
  });

  it('works for an owner that may create roles without being a superuser', async () => {
    const setup = await ownerWithDatabase('createrole');
    const role = `daicho_t_app_${randomBytes(4).toString('hex')}`;
    try {
      const database = await openDatabase({ ...base, url: setup.url, appRole: role });
      try {
        await database.migrate();
        await database.checkReady();
        const [me] = await database.orm.em.getConnection().execute<Array<{ user: string }>>('select current_user as user');
        expect(me?.user).toBe(role);
      } finally {
        await database.close();
      }
    } finally {
      await setup.drop();
      await run(inject('databaseUrl'), `drop role if exists ${role}`);
    }
  });
});
