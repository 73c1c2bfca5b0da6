// check:deps — walks every source file of a repository, applies the dependency-direction rules of
// rules.ts to each import, and looks for cycles between core/src folders.
//
//   node tools/boundaries/check-deps.ts [rootDir]     (root script: pnpm check:deps)
//
// Prints `path:line  rule-name  message` per violation and exits 1; otherwise one summary line and 0.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import {
  checkTarget,
  coreEdgeOf,
  cycleViolation,
  resolveImport,
  type RuleName,
} from './rules.ts';
import { findCycles } from './cycles.ts';
import { readPackageExports } from './workspace.ts';

const sourceExtensions = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const skippedDirs = new Set(['node_modules', 'dist', '.tsbuild', '.tools', '.git', '.daicho', 'coverage']);

export interface LocatedViolation {
  file: string;
  line: number;
  rule: RuleName;
  detail: string;
}

export interface DependencyReport {
  files: number;
  imports: number;
  violations: LocatedViolation[];
}

/** Every source file under `root`, repo-relative with `/`, sorted. */
export function listSourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!skippedDirs.has(entry.name)) walk(path.join(dir, entry.name));
      } else if (entry.isFile() && sourceExtensions.test(entry.name)) {
        files.push(path.relative(root, path.join(dir, entry.name)).split(path.sep).join('/'));
      }
    }
  };
  walk(root);
  return files.sort();
}

/** The module specifiers a file imports (import, export … from, import(), require, import = require). */
export function extractImports(text: string): { specifier: string; line: number }[] {
  const lineStarts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lineStarts.push(index + 1);
  return ts.preProcessFile(text, true, true).importedFiles.map((imported) => ({
    specifier: imported.fileName,
    line: lineOf(lineStarts, imported.pos),
  }));
}

/** 1-based line of `position`, by binary search over the offsets where lines start. */
function lineOf(lineStarts: readonly number[], position: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lineStarts[middle]! <= position) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}

export function checkRepository(root: string): DependencyReport {
  const packageExports = readPackageExports(root);
  const files = listSourceFiles(root);
  const violations: LocatedViolation[] = [];
  const graph = new Map<string, Set<string>>();
  const edgeEvidence = new Map<string, { file: string; line: number }>();
  let imports = 0;

  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    for (const { specifier, line } of extractImports(text)) {
      imports += 1;
      const target = resolveImport(file, specifier);
      const found = checkTarget(file, target, specifier, { packageExports });
      if (found !== null) violations.push({ file, line, rule: found.rule, detail: found.detail });
      const edge = coreEdgeOf(file, target);
      if (edge === null) continue;
      let targets = graph.get(edge.from);
      if (targets === undefined) graph.set(edge.from, (targets = new Set()));
      targets.add(edge.to);
      const key = `${edge.from}→${edge.to}`;
      if (!edgeEvidence.has(key)) edgeEvidence.set(key, { file, line });
    }
  }

  for (const cycle of findCycles(graph)) {
    const found = cycleViolation(cycle);
    const where = edgeEvidence.get(`${cycle[0]}→${cycle[1]}`) ?? { file: `core/src/${cycle[0]}`, line: 1 };
    violations.push({ ...where, rule: found.rule, detail: found.detail });
  }

  violations.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule));
  return { files: files.length, imports, violations };
}

function main(argv: readonly string[]): number {
  const root = path.resolve(argv[0] ?? path.join(import.meta.dirname, '..', '..'));
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    process.stderr.write(`check:deps: ${root} is not a directory\n`);
    return 2;
  }
  const started = performance.now();
  const report = checkRepository(root);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  for (const found of report.violations) {
    process.stdout.write(`${found.file}:${found.line}  ${found.rule}  ${found.detail}\n`);
  }
  if (report.violations.length > 0) {
    const rules = [...new Set(report.violations.map((found) => found.rule))].sort().join(', ');
    process.stdout.write(
      `check:deps: ${report.violations.length} violation(s) of ${rules} in ${report.files} files (${seconds} s); see architecture.md "Packages and their direction".\n`,
    );
    return 1;
  }
  process.stdout.write(
    `check:deps: ${report.files} files, ${report.imports} imports, no violations, core folders acyclic (${seconds} s).\n`,
  );
  return 0;
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
