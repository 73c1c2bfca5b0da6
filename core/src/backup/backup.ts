import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import pg from 'pg';
import tar from 'tar-stream';
import { platformVersion } from '@daicho/sdk';
import { PLATFORM_SCHEMA } from '../db/index.ts';
import { quote, readSchemaDdl, type SchemaDdl } from './schema-ddl.ts';

/** Bumped when the archive layout changes; restore refuses formats it does not know. */
export const BACKUP_FORMAT = 1;

/** What the first entry of an archive says; everything restore needs before the data. */
export interface BackupHeader {
  format: number;
  platformVersion: string;
  createdAt: string;
  /** Platform migrations applied in the backed-up database, in order. */
  migrations: string[];
  /** Platform tables in load order (parents before the tables that reference them). */
  platformTables: string[];
  /** Values of the platform tables' sequences (identity columns, counters), set after the data. */
  platformSequences: Array<{ name: string; lastValue: string | null; isCalled: boolean }>;
  workspaceSchemas: SchemaDdl[];
  /** The install's generated secret key, when it lives in the data folder (see the operations guide). */
  secretKey?: string;
}

export interface BackupFooter {
  rows: Record<string, number>;
}

export interface BackupSummary {
  tables: number;
  rows: number;
  bytes: number;
  workspaces: number;
}

const HEADER = 'daicho-backup.json';
const FOOTER = 'rows.json';
/** Rows of a table go into entries of about this many bytes: bounded memory, any table size. */
const CHUNK_BYTES = 8 * 1024 * 1024;
const FETCH_ROWS = 2000;

const qualified = (schema: string, table: string) => `${quote(schema)}.${quote(table)}`;

/**
 * Writes a consistent backup of the platform tables and every workspace schema to `file` (a
 * gzipped tar): one snapshot (a repeatable-read, read-only transaction) for everything, so the
 * backup is what a single instant held while the install kept serving. Rows are kept as PostgreSQL
 * renders them in JSON (`row_to_json`) and read back by PostgreSQL (`json_populate_recordset`), so
 * every type round-trips exactly, on any server version. Job queues (pg-boss) are not included:
 * workflow runs are, and a restored install resumes them.
 */
