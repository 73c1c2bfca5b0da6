// Test helpers for the CLI: a captured runCli, and throwaway plugin projects that resolve
// @daicho/sdk to this repository's sdk (as pnpm links it in a workspace).
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './run-cli.ts';

export const sdkDir = path.resolve(import.meta.dirname, '../..');
export const repoDir = path.resolve(sdkDir, '..');

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in `cwd`, capturing what it prints. */
export async function run(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { cwd, env, out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

/** An empty temporary folder with node_modules/@daicho/sdk linked to this sdk. */
export function tempProjectDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'daicho-plugin-cli-'));
  mkdirSync(path.join(dir, 'project/node_modules/@daicho'), { recursive: true });
  symlinkSync(sdkDir, path.join(dir, 'project/node_modules/@daicho/sdk'), 'dir');
  return path.join(dir, 'project');
}
