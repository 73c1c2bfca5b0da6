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

export class RunnerProcess {
  readonly #options: RunnerProcessOptions;
  #child: ChildProcess | null = null;
  #ready: Promise<ChildProcess> | null = null;
  #closing = false;
  #quickCrashes = 0;
  #startedAt = 0;
  #nextRequestId = 1;
  readonly #pending = new Map<number, (reply: RunnerReply) => void>();

  constructor(options: RunnerProcessOptions) {
    this.#options = options;
    this.#start();
  }

  /** The child's pid while it runs (tests kill it to prove supervision). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Sends once the child is ready; false when the pool is closing. */
  async send(message: ParentMessage): Promise<boolean> {
    const child = await this.#ready;
    if (!child || this.#closing || !child.connected) return false;
    child.send(message);
    return true;
  }

  /** Sends a request and waits for its reply; a child that exits first answers PLUGIN_UNAVAILABLE. */
  async request(message: DistributiveOmit<RunnerRequest, 'requestId'>): Promise<RunnerReply> {
    const requestId = this.#nextRequestId++;
    const reply = new Promise<RunnerReply>((resolve) => this.#pending.set(requestId, resolve));
    if (!(await this.send({ ...message, requestId } as RunnerRequest))) {
      this.#pending.delete(requestId);
      return { type: 'reply', requestId, ok: false, code: 'PLUGIN_UNAVAILABLE', message: 'The plugin runner is stopping' };
    }
    return reply;
  }

  /** Kills the child now (it is restarted unless the pool is closing). */
  kill(): void {
    this.#child?.kill('SIGKILL');
  }

  async close(): Promise<void> {
    this.#closing = true;
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
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child = child;
    this.#startedAt = Date.now();
    this.#ready = new Promise((resolve) => {
      const onReady = (message: RunnerMessage) => {
        if (message.type === 'ready') resolve(child);
      };
      child.on('message', onReady);
      child.once('exit', () => resolve(child));
    });
    child.on('message', (message: RunnerMessage) => {
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
    child.once('exit', (code, signal) => {
      for (const [requestId, resolve] of this.#pending) {
        resolve({ type: 'reply', requestId, ok: false, code: 'PLUGIN_UNAVAILABLE', message: 'The plugin runner exited' });
      }
      this.#pending.clear();
      this.#options.onExit({ code, signal });
      if (this.#closing) return;
      // A runner that ran for a while starts again at once; one that keeps dying waits longer.
      this.#quickCrashes = Date.now() - this.#startedAt > 30_000 ? 0 : this.#quickCrashes + 1;
      const delay = this.#quickCrashes <= 1 ? 0 : Math.min(this.#options.restartDelayMs * 2 ** (this.#quickCrashes - 2), this.#options.restartDelayMs * 30);
      this.#ready = new Promise((resolve) =>
        setTimeout(() => {
          if (this.#closing) return resolve(child);
          this.#start();
          void this.#ready!.then(resolve);
        }, delay),
      );
    });
  }
}
