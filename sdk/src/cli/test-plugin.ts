import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from './cli-error.ts';
import { createPluginSignature, generateSigningKeyPair } from '../plugins/tools.ts';
import { packPlugin } from './pack-plugin.ts';
import { encodeSignatureHeader, signatureHeader } from './publish-plugin.ts';

/**
 * Exit code of `daicho-plugin test` when the server has no plugin API to install into (404).
 *
 * @example
 * if (error instanceof CliError && error.exitCode === noPluginApiExitCode) context.skip();
 */
export const noPluginApiExitCode = 3;

/**
 * How `daicho-plugin test` runs.
 *
 * @example
 * await testPlugin(dir, { files: ['test/one.test.ts'], stdio: 'pipe' });
 */
export interface TestPluginOptions {
  /** Test files or globs, relative to the project; default `test/**\/*.test.ts`. */
  files?: string[];
  env?: NodeJS.ProcessEnv;
  /** Progress lines (stderr by default). */
  log?: (line: string) => void;
  /** Where the test runner's output goes: `inherit` (default) or `pipe` (returned as `output`). */
  stdio?: 'inherit' | 'pipe';
}

/**
 * The test runner's exit code, and its output when piped.
 *
 * @example
 * const { exitCode, output } = await testPlugin(dir, { stdio: 'pipe' });
 */
export interface TestPluginResult {
  exitCode: number;
  output: string;
}

interface CoreInstall {
  bin: string;
  testing: string;
}

