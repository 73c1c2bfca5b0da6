import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkImport,
  coreEdgeOf,
  defaultPackageExports,
  resolveImport,
  type RuleName,
} from './rules.ts';
import { findCycles } from './cycles.ts';
import { readPackageExports } from './workspace.ts';

type Case = readonly [importer: string, specifier: string, expected: RuleName | null];

function table(cases: readonly Case[]): void {
  it.each(cases.map(([importer, specifier, expected]) => ({ importer, specifier, expected })))(
    '$importer imports $specifier → $expected',
    ({ importer, specifier, expected }) => {
      const found = checkImport(importer, specifier);
      expect(found?.rule ?? null).toBe(expected);
      // Every message names the rule it breaks.
      if (found) expect(found.message.startsWith(`${found.rule}: `)).toBe(true);
    },
  );
}

describe('package direction', () => {
  describe('sdk/ imports no other package of ours', () => {
    table([
      ['sdk/src/index.ts', './errors/index.ts', null],
      ['sdk/src/cli/pack.ts', '../errors/index.ts', null],
      ['sdk/src/index.ts', 'ajv', null],
      ['sdk/src/index.ts', 'node:path', null],
      ['sdk/src/index.ts', '@daicho/core', 'package-direction'],
      ['sdk/src/index.ts', '@daicho/admin-ui', 'package-direction'],
      ['sdk/src/index.ts', '@daicho/plugin-sales', 'package-direction'],
      ['sdk/src/index.ts', '../../core/src/index.ts', 'package-direction'],
      ['sdk/src/index.ts', '../../admin-ui/src/api.ts', 'package-direction'],
      ['sdk/src/index.ts', '../../plugins/sales/src/index.ts', 'package-direction'],
      ['sdk/src/index.ts', '../../test/support/helpers.ts', 'no-relative-cross-package'],
    ]);
  });

  describe('core/ imports @daicho/sdk only', () => {
    table([
      ['core/src/http/error-handler.ts', '@daicho/sdk', null],
      ['core/src/metadata/validate.ts', '@daicho/sdk/schemas/object.schema.json', null],
      ['core/src/http/app.ts', 'koa', null],
      ['core/bin/daicho.js', '../src/main.ts', null],
      ['core/src/records/records.service.ts', '@daicho/admin-ui', 'package-direction'],
      ['core/src/plugins/host.ts', '@daicho/plugin-sales', 'package-direction'],
      ['core/src/http/static-files.ts', '../../../admin-ui/src/main.tsx', 'package-direction'],
      ['core/src/errors/daicho-error.ts', '../../../sdk/src/index.ts', 'no-relative-cross-package'],
      ['core/src/records/records.service.ts', '@daicho/core', 'core-layering'],
      ['core/src/runtime/boot.ts', '../../../../outside.ts', 'no-relative-cross-package'],
    ]);
  });

  describe('admin-ui/ imports @daicho/sdk only, never core', () => {
    table([
      ['admin-ui/src/app.tsx', '@daicho/sdk', null],
      ['admin-ui/src/app.tsx', 'react', null],
      ['admin-ui/src/app.tsx', './pages/home.tsx', null],
      ['admin-ui/src/app.tsx', '@daicho/core', 'package-direction'],
      ['admin-ui/src/app.tsx', '@daicho/core/testing', 'package-direction'],
      ['admin-ui/src/app.tsx', '../../core/src/records/index.ts', 'package-direction'],
      ['admin-ui/src/app.tsx', '../../sdk/src/index.ts', 'no-relative-cross-package'],
    ]);
  });

  describe('plugins/* and examples/* use @daicho/sdk only and stay in their folder', () => {
    table([
      ['plugins/sales/src/index.ts', '@daicho/sdk', null],
      ['plugins/sales/src/index.ts', './actions/send-quote.action.ts', null],
      ['plugins/sales/src/actions/send-quote.action.ts', '../../package.json', null],
      ['plugins/sales/src/index.ts', '@daicho/core', 'package-direction'],
      ['plugins/sales/src/index.ts', '@daicho/plugin-service', 'package-direction'],
      ['plugins/sales/src/index.ts', '../../service/src/index.ts', 'package-direction'],
      ['plugins/sales/src/index.ts', '../../../core/src/db/index.ts', 'package-direction'],
      ['plugins/sales/src/index.ts', '../../../sdk/src/index.ts', 'no-relative-cross-package'],
      ['plugins/sales/src/index.ts', '../../../test/support/server.ts', 'no-relative-cross-package'],
      ['examples/third-party-plugin/src/index.ts', '@daicho/sdk', null],
      ['examples/third-party-plugin/src/index.ts', '@daicho/core', 'package-direction'],
      ['examples/third-party-plugin/src/index.ts', '../../../core/src/index.ts', 'package-direction'],
      ['examples/third-party-plugin/src/index.ts', '../../real-estate/src/index.ts', 'package-direction'],
    ]);
  });

  describe('test/, bench/ and tooling may import anything (but not package internals by name)', () => {
    table([
      ['test/api/records.test.ts', '@daicho/core', null],
      ['test/api/records.test.ts', '@daicho/core/testing', null],
      ['test/api/records.test.ts', '../../core/src/records/records.service.ts', null],
      ['bench/run.ts', '@daicho/core', null],
      ['bench/run.ts', '../core/src/query/index.ts', null],
      ['scripts/test-all.ts', '../core/src/index.ts', null],
      ['vitest.config.ts', 'vitest/config', null],
      ['eslint.config.js', './tools/boundaries/eslint-plugin.ts', null],
    ]);
  });

  describe('deep imports by package name', () => {
    table([
      ['test/api/records.test.ts', '@daicho/sdk/package.json', null],
      ['core/src/metadata/validate.ts', '@daicho/sdk/schemas/view.schema.json', null],
      ['test/api/records.test.ts', '@daicho/core/testing', null],
      ['core/src/errors/daicho-error.ts', '@daicho/sdk/src/errors/index.ts', 'no-deep-package-import'],
      ['test/api/records.test.ts', '@daicho/core/src/main.ts', 'no-deep-package-import'],
      ['test/api/records.test.ts', '@daicho/core/testing/test-server.ts', 'no-deep-package-import'],
      ['plugins/sales/src/index.ts', '@daicho/sdk/src/host/records.ts', 'no-deep-package-import'],
      ['test/api/x.test.ts', '@daicho/plugin-sales/src/index.ts', 'no-deep-package-import'],
    ]);
  });
});

