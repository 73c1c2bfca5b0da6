import { startTestPostgresServer } from '@daicho/core/testing';
import type { TestProject } from 'vitest/node';

/**
 * Tests use a real PostgreSQL: the server in DAICHO_TEST_DATABASE_URL when given, otherwise one
 * embedded cluster started once for the project's run. Each test file creates its own database.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestPostgresServer();
  project.provide('databaseUrl', server.url);
  return () => server.stop();
}
