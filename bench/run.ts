// `pnpm bench [name…]`: runs the named benchmarks (all when none is named) and prints figures.
import { benchAutomation } from './automation.ts';
import { benchBackup } from './backup.ts';
import { benchBusinessTime } from './business-time.ts';
import { benchColdStart } from './cold-start.ts';
import { benchDataEngine } from './data-engine/bench-data-engine.ts';
import { benchDbRestart } from './faults/db-restart.ts';
import { benchPluginHooks } from './plugin-hooks.ts';
import { benchPluginSandbox } from './plugin-sandbox.ts';
import { benchScaleOut } from './scale-out.ts';
import { benchEscalations } from './escalations.ts';

const benchmarks: Record<string, () => Promise<void>> = {
  'cold-start': benchColdStart,
  'data-engine': benchDataEngine,
  'business-time': benchBusinessTime,
  automation: benchAutomation,
  backup: benchBackup,
  'db-restart': benchDbRestart,
  'plugin-hooks': benchPluginHooks,
  'plugin-sandbox': benchPluginSandbox,
  'scale-out': benchScaleOut,
  escalations: benchEscalations,
};

const names = process.argv.slice(2);
for (const name of names.length > 0 ? names : Object.keys(benchmarks)) {
  const bench = benchmarks[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(benchmarks).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n## ${name}`);
  await bench();
}
