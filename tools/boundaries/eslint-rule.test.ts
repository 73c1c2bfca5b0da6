import path from 'node:path';
import { ESLint, RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { boundariesRule, defaultRepoRoot } from './eslint-rule.ts';

RuleTester.describe = describe;
RuleTester.it = it;

const ruleTester = new RuleTester({
  languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
});

/** An absolute file name inside this repository; the file need not exist. */
const at = (relative: string): string => path.join(defaultRepoRoot, relative);

ruleTester.run('daicho/boundaries', boundariesRule, {
  valid: [
    { filename: at('core/src/http/app.ts'), code: "import { errors } from '../errors/index.ts';" },
    { filename: at('core/src/http/app.ts'), code: "import Koa from 'koa';\nimport type { ErrorBody } from '@daicho/sdk';" },
    {
      filename: at('core/src/records/records.service.ts'),
      code: "import type { Workspace } from '../workspaces/index.ts';\nexport * from './record-hooks.ts';",
    },
    { filename: at('core/src/plugins/host.ts'), code: "import { registerRecordHook } from '../records/index.ts';" },
    { filename: at('core/src/runtime/boot.ts'), code: "const api = await import('../api/index.ts');" },
    { filename: at('core/src/db/database.test.ts'), code: "import { createTestDatabase } from '../testing/index.ts';" },
    {
      filename: at('admin-ui/src/app.tsx'),
      code: "import type { ErrorBody } from '@daicho/sdk';\nexport const App = () => <div>ok</div>;",
    },
    { filename: at('plugins/sales/src/index.ts'), code: "import { definePlugin } from '@daicho/sdk';" },
    { filename: at('test/api/records.test.ts'), code: "import { startTestServer } from '@daicho/core/testing';" },
    // Template literals and require() with a computed argument are not specifiers we can judge.
    { filename: at('core/src/records/x.ts'), code: 'const name = "plugins";\nawait import(`../${name}/index.ts`);' },
    // Files outside the repository are not judged.
    { filename: path.join(path.parse(defaultRepoRoot).root, 'elsewhere', 'x.ts'), code: "import '@daicho/core';" },
    // The root can be set explicitly.
    {
      filename: '/virtual/repo/core/src/api/records.routes.ts',
      code: "import { createRouter } from '../http/index.ts';",
      options: [{ root: '/virtual/repo' }],
    },
  ],
  invalid: [
    {
      name: 'admin-ui never imports core',
      filename: at('admin-ui/src/x.ts'),
      code: "import { bootDaicho } from '@daicho/core';",
      errors: [{ messageId: 'package-direction', line: 1, column: 28 }],
    },
    {
      name: 'http imports no domain',
      filename: at('core/src/http/x.ts'),
      code: "import { createRecord } from '../records/index.ts';",
      errors: [{ message: /^core-layering: core\/src\/http\/x\.ts imports '\.\.\/records\/index\.ts'/ }],
    },
    {
      name: 'no domain imports the plugin host',
      filename: at('core/src/records/x.ts'),
      code: "import { installPlugin } from '../plugins/index.ts';",
      errors: [{ messageId: 'core-no-domain-imports-plugins' }],
    },
    {
      name: 'another folder only through its index.ts',
      filename: at('core/src/runtime/boot.ts'),
      code: "import { createRecord } from '../records/records.service.ts';",
      errors: [{ message: /^core-index-only: .*'\.\.\/records\/index\.ts'/ }],
    },
    {
      name: 'export … from counts as an import',
      filename: at('core/src/records/x.ts'),
      code: "export { healthRoutes } from '../api/index.ts';",
      errors: [{ messageId: 'core-composition-root' }],
    },
    {
      name: 'export * from counts as an import',
      filename: at('sdk/src/index.ts'),
      code: "export * from '@daicho/core';",
      errors: [{ messageId: 'package-direction' }],
    },
    {
      name: 'dynamic import()',
      filename: at('core/src/automation/run.ts'),
      code: "const host = await import('../plugins/index.ts');",
      errors: [{ messageId: 'core-no-domain-imports-plugins' }],
    },
    {
      name: 'typeof import() in a type',
      filename: at('core/src/records/x.ts'),
      code: "type Host = typeof import('../plugins/index.ts');",
      errors: [{ messageId: 'core-no-domain-imports-plugins' }],
    },
    {
      name: 'import = require()',
      filename: at('core/src/errors/x.ts'),
      code: "import sdk = require('../../../sdk/src/index.ts');",
      errors: [{ messageId: 'no-relative-cross-package' }],
    },
    {
      name: 'require()',
      filename: at('core/src/records/x.js'),
      code: "const host = require('../plugins/index.ts');",
      errors: [{ messageId: 'core-no-domain-imports-plugins' }],
    },
    {
      name: 'a plugin reaching into core by path',
      filename: at('plugins/sales/src/index.ts'),
      code: "import type { Database } from '../../../core/src/db/index.ts';",
      errors: [{ messageId: 'package-direction' }],
    },
    {
      name: 'deep import by package name',
      filename: at('test/api/x.test.ts'),
      code: "import { errorCodes } from '@daicho/sdk/src/errors/index.ts';",
      errors: [{ messageId: 'no-deep-package-import' }],
    },
    {
      name: 'type-only imports are held to the same direction',
      filename: at('core/src/http/context.ts'),
      code: "import type { User } from '../auth/index.ts';\nimport type { Database } from '../db/index.ts';",
      errors: [
        { messageId: 'core-layering', line: 1 },
        { messageId: 'core-layering', line: 2 },
      ],
    },
    {
      name: 'a JSX file in admin-ui',
      filename: at('admin-ui/src/pages/records.tsx'),
      code: "import { createRecord } from '../../../core/src/records/index.ts';\nexport const Page = () => <p />;",
      errors: [{ messageId: 'package-direction' }],
    },
  ],
});

describe('eslint.config.js', () => {
  it('turns daicho/boundaries on as an error for the whole repository', async () => {
    const eslint = new ESLint({ cwd: defaultRepoRoot });
    const lint = async (file: string, code: string) => {
      const [result] = await eslint.lintText(code, { filePath: at(file) });
      return result!.messages.map((message) => `${message.ruleId} ${message.severity} ${message.message.split(':')[0]}`);
    };
    expect(await lint('admin-ui/src/x.tsx', "import { bootDaicho } from '@daicho/core';\nexport const boot = bootDaicho;\n")).toEqual([
      'daicho/boundaries 2 package-direction',
    ]);
    expect(await lint('core/src/http/x.ts', "import { errors } from '../errors/index.ts';\nexport const e = errors;\n")).toEqual([]);
    expect(await lint('core/src/records/x.ts', "export { installPlugin } from '../plugins/index.ts';\n")).toEqual([
      'daicho/boundaries 2 core-no-domain-imports-plugins',
    ]);
  }, 30_000);
});
