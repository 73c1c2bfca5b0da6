// The whole test suite, as `pnpm test` (and so `./daicho test` and CI) runs it: every gate in
// order, then one closing line `N passed, N failed` counting each gate and each test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const reportDir = mkdtempSync(path.join(os.tmpdir(), 'daicho-test-report-'));
const report = path.join(reportDir, 'vitest.json');
const extraArgs = process.argv.slice(2);

interface Step {
  name: string;
  command: string[];
}

const gates: Step[] = [
  { name: 'lint', command: ['pnpm', 'run', '--silent', 'lint'] },
  { name: 'check:deps', command: ['pnpm', 'run', '--silent', 'check:deps'] },
  { name: 'typecheck', command: ['pnpm', 'run', '--silent', 'typecheck'] },
  { name: 'build admin-ui', command: ['pnpm', '--filter', '@daicho/admin-ui', 'run', '--silent', 'build'] },
];

let passed = 0;
let failed = 0;
const failures: string[] = [];

function run(step: Step): boolean {
  const started = Date.now();
  process.stdout.write(`\n▶ ${step.name}\n`);
  const result = spawnSync(step.command[0]!, step.command.slice(1), { cwd: root, stdio: 'inherit' });
  const ok = result.status === 0;
  process.stdout.write(`${ok ? '✔' : '✘'} ${step.name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return ok;
}

for (const gate of gates) {
  if (run(gate)) passed += 1;
  else {
    failed += 1;
    failures.push(gate.name);
  }
}

const vitestOk = run({
  name: 'vitest (unit, API, browser)',
  command: ['pnpm', 'exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extraArgs],
});
try {
  const results = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numTotalTests: number };
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  if (results.numFailedTests > 0) failures.push(`${results.numFailedTests} vitest tests`);
  if (!vitestOk && results.numFailedTests === 0) {
    failed += 1;
    failures.push('vitest run (errors outside tests)');
  }
} catch {
  failed += 1;
  failures.push('vitest produced no report');
}
rmSync(reportDir, { recursive: true, force: true });

if (failures.length > 0) process.stdout.write(`\nFailed: ${failures.join(', ')}\n`);
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
