// The embedded PostgreSQL cluster used when no DATABASE_URL is configured.
export { findRunningEmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.ts';
export type { EmbeddedPostgres, StartEmbeddedPostgresOptions } from './embedded-postgres.ts';
