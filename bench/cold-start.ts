// Cold- and warm-start time of the daicho process on embedded PostgreSQL: from spawning the
// launcher to the first 200 from /readyz. Run: `pnpm bench cold-start` (or node bench/cold-start.ts).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { makeDataDir, startDaichoProcess } from '../test/support/daicho-process.ts';
import { describeMachine, median } from './machine.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

async function timeToReady(env: Record<string, string>): Promise<{ ms: number; stop: () => Promise<void> }> {
  const started = performance.now();
  const daicho = await startDaichoProcess(env);
  for (;;) {
    const response = await fetch(`${daicho.url}/readyz`).catch(() => undefined);
    if (response?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const ms = performance.now() - started;
  return {
    ms,
    stop: async () => {
      daicho.child.kill('SIGTERM');
      await daicho.exited;
    },
  };
}

export async function benchColdStart(): Promise<void> {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const dataDir = await makeDataDir();
    const first = await timeToReady({ DAICHO_DATA_DIR: dataDir });
    cold.push(first.ms);
    await first.stop();
    const second = await timeToReady({ DAICHO_DATA_DIR: dataDir });
    warm.push(second.ms);
    await second.stop();
    await rm(path.dirname(dataDir), { recursive: true, force: true });
  }
  const format = (values: number[]) => `median ${Math.round(median(values))} ms (runs: ${values.map((v) => Math.round(v)).join(', ')})`;
  console.log(`machine: ${describeMachine()}`);
  console.log(`cold start (embedded PostgreSQL created, migrations, demo seed) → /readyz 200: ${format(cold)}`);
  console.log(`warm start (existing data folder) → /readyz 200: ${format(warm)}`);
}

if (import.meta.main) await benchColdStart();
