import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const launcher = path.join(repoRoot, 'core/bin/daicho.js');

/** A Daichō process started the way a user starts it. */
export interface DaichoProcess {
  child: ChildProcess;
  url: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A data folder the embedded server can enter when the tests run as root. */
export async function makeDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'daicho-e2e-'));
  await chmod(dir, 0o755);
  return path.join(dir, 'data');
}

/** Runs the launcher to completion and returns what it printed (for start-up failures). */
export function runToExit(env: Record<string, string>, node = process.execPath): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(node, [launcher], { env: { ...process.env, ...env }, cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

/**
 * Starts the launcher and waits until it prints the URL it serves. `checkout` runs another
 * checkout's launcher instead (an older version, for upgrade tests).
 */
export async function startDaichoProcess(env: Record<string, string>, timeoutMs = 60_000, options: { checkout?: string } = {}): Promise<DaichoProcess> {
  const port = await freePort();
  const root = options.checkout ?? repoRoot;
  const child = spawn(process.execPath, [path.join(root, 'core/bin/daicho.js')], {
    env: { ...process.env, DAICHO_PORT: String(port), DAICHO_LOG_LEVEL: 'warn', ...env },
    cwd: root,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within ${timeoutMs} ms:\n${stdout}\n${stderr}`)), timeoutMs);
    const check = () => {
      const match = /running at (http:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before starting:\n${stdout}\n${stderr}`));
    });
  });
  return { child, url, stdout: () => stdout, stderr: () => stderr, exited };
}

/** A JSON request to a Daichō process, as a bearer-token client: status and parsed body. */
export async function apiRequest(url: string, token: string, method: string, route: string, body?: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(`${url}${route}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Stops every process still running (a paused one is resumed first, so that it can exit). */
export async function stopProcesses(processes: readonly DaichoProcess[]): Promise<void> {
  await Promise.all(processes.map(async (daicho) => {
    if (daicho.child.exitCode !== null || daicho.child.signalCode !== null) return;
    daicho.child.kill('SIGCONT');
    daicho.child.kill('SIGTERM');
    await daicho.exited;
  }));
}