describe('layering inside core/src', () => {
  describe('kernel: config → nothing, log → config, errors → nothing (sdk only)', () => {
    table([
      ['core/src/log/logger.ts', '../config/index.ts', null],
      ['core/src/config/load-config.ts', './config-spec.ts', null],
      ['core/src/errors/daicho-error.ts', '@daicho/sdk', null],
      ['core/src/config/load-config.ts', '../log/index.ts', 'core-layering'],
      ['core/src/config/load-config.ts', '../errors/index.ts', 'core-layering'],
      ['core/src/errors/daicho-error.ts', '../log/index.ts', 'core-layering'],
      ['core/src/errors/daicho-error.ts', '../config/index.ts', 'core-layering'],
      ['core/src/log/logger.ts', '../db/index.ts', 'core-layering'],
      ['core/src/config/load-config.ts', '../records/index.ts', 'core-layering'],
    ]);
  });

  describe('db → kernel only', () => {
    table([
      ['core/src/db/database.ts', '../log/index.ts', null],
      ['core/src/db/database.ts', '../errors/index.ts', null],
      ['core/src/db/database.ts', '../config/index.ts', null],
      ['core/src/db/embedded/embedded-postgres.ts', '../../log/index.ts', null],
      ['core/src/db/embedded/embedded-postgres.ts', '../uuid.ts', null],
      ['core/src/db/database.ts', '../records/index.ts', 'core-layering'],
      ['core/src/db/database.ts', '../http/index.ts', 'core-layering'],
      ['core/src/db/database.ts', '../storage/index.ts', 'core-layering'],
    ]);
  });

  describe('http → kernel only: no domains, no db', () => {
    table([
      ['core/src/http/app.ts', '../errors/index.ts', null],
      ['core/src/http/app.ts', '../log/index.ts', null],
      ['core/src/http/app.ts', '@daicho/sdk', null],
      ['core/src/http/app.ts', '../records/index.ts', 'core-layering'],
      ['core/src/http/app.ts', '../plugins/index.ts', 'core-layering'],
      ['core/src/http/app.ts', '../db/index.ts', 'core-layering'],
      ['core/src/http/app.ts', '../query/index.ts', 'core-layering'],
      ['core/src/http/app.ts', '../records/records.service.ts', 'core-layering'],
    ]);
  });

  describe('storage, query → db + kernel', () => {
    table([
      ['core/src/storage/plan-table.ts', '../db/index.ts', null],
      ['core/src/storage/plan-table.ts', '../errors/index.ts', null],
      ['core/src/query/compile-filter.ts', '../db/index.ts', null],
      ['core/src/query/compile-filter.ts', '../log/index.ts', null],
      ['core/src/storage/plan-table.ts', '../query/index.ts', 'core-layering'],
      ['core/src/storage/plan-table.ts', '../metadata/index.ts', 'core-layering'],
      ['core/src/query/compile-filter.ts', '../records/index.ts', 'core-layering'],
      ['core/src/query/compile-filter.ts', '../http/index.ts', 'core-layering'],
    ]);
  });

  describe('domains → storage, query, db, kernel, other domains; never plugins, http or the composition root', () => {
    table([
      ['core/src/records/records.service.ts', '../storage/index.ts', null],
      ['core/src/records/records.service.ts', '../query/index.ts', null],
      ['core/src/records/records.service.ts', '../db/index.ts', null],
      ['core/src/records/records.service.ts', '../errors/index.ts', null],
      ['core/src/records/records.service.ts', '../metadata/index.ts', null],
      ['core/src/auth/users.service.ts', '../workspaces/index.ts', null],
      ['core/src/segments/segments.service.ts', '../records/index.ts', null],
      ['core/src/records/records.service.ts', '../plugins/index.ts', 'core-no-domain-imports-plugins'],
      ['core/src/automation/actions.ts', '../plugins/index.ts', 'core-no-domain-imports-plugins'],
      ['core/src/segments/segments.service.ts', '../plugins/index.ts', 'core-no-domain-imports-plugins'],
      ['core/src/records/records.service.ts', '../http/index.ts', 'core-layering'],
      ['core/src/records/records.service.ts', '../api/index.ts', 'core-composition-root'],
      ['core/src/records/records.service.ts', '../runtime/index.ts', 'core-composition-root'],
      ['core/src/records/records.service.ts', '../testing/index.ts', 'core-composition-root'],
      ['core/src/records/records.service.ts', '../index.ts', 'core-composition-root'],
      ['core/src/records/records.service.ts', '../main.ts', 'core-composition-root'],
    ]);
  });

  describe('the plugin host depends on domains', () => {
    table([
      ['core/src/plugins/host.ts', '../records/index.ts', null],
      ['core/src/plugins/host.ts', '../automation/index.ts', null],
      ['core/src/plugins/host.ts', '../storage/index.ts', null],
      ['core/src/plugins/sandbox/isolate.ts', '../host.ts', null],
      ['core/src/plugins/host.ts', '../http/index.ts', 'core-layering'],
    ]);
  });

  describe('api → http, domains, kernel', () => {
    table([
      ['core/src/api/records.routes.ts', '../http/index.ts', null],
      ['core/src/api/records.routes.ts', '../records/index.ts', null],
      ['core/src/api/plugins.routes.ts', '../plugins/index.ts', null],
      ['core/src/api/records.routes.ts', '../errors/index.ts', null],
      ['core/src/api/records.routes.ts', '../db/index.ts', 'core-layering'],
      ['core/src/api/records.routes.ts', '../storage/index.ts', 'core-layering'],
      ['core/src/api/records.routes.ts', '../query/index.ts', 'core-layering'],
      ['core/src/api/records.routes.ts', '../runtime/index.ts', 'core-composition-root'],
    ]);
  });

  describe('runtime, testing, main.ts and index.ts compose everything', () => {
    table([
      ['core/src/runtime/boot.ts', '../api/index.ts', null],
      ['core/src/runtime/boot.ts', '../db/index.ts', null],
      ['core/src/runtime/boot.ts', '../plugins/index.ts', null],
      ['core/src/runtime/boot.ts', '../testing/index.ts', 'core-composition-root'],
      ['core/src/testing/test-server.ts', '../runtime/index.ts', null],
      ['core/src/testing/test-server.ts', '../db/index.ts', null],
      ['core/src/main.ts', './runtime/index.ts', null],
      ['core/src/main.ts', './db/index.ts', null],
      ['core/src/index.ts', './config/index.ts', null],
      ['core/src/index.ts', './testing/index.ts', null],
    ]);
  });

  describe('unit tests beside the code may use the testing kit', () => {
    table([
      ['core/src/db/database.test.ts', '../testing/index.ts', null],
      ['core/src/runtime/boot.test.ts', '../testing/index.ts', null],
      ['core/src/records/records.test.ts', '../runtime/index.ts', null],
      ['core/src/records/records.test.ts', '../metadata/metadata.service.ts', 'core-index-only'],
    ]);
  });

  describe("another folder is used only through its index.ts", () => {
    table([
      ['core/src/runtime/boot.ts', '../records', null],
      ['core/src/runtime/boot.ts', '../records/index.js', null],
      ['core/src/records/records.service.ts', './record-hooks.ts', null],
      ['core/src/records/hooks/registry.ts', '../records.service.ts', null],
      ['core/src/records/records.service.ts', '../config.ts', null],
      ['core/src/runtime/boot.ts', '../records/records.service.ts', 'core-index-only'],
      ['core/src/runtime/boot.ts', '../db/embedded/index.ts', 'core-index-only'],
      ['core/src/api/records.routes.ts', '../records/records.service.ts', 'core-index-only'],
      ['core/src/auth/users.service.ts', '../workspaces/workspace.entity.ts', 'core-index-only'],
      ['core/src/db/database.ts', '../log/logger.ts', 'core-index-only'],
    ]);
  });
});

