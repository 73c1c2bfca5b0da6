import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.ts';
import { createLogger } from '../log/index.ts';
import { resolveSecretKey } from './secret-key.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({ write: (chunk: Buffer, _encoding, callback) => (lines.push(chunk.toString()), callback()) });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

describe('resolveSecretKey', () => {
  it('uses DAICHO_SECRET_KEY when set, writing nothing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'daicho-key-'));
    dirs.push(dir);
    const key = await resolveSecretKey(loadConfig({ DAICHO_SECRET_KEY: '11'.repeat(32), DAICHO_DATA_DIR: dir }), createLogger({ level: 'silent' }));
    expect(key.toString('hex')).toBe('11'.repeat(32));
    await expect(stat(path.join(dir, 'secret-key.json'))).rejects.toThrow();
  });

  it('otherwise generates one key in the data folder, readable by the owner only, kept across starts and agreed by concurrent starts', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'daicho-key-'));
    dirs.push(dir);
    const config = loadConfig({ DAICHO_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: 'postgres://db/daicho' });
    const { logger, lines } = capturingLogger();
    const keys = await Promise.all(Array.from({ length: 5 }, () => resolveSecretKey(config, logger)));
    expect(keys[0]).toHaveLength(32);
    for (const key of keys) expect(key.equals(keys[0]!)).toBe(true);
    expect((await resolveSecretKey(config, logger)).equals(keys[0]!)).toBe(true);
    const file = path.join(dir, 'data', 'secret-key.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8')).key).toBe(keys[0]!.toString('base64url'));
    const logged = lines.join('');
    expect(logged).toContain('Set the same DAICHO_SECRET_KEY on every node');
    expect(logged).not.toContain(keys[0]!.toString('base64url'));
    expect(logged).not.toContain(keys[0]!.toString('hex'));
  });
});
