import { defineConfig } from 'vitest/config';

// One run, several projects: unit tests beside the code, cross-package suites under test/.
// isolated-vm (plugins) needs --no-node-snapshot in every Node worker.
const nodeWorkers = { execArgv: ['--no-node-snapshot'] };

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'sdk', root: './sdk', environment: 'node', include: ['src/**/*.test.ts'] } },
      {
        test: {
          name: 'core',
          root: './core',
          environment: 'node',
          include: ['src/**/*.test.ts'],
          globalSetup: ['../test/support/database.global-setup.ts'],
          ...nodeWorkers,
        },
      },
      { test: { name: 'tools', root: './tools', environment: 'node', include: ['**/*.test.ts'] } },
      './admin-ui/vitest.config.ts',
      {
        test: {
          name: 'api',
          root: './test',
          environment: 'node',
          include: ['api/**/*.test.ts', 'docs/**/*.test.ts', 'regressions/**/*.test.ts'],
          globalSetup: ['./support/database.global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          ...nodeWorkers,
        },
      },
      {
        test: {
          name: 'browser',
          root: './test',
          environment: 'node',
          include: ['browser/**/*.test.ts', 'e2e/**/*.test.ts'],
          globalSetup: ['./support/database.global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          ...nodeWorkers,
        },
      },
    ],
  },
});