// The server comes from the plugin's own node_modules (`@daicho/core` as a devDependency), so the
// tests run against the version the plugin declares, and the SDK never imports core itself.
function resolveCore(dir: string): CoreInstall {
  const require = createRequire(path.join(dir, 'package.json'));
  let packageJson: string;
  try {
    packageJson = require.resolve('@daicho/core/package.json');
  } catch {
    throw new CliError('daicho-plugin test needs the Daichō server: add @daicho/core as a devDependency of the plugin');
  }
  const coreDir = path.dirname(packageJson);
  const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as { bin?: Record<string, string>; exports?: Record<string, string> };
  return { bin: path.join(coreDir, manifest.bin?.daicho ?? 'bin/daicho.js'), testing: path.join(coreDir, manifest.exports?.['./testing'] ?? 'src/testing/index.ts') };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function readLines(child: ChildProcess, until: (output: string) => boolean, what: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => finish(new CliError(`${what} did not start within ${timeoutMs / 1000} s:\n${output.slice(-2000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (until(output)) finish();
    };
    const onExit = (code: number | null) => finish(new CliError(`${what} exited (${code}) before it was ready:\n${output.slice(-2000)}`));
    function finish(error?: Error) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(output);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

// A database of its own on the test server (core's test kit, in a child process that stays up
// until we close its stdin, then drops the database).
const freshDatabaseScript = `
const { createTestDatabase } = await import(process.argv[1]);
const database = await createTestDatabase(process.argv[2]);
process.stdout.write('DATABASE ' + database.url + '\\n');
process.stdin.resume();
process.stdin.on('end', async () => { await database.drop().catch(() => {}); process.exit(0); });
`;

/**
 * `daicho-plugin test`: packs the plugin, starts a real Daichō server from the plugin's
 * `@daicho/core` devDependency (on a fresh database: a new one on `DAICHO_TEST_DATABASE_URL`'s
 * server when set, else embedded PostgreSQL in a temporary folder), signs in as the first admin it
 * creates, installs the package with `POST /api/v1/plugins?grant=all` (signed by a throwaway key
 * that only this server trusts, through `DAICHO_PLUGIN_TRUSTED_KEYS`), runs the plugin's tests with
 * `node --test` and `DAICHO_URL`/`DAICHO_TOKEN` set, and stops everything.
 *
 * @example
 * const { exitCode } = await testPlugin('examples/hello-plugin');
 */
export async function testPlugin(dir: string, options: TestPluginOptions = {}): Promise<TestPluginResult> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const core = resolveCore(dir);
  const temp = mkdtempSync(path.join(tmpdir(), 'daicho-plugin-test-'));
  // Embedded PostgreSQL may run as another user (postgres, when we are root): it must traverse this.
  chmodSync(temp, 0o711);
  let database: ChildProcess | undefined;
  let server: ChildProcess | undefined;
  try {
    const pack = await packPlugin(dir, temp);
    log(`packed ${path.basename(pack.file)} (sha256 ${pack.digest})`);

    // Installed as production installs: signed, by a key this server alone trusts.
    const key = generateSigningKeyPair();
    const signature = createPluginSignature(pack.bytes, key.privateKeyPem);
    const serverEnv: NodeJS.ProcessEnv = {
      ...env,
      DAICHO_DATA_DIR: path.join(temp, 'data'),
      DAICHO_SEED_DEMO: 'true',
      DAICHO_HOST: '127.0.0.1',
      DAICHO_PORT: String(await freePort()),
      DAICHO_LOG_LEVEL: 'warn',
      DAICHO_PLUGIN_TRUSTED_KEYS: key.publicKey,
      DAICHO_PLUGIN_REQUIRE_SIGNATURE: 'true',
    };
    delete serverEnv.DATABASE_URL;
    if (env.DAICHO_TEST_DATABASE_URL) {
      database = spawn(process.execPath, ['--input-type=module', '-e', freshDatabaseScript, pathToFileURL(core.testing).href, env.DAICHO_TEST_DATABASE_URL], { stdio: ['pipe', 'pipe', 'pipe'] });
      const output = await readLines(database, (text) => text.includes('\n'), 'The test database', 30_000);
      const url = /^DATABASE (\S+)$/mu.exec(output)?.[1];
      if (!url) throw new CliError(`Could not create a test database: ${output.slice(0, 500)}`);
      serverEnv.DATABASE_URL = url;
    }

    log('starting Daichō…');
    server = spawn(process.execPath, ['--no-node-snapshot', core.bin], { cwd: temp, env: serverEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const welcome = await readLines(server, (text) => /password:\s*\S+/u.test(text), 'Daichō', 180_000);
    const url = /running at (\S+)/u.exec(welcome)?.[1];
    const email = /e-mail:\s*(\S+)/u.exec(welcome)?.[1];
    const password = /password:\s*(\S+)/u.exec(welcome)?.[1];
    const workspace = /workspace "([^"]+)"/u.exec(welcome)?.[1] ?? 'demo';
    if (!url || !email || !password) throw new CliError(`Daichō started without first-start credentials:\n${welcome.slice(-1000)}`);

    const login = await fetch(new URL('/api/v1/auth/login', url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workspace, email, password }) });
    const session = (await login.json()) as { token?: string };
    if (!login.ok || !session.token) throw new CliError(`Could not sign in as ${email}: ${login.status}`);

    const install = await fetch(new URL('/api/v1/plugins?grant=all', url), {
      method: 'POST',
      headers: { 'content-type': 'application/gzip', authorization: `Bearer ${session.token}`, [signatureHeader]: encodeSignatureHeader(signature) },
      body: pack.bytes,
    });
    if (install.status === 404) {
      throw new CliError('This Daichō server has no plugin API yet (404 on POST /api/v1/plugins); update @daicho/core', [], noPluginApiExitCode);
    }
    if (!install.ok) {
      const body = (await install.json().catch(() => ({}))) as { error?: { code?: string; message?: string; details?: unknown } };
      throw new CliError(`Installing the plugin failed: ${install.status} ${body.error?.code ?? ''} ${body.error?.message ?? ''}`.trim(), body.error?.details ? [JSON.stringify(body.error.details)] : []);
    }
    log(`installed on ${url}; running the tests`);

    const runner = spawn(process.execPath, ['--test', ...(options.files ?? ['test/**/*.test.ts'])], {
      cwd: dir,
      env: { ...env, DAICHO_URL: url, DAICHO_TOKEN: session.token },
      stdio: options.stdio === 'pipe' ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let output = '';
    runner.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    runner.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exitCode = await new Promise<number>((resolve) => runner.once('exit', (code) => resolve(code ?? 1)));
    return { exitCode, output };
  } finally {
    await stop(server);
    if (database && database.exitCode === null) {
      const exited = new Promise((resolve) => database!.once('exit', resolve));
      database.stdin?.end();
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (database.exitCode === null) database.kill('SIGKILL');
    }
    rmSync(temp, { recursive: true, force: true });
  }
}
