import os from 'node:os';

/** One line describing the machine a benchmark ran on, printed with every result. */
export function describeMachine(): string {
  const cpus = os.cpus();
  return [
    `${cpus[0]?.model.trim() ?? 'unknown CPU'} × ${cpus.length}`,
    `${Math.round(os.totalmem() / 1024 ** 3)} GiB`,
    `${os.type()} ${os.release()} ${os.arch()}`,
    `Node ${process.versions.node}`,
    `load avg ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}`,
  ].join(', ');
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The value below which `fraction` of the values lie (nearest rank); NaN for none. */
export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}
