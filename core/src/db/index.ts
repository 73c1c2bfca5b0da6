// Database plumbing: the MikroORM connection, platform migrations, the application role, the
// embedded PostgreSQL launcher and id generation. No domain knowledge lives here.
export { DatabaseSetupError, DEFAULT_APP_ROLE } from './app-role.ts';
export { DatabaseUnreachableError, openDatabase, PLATFORM_SCHEMA } from './database.ts';
export type { Database, OpenDatabaseOptions, PoolStats } from './database.ts';
export { findRunningEmbeddedPostgres, startEmbeddedPostgres } from './embedded/index.ts';
export type { EmbeddedPostgres, StartEmbeddedPostgresOptions } from './embedded/index.ts';
export { createNotificationListener, sendNotification } from './notification-listener.ts';
export type { NotificationListener } from './notification-listener.ts';
export { generateUuidV7 } from './uuid.ts';
