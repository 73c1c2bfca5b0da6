import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractImports } from './check-deps.ts';

const cli = path.join(import.meta.dirname, 'check-deps.ts');
const fixtures: string[] = [];

afterAll(() => {
  for (const dir of fixtures) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes a small repository into a fresh temp dir: path → file text. */
function writeTree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'daicho-check-deps-'));
  fixtures.push(root);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

function runCli(root: string) {
  const result = spawnSync(process.execPath, [cli, root], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A tree that follows every rule. */
const cleanTree: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'fixture', private: true, type: 'module' }),
  'sdk/package.json': JSON.stringify({ name: '@daicho/sdk', exports: { '.': './src/index.ts', './schemas/*': './schemas/*' } }),
  'sdk/src/index.ts': "export const platformVersion = '0.0.0';\n",
  'core/package.json': JSON.stringify({ name: '@daicho/core', exports: { '.': './src/index.ts', './testing': './src/testing/index.ts' } }),
  'core/src/index.ts': "export { boot } from './runtime/index.ts';\n",
  'core/src/main.ts': "import { boot } from './runtime/index.ts';\nboot();\n",
  'core/src/errors/index.ts': "import { platformVersion } from '@daicho/sdk';\nexport const version = platformVersion;\n",
  'core/src/http/index.ts': "import { version } from '../errors/index.ts';\nexport const http = version;\n",
  'core/src/records/index.ts': "export { createRecord } from './records.service.ts';\n",
  'core/src/records/records.service.ts': "import { version } from '../errors/index.ts';\nexport const createRecord = () => version;\n",
  'core/src/auth/index.ts': "import { createRecord } from '../records/index.ts';\nexport const login = createRecord;\n",
  'core/src/api/index.ts': "import { http } from '../http/index.ts';\nimport { login } from '../auth/index.ts';\nexport const api = [http, login];\n",
  'core/src/runtime/index.ts': "import { api } from '../api/index.ts';\nexport const boot = () => api;\n",
  'core/src/testing/index.ts': "import { boot } from '../runtime/index.ts';\nexport const startTestServer = boot;\n",
  'core/src/records/records.test.ts': "import { startTestServer } from '../testing/index.ts';\nstartTestServer();\n",
  'admin-ui/src/main.tsx': "import { platformVersion } from '@daicho/sdk';\nexport const App = () => <p>{platformVersion}</p>;\n",
  'plugins/sales/src/index.ts': "import { platformVersion } from '@daicho/sdk';\nexport default platformVersion;\n",
  'test/api/records.test.ts': "import { startTestServer } from '@daicho/core/testing';\nimport { createRecord } from '../../core/src/records/records.service.ts';\nexport { startTestServer, createRecord };\n",
  // Skipped folders are never read, whatever they hold.
  'core/node_modules/dep/index.js': "import '@daicho/admin-ui';\n",
  'admin-ui/dist/assets/index.js': "import '../../../core/src/index.ts';\n",
  'core/.tsbuild/src/x.d.ts': "import '../../../admin-ui/src/main.tsx';\n",
};

describe('check-deps CLI', () => {
  it('exits 0 with a one-line summary on a clean tree', () => {
    const { status, stdout } = runCli(writeTree(cleanTree));
    expect(stdout).toMatch(/^check:deps: 15 files, \d+ imports, no violations, core folders acyclic \(\d+\.\d+ s\)\.\n$/);
    expect(status).toBe(0);
  });

  it('exits 1 and prints path:line, rule name and message for a violation and a cycle', () => {
    const root = writeTree({
      ...cleanTree,
      // The violation: http knows about a domain.
      'core/src/http/index.ts':
        "import { version } from '../errors/index.ts';\nimport { createRecord } from '../records/index.ts';\nexport const http = [version, createRecord];\n",
      // The cycle: records → auth → records (auth/index.ts already imports records).
      'core/src/records/records.service.ts':
        "import { version } from '../errors/index.ts';\nimport { login } from '../auth/index.ts';\nexport const createRecord = () => [version, login];\n",
    });
    const { status, stdout } = runCli(root);
    const lines = stdout.trimEnd().split('\n');
    // Sorted by path; the cycle is reported at the import that makes its first edge (auth → records).
    expect(lines).toEqual([
      'core/src/auth/index.ts:1  core-domain-cycle  core folders form a cycle: auth → records → auth; break it with an extension point owned by the lower folder.',
      "core/src/http/index.ts:2  core-layering  core/src/http/index.ts imports '../records/index.ts': core/src/http (http) may import only kernel (errors, log, config), not domains (core/src/records).",
      expect.stringMatching(/^check:deps: 2 violation\(s\) of core-domain-cycle, core-layering in 15 files/),
    ]);
    expect(status).toBe(1);
  });

  it('finds package violations outside core, through every import form', () => {
    const root = writeTree({
      ...cleanTree,
      'admin-ui/src/api.ts': "// talks to core\nexport type { Boot } from '@daicho/core';\n",
      'plugins/sales/src/hooks.ts': "const core = await import('../../../core/src/index.ts');\nexport default core;\n",
      'sdk/src/cli/pack.ts': "const ui = require('@daicho/admin-ui');\nexport default ui;\n",
      'test/api/deep.test.ts': "import '@daicho/sdk/src/index.ts';\n",
    });
    const { status, stdout } = runCli(root);
    expect(stdout).toContain('admin-ui/src/api.ts:2  package-direction  ');
    expect(stdout).toContain('plugins/sales/src/hooks.ts:1  package-direction  ');
    expect(stdout).toContain('sdk/src/cli/pack.ts:1  package-direction  ');
    expect(stdout).toContain('test/api/deep.test.ts:1  no-deep-package-import  ');
    expect(status).toBe(1);
  });

  it('refuses a root that is not a directory', () => {
    const { status, stderr } = runCli(path.join(os.tmpdir(), 'daicho-no-such-dir-for-check-deps'));
    expect(stderr).toContain('is not a directory');
    expect(status).toBe(2);
  });
});

describe('extractImports', () => {
  it('finds every import form with its line, and nothing inside strings or comments', () => {
    const text = [
      "import a from './a.ts';",
      "import type { B } from './b.ts';",
      "export { c } from './c.ts';",
      "export * from './d.ts';",
      "const e = await import('./e.ts');",
      "const s = \"import x from './in-a-string.ts'\";",
      "// import y from './in-a-comment.ts';",
      "import './side-effect.ts';",
      "const r = require('./required.js');",
    ].join('\n');
    expect(extractImports(text)).toEqual([
      { specifier: './a.ts', line: 1 },
      { specifier: './b.ts', line: 2 },
      { specifier: './c.ts', line: 3 },
      { specifier: './d.ts', line: 4 },
      { specifier: './e.ts', line: 5 },
      { specifier: './side-effect.ts', line: 8 },
      { specifier: './required.js', line: 9 },
    ]);
  });
});
