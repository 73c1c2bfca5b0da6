// @daicho/core/testing: the test kit. Start Daichō in process on a database of its own.
import './provided-context.ts';

export { createTestDatabase } from './test-database.ts';
export type { TestDatabase } from './test-database.ts';
export { startEmbeddedPostgres } from '../db/index.ts';
export type { EmbeddedPostgres } from '../db/index.ts';
export { startTestPostgresServer } from './test-postgres.ts';
export type { TestPostgresServer } from './test-postgres.ts';
export { startTestDaicho } from './test-server.ts';
export type { ApiRequestOptions, ApiResponse, CreateUserSessionOptions, StartTestDaichoOptions, TestApi, TestDaicho } from './test-server.ts';
export { createSqlCompiler } from './sql-compiler.ts';
export { startTestSmtpServer } from './test-smtp-server.ts';
export type { ReceivedMail, TestSmtpServer } from './test-smtp-server.ts';
