import { readFileSync } from 'node:fs';
import { isSafePattern } from 'redos-detector';
const p = readFileSync('/tmp/oom-pattern.txt', 'utf8').trim();
for (const variant of [p, `^(?:${p})$`]) {
  for (const steps of [100, 500, 1000, 2000]) {
    const t = performance.now(); const r = isSafePattern(variant, { unicode: true, maxSteps: steps, timeout: 2000 });
    console.log(variant === p ? 'raw' : 'anch', steps, r.safe, r.error, r.trails.length, (performance.now() - t).toFixed(0), (process.memoryUsage().heapUsed / 1e6).toFixed(0));
  }
}
