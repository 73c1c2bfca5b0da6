// Lint for the whole workspace: `pnpm lint` (eslint --max-warnings 0 .). ESLint's and
// typescript-eslint's recommended rules (no type information, so a run takes seconds), plus our
// local `daicho/boundaries` rule: the dependency direction of architecture.md, the same rules that
// `pnpm check:deps` applies (tools/boundaries/). Node 24 loads the plugin straight from TypeScript.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { daichoPlugin } from './tools/boundaries/eslint-plugin.ts';

export default defineConfig([
  globalIgnores(
    ['**/node_modules/**', '**/dist/**', '**/.tsbuild/**', '.tools/**', '.daicho/**', 'coverage/**', 'test-results/**'],
    'daicho/ignores',
  ),
  {
    name: 'daicho/recommended',
    files: ['**/*.{ts,tsx,js,mjs}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    plugins: { daicho: daichoPlugin },
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'daicho/boundaries': 'error',
      // One unused-variable rule for .ts and .js alike; a leading `_` marks a deliberate unused.
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    name: 'daicho/node-globals',
    files: ['**/*.{ts,tsx,js,mjs}'],
    ignores: ['admin-ui/src/**', 'core/src/api/reference/**'],
    languageOptions: { globals: globals.node },
  },
  {
    name: 'daicho/browser-globals',
    // admin-ui, and the API reference page's script that core serves as is.
    files: ['admin-ui/src/**/*.{ts,tsx,js,mjs}', 'core/src/api/reference/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
]);