export async function createBackup(options: { url: string; file: string; secretKey?: string }): Promise<BackupSummary> {
  const client = new pg.Client({ connectionString: options.url, application_name: 'daicho-backup' });
  await client.connect();
  const pack = tar.pack();
  const written = pipeline(pack, createGzip(), createWriteStream(options.file, { mode: 0o600 }));
  const summary: BackupSummary = { tables: 0, rows: 0, bytes: 0, workspaces: 0 };
  try {
    await client.query('begin isolation level repeatable read, read only');
    const migrations = (await client.query<{ name: string }>(`select name from ${quote(PLATFORM_SCHEMA)}.migrations order by id`)).rows.map((row) => row.name);
    const platformTables = await platformTablesInLoadOrder(client);
    const platformSequences = (await client.query<{ name: string; last_value: string | null }>(
      `select sequencename as name, last_value::text as last_value from pg_sequences where schemaname = $1 order by sequencename`,
      [PLATFORM_SCHEMA],
    )).rows.map((row) => ({ name: row.name, lastValue: row.last_value, isCalled: row.last_value !== null }));
    const schemas = (await client.query<{ name: string }>(`select nspname as name from pg_namespace where nspname like 'ws\\_%' order by nspname`)).rows.map((row) => row.name);
    const workspaceSchemas: SchemaDdl[] = [];
    for (const schema of schemas) workspaceSchemas.push(await readSchemaDdl(client, schema));
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      platformVersion,
      createdAt: new Date().toISOString(),
      migrations,
      platformTables,
      platformSequences,
      workspaceSchemas,
      ...(options.secretKey ? { secretKey: options.secretKey } : {}),
    };
    await addEntry(pack, HEADER, Buffer.from(JSON.stringify(header, null, 2)));

    const rows: Record<string, number> = {};
    const tables: Array<[string, string]> = [
      ...platformTables.map((table): [string, string] => [PLATFORM_SCHEMA, table]),
      ...workspaceSchemas.flatMap((ddl) => tablesOf(ddl).map((table): [string, string] => [ddl.schema, table])),
    ];
    for (const [schema, table] of tables) {
      const count = await copyTable(client, pack, schema, table, (bytes) => (summary.bytes += bytes));
      rows[`${schema}.${table}`] = count;
      summary.rows += count;
      summary.tables += 1;
    }
    await addEntry(pack, FOOTER, Buffer.from(JSON.stringify({ rows } satisfies BackupFooter, null, 2)));
    await client.query('commit');
    summary.workspaces = workspaceSchemas.length;
    pack.finalize();
    await written;
    return summary;
  } catch (error) {
    pack.destroy(error as Error);
    await written.catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** Restores `file` into an empty database: migrations up to the backup's, the data, then the remaining migrations. */
export async function restoreBackup(options: {
  url: string;
  file: string;
  appRole: string;
  /** Runs the platform migrations, up to `to` when given (the database's own migrate). */
  migrate: (to?: string) => Promise<unknown>;
}): Promise<{ header: BackupHeader; rows: number }> {
  const client = new pg.Client({ connectionString: options.url, application_name: 'daicho-restore' });
  await client.connect();
  try {
    const existing = await client.query(`select 1 from pg_namespace where nspname = $1 or nspname like 'ws\\_%' limit 1`, [PLATFORM_SCHEMA]);
    if (existing.rows.length > 0) throw new Error('the target database is not empty (it has Daichō tables); restore into a new, empty database');

    let header: BackupHeader | undefined;
    let footer: BackupFooter | undefined;
    const loaded = new Map<string, number>();
    const columnsOf = new Map<string, string[]>();
    let workspacesCreated = false;

    const createWorkspaceSchemas = async () => {
      if (workspacesCreated) return;
      workspacesCreated = true;
      // Workspace tables belong to the application role, as when the platform makes them.
      await client.query(`set role ${quote(options.appRole)}`);
      for (const ddl of header!.workspaceSchemas) {
        await client.query(`create schema ${quote(ddl.schema)}`);
        for (const statement of ddl.preData) await client.query(statement);
      }
      await client.query('reset role');
    };

    const extract = tar.extract();
    const reading = pipeline(createReadStream(options.file), createGunzip(), extract);
    // Its failure (not gzip, cut short) also ends the loop below; it is reported once, from there.
    reading.catch(() => undefined);
    for await (const entry of extract) {
      const name = entry.header.name;
      const body = await readEntry(entry as unknown as AsyncIterable<Buffer>);
      if (name === HEADER) {
        header = JSON.parse(body) as BackupHeader;
        if (header.format !== BACKUP_FORMAT) throw new Error(`backup format ${header.format} is not one this version reads (${BACKUP_FORMAT})`);
        const last = header.migrations.at(-1);
        await options.migrate(last);
        await client.query('begin');
        continue;
      }
      if (!header) throw new Error(`not a Daichō backup: it does not start with ${HEADER}`);
      if (name === FOOTER) {
        footer = JSON.parse(body) as BackupFooter;
        continue;
      }
      const match = /^data\/([^/]+)\/([^/]+)\/\d+\.jsonl$/.exec(name);
      if (!match) throw new Error(`unexpected entry ${name} in the backup`);
      const [, schema, table] = match as unknown as [string, string, string];
      if (schema !== PLATFORM_SCHEMA) await createWorkspaceSchemas();
      const key = `${schema}.${table}`;
      let columns = columnsOf.get(key);
      if (!columns) {
        columns = (await client.query<{ name: string }>(
          `select attname as name from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped and attgenerated = '' order by attnum`,
          [qualified(schema, table)],
        )).rows.map((row) => row.name);
        columnsOf.set(key, columns);
      }
      const list = columns.map(quote).join(', ');
      const lines = body.split('\n').filter((line) => line.length > 0);
      await client.query(
        `insert into ${qualified(schema, table)} (${list}) overriding system value select ${list} from json_populate_recordset(null::${qualified(schema, table)}, $1::json)`,
        [`[${lines.join(',')}]`],
      );
      loaded.set(key, (loaded.get(key) ?? 0) + lines.length);
    }
    await reading;
    if (!header || !footer) throw new Error('the backup is incomplete (its last entry is missing)');
    await createWorkspaceSchemas();

    for (const sequence of header.platformSequences) {
      if (sequence.lastValue !== null) await client.query('select setval($1::regclass, $2::bigint, $3)', [qualified(PLATFORM_SCHEMA, sequence.name), sequence.lastValue, sequence.isCalled]);
    }
    await client.query(`set role ${quote(options.appRole)}`);
    for (const ddl of header.workspaceSchemas) {
      for (const statement of ddl.postData) await client.query(statement);
      for (const sequence of ddl.sequences) {
        if (sequence.lastValue !== null) await client.query('select setval($1::regclass, $2::bigint, $3)', [qualified(ddl.schema, sequence.name), sequence.lastValue, sequence.isCalled]);
      }
    }
    await client.query('reset role');
    for (const [table, expected] of Object.entries(footer.rows)) {
      if ((loaded.get(table) ?? 0) !== expected) throw new Error(`${table}: the backup lists ${expected} rows but holds ${loaded.get(table) ?? 0}`);
    }
    await client.query('commit');
    await options.migrate();
    return { header, rows: [...loaded.values()].reduce((sum, count) => sum + count, 0) };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

function tablesOf(ddl: SchemaDdl): string[] {
  return ddl.preData.flatMap((statement) => {
    const match = /^create table "(?:[^"]|"")+"\."((?:[^"]|"")+)"/.exec(statement);
    return match ? [match[1]!.replaceAll('""', '"')] : [];
  });
}

/** Platform tables ordered so that a table comes after those its foreign keys point to. */
async function platformTablesInLoadOrder(client: pg.ClientBase): Promise<string[]> {
  const tables = (await client.query<{ name: string }>(
    `select relname as name from pg_class where relnamespace = $1::regnamespace and relkind = 'r' and relname <> 'migrations' order by relname`,
    [PLATFORM_SCHEMA],
  )).rows.map((row) => row.name);
  const references = (await client.query<{ child: string; parent: string }>(
    `select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent from pg_constraint c
      where c.contype = 'f' and c.connamespace = $1::regnamespace and c.conrelid <> c.confrelid`,
    [PLATFORM_SCHEMA],
  )).rows;
  const bare = (name: string) => name.replace(/^"?daicho"?\./, '').replaceAll('"', '');
  const parents = new Map<string, Set<string>>(tables.map((table) => [table, new Set()]));
  for (const reference of references) parents.get(bare(reference.child))?.add(bare(reference.parent));
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter((table) => !placed.has(table) && [...parents.get(table)!].every((parent) => placed.has(parent) || !parents.has(parent)));
    if (ready.length === 0) throw new Error(`platform tables reference each other in a cycle: ${tables.filter((table) => !placed.has(table)).join(', ')}`);
    for (const table of ready) {
      placed.add(table);
      ordered.push(table);
    }
  }
  return ordered;
}

async function copyTable(client: pg.ClientBase, pack: tar.Pack, schema: string, table: string, onBytes: (bytes: number) => void): Promise<number> {
  const cursor = `backup_${Math.random().toString(36).slice(2)}`;
  await client.query(`declare ${cursor} no scroll cursor for select row_to_json(t)::text as row from only ${qualified(schema, table)} t`);
  let count = 0;
  let part = 0;
  let buffered: string[] = [];
  let bufferedBytes = 0;
  const flush = async () => {
    if (buffered.length === 0) return;
    const body = Buffer.from(`${buffered.join('\n')}\n`);
    part += 1;
    await addEntry(pack, `data/${schema}/${table}/${String(part).padStart(6, '0')}.jsonl`, body);
    onBytes(body.length);
    buffered = [];
    bufferedBytes = 0;
  };
  for (;;) {
    const batch = await client.query<{ row: string }>(`fetch ${FETCH_ROWS} from ${cursor}`);
    for (const { row } of batch.rows) {
      buffered.push(row);
      bufferedBytes += row.length;
      count += 1;
    }
    if (bufferedBytes >= CHUNK_BYTES) await flush();
    if (batch.rows.length < FETCH_ROWS) break;
  }
  await flush();
  await client.query(`close ${cursor}`);
  return count;
}

/** Resolves once the pack has taken the entry, which waits while gzip and the file lag behind (back-pressure). */
async function addEntry(pack: tar.Pack, name: string, body: Buffer): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    pack.entry({ name, size: body.length, mode: 0o600, mtime: new Date(0) }, body, (error) => (error ? reject(error) : resolve()));
  });
}

async function readEntry(entry: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of entry) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
