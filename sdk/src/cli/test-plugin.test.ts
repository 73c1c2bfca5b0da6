import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.ts';
import { repoDir } from './cli-test-support.ts';
import { noPluginApiExitCode, testPlugin } from './test-plugin.ts';

// End to end: a real Daichō process from the example's @daicho/core devDependency, on a fresh
// database (DAICHO_TEST_DATABASE_URL's server, else embedded PostgreSQL), the package installed
// signed, and the example's own node:test files run against it.
describe('daicho-plugin test', () => {
  const examples: Array<[string, string, number]> = [
    ['hello-plugin', 'acme.hello', 2],
    ['webhook-plugin', 'acme.webhook', 1],
  ];
  for (const [example, id, passed] of examples) {
    it(`installs the ${example} example into a real server and passes its tests`, async (context) => {
      const lines: string[] = [];
      let result;
      try {
        result = await testPlugin(path.join(repoDir, 'examples', example), { env: process.env, log: (line) => lines.push(line), stdio: 'pipe' });
      } catch (error) {
        if (error instanceof CliError && error.exitCode === noPluginApiExitCode) {
          // The install route (core/src/plugins) lands separately; until then there is nothing to install into.
          context.skip(`the server has no plugin API yet: ${error.message}`);
        }
        throw error;
      }
      expect(lines[0]).toMatch(new RegExp(`^packed ${id.replace('.', '\\.')}-0\\.1\\.0\\.tgz \\(sha256 [0-9a-f]{64}\\)$`, 'u'));
      expect(result.output).toMatch(new RegExp(`^(ℹ|#) pass ${passed}$`, 'mu'));
      expect(result.exitCode).toBe(0);
    }, 240_000);
  }
});