describe('messages', () => {
  it('say which rule is broken and how to fix it', () => {
    expect(checkImport('core/src/runtime/boot.ts', '../records/records.service.ts')?.message).toBe(
      "core-index-only: core/src/runtime/boot.ts imports '../records/records.service.ts', a file inside core/src/records/; other folders use only its index.ts ('../records/index.ts').",
    );
    expect(checkImport('core/src/records/x.ts', '../plugins/index.ts')?.message).toMatch(
      /^core-no-domain-imports-plugins: .*extension point/,
    );
    expect(checkImport('admin-ui/src/x.tsx', '@daicho/core')?.message).toMatch(/^package-direction: admin-ui\/ may import only @daicho\/sdk/);
  });

});

describe('resolveImport', () => {
  it.each([
    ['core/src/http/app.ts', '../errors/index.ts', { kind: 'file', path: 'core/src/errors/index.ts' }],
    ['core/src/http/app.ts', './app.ts', { kind: 'file', path: 'core/src/http/app.ts' }],
    ['core/src/runtime/boot.ts', '../records', { kind: 'file', path: 'core/src/records' }],
    ['core/src/http/app.ts', '@daicho/sdk', { kind: 'package', name: '@daicho/sdk', subpath: '.' }],
    ['core/src/http/app.ts', '@daicho/sdk/schemas/a.json', { kind: 'package', name: '@daicho/sdk', subpath: './schemas/a.json' }],
    ['core/src/http/app.ts', 'koa', { kind: 'package', name: 'koa', subpath: '.' }],
    ['core/src/http/app.ts', 'node:fs/promises', { kind: 'package', name: 'node:fs', subpath: './promises' }],
    ['bench/run.ts', '../../x.ts', { kind: 'outside-root', specifier: '../../x.ts' }],
  ] as const)('%s + %s', (importer, specifier, expected) => {
    expect(resolveImport(importer, specifier)).toEqual(expected);
  });
});

