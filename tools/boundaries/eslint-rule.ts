// `daicho/boundaries`: the dependency-direction rules of rules.ts, reported where each import is
// written. One messageId per rule name, so every report says which rule it breaks. Cycles between
// core folders need the whole graph and are checked by check-deps.ts only.
import path from 'node:path';
import type { Rule } from 'eslint';
import { checkImport, ruleNames, type PackageExports, type RuleName } from './rules.ts';
import { readPackageExports } from './workspace.ts';

/** The repository this file lives in (tools/boundaries/ → ../..). */
export const defaultRepoRoot = path.resolve(import.meta.dirname, '..', '..');

export interface BoundariesOptions {
  /** Repository root the rules' paths are relative to; defaults to {@link defaultRepoRoot}. */
  root?: string;
}

const exportsByRoot = new Map<string, PackageExports>();

function packageExportsOf(root: string): PackageExports {
  let exports = exportsByRoot.get(root);
  if (exports === undefined) {
    exports = readPackageExports(root);
    exportsByRoot.set(root, exports);
  }
  return exports;
}

/** Enough of an ESTree / typescript-estree node to find an import's specifier. */
interface LooseNode {
  type: string;
  value?: unknown;
  source?: LooseNode | null;
  argument?: LooseNode | null;
  literal?: LooseNode | null;
  expression?: LooseNode | null;
  moduleReference?: LooseNode | null;
  callee?: LooseNode | null;
  arguments?: readonly LooseNode[];
  name?: string;
  quasis?: readonly { value: { cooked?: string | null } }[];
  expressions?: readonly unknown[];
}

/** The string a specifier node holds, for literals and expression-less template literals. */
function specifierOf(node: LooseNode | null | undefined): string | null {
  if (!node) return null;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions?.length === 0) return node.quasis?.[0]?.value.cooked ?? null;
  if (node.type === 'TSLiteralType') return specifierOf(node.literal);
  return null;
}

const messages = Object.fromEntries(ruleNames.map((name) => [name, '{{message}}'])) as Record<RuleName, string>;

export const boundariesRule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Enforce the dependency direction between packages and the layering inside core (architecture.md).',
    },
    schema: [
      {
        type: 'object',
        properties: { root: { type: 'string' } },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{}],
    messages,
  },
  create(context) {
    const options = (context.options[0] ?? {}) as BoundariesOptions;
    const root = options.root === undefined ? defaultRepoRoot : path.resolve(options.root);
    const relative = path.relative(root, context.physicalFilename);
    // Files outside the repository (or virtual ones such as <input>) are not ours to judge.
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return {};
    const importer = relative.split(path.sep).join('/');
    const packageExports = packageExportsOf(root);

    const check = (specifierNode: LooseNode | null | undefined): void => {
      const specifier = specifierOf(specifierNode);
      if (specifier === null) return;
      const found = checkImport(importer, specifier, { packageExports });
      if (found === null) return;
      context.report({
        node: specifierNode as unknown as Rule.Node,
        messageId: found.rule,
        data: { message: found.message },
      });
    };
    const withSource = (node: unknown): void => check((node as LooseNode).source);

    return {
      ImportDeclaration: withSource,
      ExportNamedDeclaration: withSource,
      ExportAllDeclaration: withSource,
      ImportExpression: withSource,
      CallExpression(node) {
        const call = node as unknown as LooseNode;
        if (call.callee?.type === 'Identifier' && call.callee.name === 'require' && call.arguments?.length === 1) {
          check(call.arguments[0]);
        }
      },
      // TypeScript-only forms: `import x = require('…')` and `typeof import('…')`.
      TSExternalModuleReference(node: unknown) {
        check((node as LooseNode).expression);
      },
      TSImportType(node: unknown) {
        const importType = node as LooseNode;
        check(importType.source ?? importType.argument);
      },
    } as Rule.RuleListener;
  },
};
