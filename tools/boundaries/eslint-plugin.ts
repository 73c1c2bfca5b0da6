// The local ESLint plugin `daicho`, loaded by eslint.config.js straight from TypeScript
// (Node 24 strips the types; nothing is built).
import type { ESLint } from 'eslint';
import { boundariesRule } from './eslint-rule.ts';

export const daichoPlugin = {
  meta: { name: 'eslint-plugin-daicho', version: '0.1.0', namespace: 'daicho' },
  rules: { boundaries: boundariesRule },
} satisfies ESLint.Plugin;
