import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log/index.ts';

/**
 * The install's secret key: DAICHO_SECRET_KEY when set, otherwise a random key kept in
 * `<dataDir>/secret-key.json` (mode 0600), made on first use, like the embedded database's
 * password. Two processes starting together agree: the file is linked into place exclusively
 * and the loser reads the winner's key. The key is never logged.
 */
export async function resolveSecretKey(config: Config, logger: Logger): Promise<Buffer> {
  if (config.secretKey) return config.secretKey.reveal();
  const file = path.join(config.dataDir, 'secret-key.json');
  await fs.mkdir(config.dataDir, { recursive: true, mode: 0o755 });
  // Written whole to a temporary file, then linked into place: a reader never sees half a key.
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await fs.writeFile(temporary, `${JSON.stringify({ key: randomBytes(32).toString('base64url') })}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await fs.link(temporary, file);
    logger.info({ file }, 'generated the secret key');
    if (config.databaseUrl !== undefined) {
      logger.warn('DAICHO_SECRET_KEY is not set; using a key generated in the data folder. Set the same DAICHO_SECRET_KEY on every node that shares the database');
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await fs.rm(temporary, { force: true });
  }
  const stored = JSON.parse(await fs.readFile(file, 'utf8')) as { key?: unknown };
  const key = typeof stored.key === 'string' ? Buffer.from(stored.key, 'base64url') : undefined;
  if (key?.length !== 32) throw new Error(`${file} does not hold a 32-byte key; remove it to generate a new one (TOTP set-ups made with the old key stop working)`);
  return key;
}