describe('coreEdgeOf', () => {
  it('links core folders, ignoring same-folder imports, entry points and unit tests', () => {
    const edge = (importer: string, specifier: string) => coreEdgeOf(importer, resolveImport(importer, specifier));
    expect(edge('core/src/auth/users.service.ts', '../workspaces/index.ts')).toEqual({ from: 'auth', to: 'workspaces' });
    expect(edge('core/src/auth/users.service.ts', './passwords.ts')).toBeNull();
    expect(edge('core/src/main.ts', './runtime/index.ts')).toBeNull();
    expect(edge('core/src/db/database.test.ts', '../testing/index.ts')).toBeNull();
    expect(edge('test/api/x.test.ts', '../../core/src/records/index.ts')).toBeNull();
    expect(edge('core/src/auth/users.service.ts', '@daicho/sdk')).toBeNull();
  });
});

describe('findCycles', () => {
  const graphOf = (edges: Record<string, string[]>) => new Map(Object.entries(edges).map(([from, to]) => [from, new Set(to)]));

  it.each([
    ['no edges', {}, []],
    ['a chain', { records: ['metadata'], metadata: ['storage'], storage: ['db'] }, []],
    ['a diamond', { api: ['records', 'auth'], records: ['db'], auth: ['db'] }, []],
    ['two folders', { auth: ['workspaces'], workspaces: ['auth'] }, [['auth', 'workspaces', 'auth']]],
    [
      'three folders',
      { records: ['automation'], automation: ['mail'], mail: ['records'] },
      [['automation', 'mail', 'records', 'automation']],
    ],
    [
      'two separate cycles',
      { a: ['b'], b: ['a'], c: ['d'], d: ['e'], e: ['c'] },
      [
        ['a', 'b', 'a'],
        ['c', 'd', 'e', 'c'],
      ],
    ],
    ['a cycle below an acyclic entry', { api: ['records'], records: ['audit'], audit: ['records'] }, [['audit', 'records', 'audit']]],
    ['a self loop', { records: ['records'] }, [['records', 'records']]],
  ] as const)('%s', (_name, edges, expected) => {
    expect(findCycles(graphOf(edges as Record<string, string[]>))).toEqual(expected);
  });
});

describe('defaultPackageExports', () => {
  it('matches the exports of sdk/package.json and core/package.json', () => {
    const repoRoot = path.resolve(import.meta.dirname, '..', '..');
    const actual = readPackageExports(repoRoot);
    for (const name of Object.keys(defaultPackageExports)) {
      expect([...(actual[name] ?? [])].sort(), name).toEqual([...(defaultPackageExports[name] ?? [])].sort());
    }
  });
});
