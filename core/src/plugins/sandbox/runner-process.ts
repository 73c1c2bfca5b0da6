// The parent's handle on one plugin-runner child: forks it, restarts it with backoff when it
// exits, and pairs requests with replies. What was loaded in a runner dies with it; the pool
// learns of each exit through `onExit` and reloads lazily.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ParentMessage, RunnerMessage } from './runner-protocol.ts';

const runnerModule = fileURLToPath(new URL('./plugin-runner.ts', import.meta.url));

/** A request is a parent message that gets a reply (everything but invoke and hostResult). */
export type RunnerRequest = Extract<ParentMessage, { requestId: number }>;
export type RunnerReply = Extract<RunnerMessage, { type: 'reply' }>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface RunnerProcessOptions {
  /** Called for every message that is not a reply. */
  onMessage: (message: RunnerMessage) => void;
  /** Called once per child that exits (crash, kill or close), before any restart. */
  onExit: (detail: { code: number | null; signal: NodeJS.Signals | null }) => void;
  /** First restart delay, ms; doubles per quick crash up to 30 times as long. */
  restartDelayMs: number;
}

/** The few variables a runner keeps from the parent's environment. */
export function runnerEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const kept: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'TZ', 'LANG', 'LC_ALL', 'NODE_ENV']) {
    if (env[name] !== undefined) kept[name] = env[name];
  }
  return kept;
}

export class RunnerProcess {
  readonly #options: RunnerProcessOptions;
  #child: ChildProcess | null = null;
  /** The child to send to, once it said it is ready; null when the pool is closing. */
  #ready: Promise<ChildProcess | null> = Promise.resolve(null);
  /** Children killed or exited: their in-flight work has been failed; nothing more goes to them. */
  readonly #retired = new WeakSet<ChildProcess>();
  #closing = false;
  #quickCrashes = 0;
  #startedAt = 0;
  #nextRequestId = 1;
  readonly #pending = new Map<number, (reply: RunnerReply) => void>();

  #started = false;

  // The child starts with the first message: a node with no plugin in use runs no runner.
  constructor(options: RunnerProcessOptions) {
    this.#options = options;
  }

  /** The child's pid while it runs (tests kill it to prove supervision). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Sends once a live child is ready; false when the pool is closing or the child went meanwhile. */
  async send(message: ParentMessage): Promise<boolean> {
    if (!this.#started && !this.#closing) {
      this.#started = true;
      this.#start();
    }
    const child = await this.#ready;
    if (!child || this.#closing || this.#retired.has(child) || !child.connected) return false;
    child.send(message);
    return true;
  }

  /** Sends a request and waits for its reply; a child that exits first answers PLUGIN_UNAVAILABLE. */
  async request(message: DistributiveOmit<RunnerRequest, 'requestId'>): Promise<RunnerReply> {
    const requestId = this.#nextRequestId++;
    const reply = new Promise<RunnerReply>((resolve) => this.#pending.set(requestId, resolve));
    if (!(await this.send({ ...message, requestId } as RunnerRequest))) {
      this.#pending.delete(requestId);
      return { type: 'reply', requestId, ok: false, code: 'PLUGIN_UNAVAILABLE', message: 'The plugin runner is not running' };
    }
    return reply;
  }

  /** Kills the child now. Its work fails at once; what is sent from here on goes to its replacement. */
  kill(): void {
    const child = this.#child;
    if (!child || this.#retired.has(child)) return;
    child.kill('SIGKILL');
    this.#retire(child, { code: null, signal: 'SIGKILL' });
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#ready = Promise.resolve(null);
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Disconnecting asks the runner to exit; a runner busy past the grace period is killed.
    if (child.connected) child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), 1000);
    await exited;
    clearTimeout(timer);
  }

  #start(): void {
    const child = fork(runnerModule, [], {
      // isolated-vm requires --no-node-snapshot on Node 20 and later.
      execArgv: ['--no-node-snapshot', '--disable-warning=ExperimentalWarning'],
      serialization: 'json',
      // Defence in depth: the runner needs no setting, so no secret (database URL, secret key)
      // sits in the environment of the process that runs plugin code.
      env: runnerEnvironment(),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child = child;
    this.#startedAt = Date.now();
    this.#ready = new Promise((resolve) => {
      child.on('message', (message: RunnerMessage) => {
        if (message.type === 'ready') resolve(child);
      });
      child.once('exit', () => resolve(child));
    });
    child.on('message', (message: RunnerMessage) => {
      if (this.#retired.has(child)) return;
      if (message.type === 'reply') {
        const resolve = this.#pending.get(message.requestId);
        this.#pending.delete(message.requestId);
        resolve?.(message);
      } else if (message.type !== 'ready') {
        this.#options.onMessage(message);
      }
    });
    child.on('error', () => {
      // A failed send or spawn; 'exit' follows and drives the restart.
    });
    child.once('exit', (code, signal) => this.#retire(child, { code, signal }));
  }

  /** Fails the child's work, tells the pool, and starts a replacement (after a backoff). */
  #retire(child: ChildProcess, detail: { code: number | null; signal: NodeJS.Signals | null }): void {
    if (this.#retired.has(child)) return;
    this.#retired.add(child);
    for (const [requestId, resolve] of this.#pending) {
      resolve({ type: 'reply', requestId, ok: false, code: 'PLUGIN_UNAVAILABLE', message: 'The plugin runner exited' });
    }
    this.#pending.clear();
    this.#options.onExit(detail);
    if (this.#closing) return;
    // A runner that ran for a while starts again at once; one that keeps dying waits longer.
    this.#quickCrashes = Date.now() - this.#startedAt > 30_000 ? 0 : this.#quickCrashes + 1;
    const delay = this.#quickCrashes <= 1 ? 0 : Math.min(this.#options.restartDelayMs * 2 ** (this.#quickCrashes - 2), this.#options.restartDelayMs * 30);
    this.#ready = new Promise((resolve) =>
      setTimeout(() => {
        if (this.#closing) return resolve(null);
        this.#start();
        void this.#ready.then(resolve);
      }, delay),
    );
  }
}
