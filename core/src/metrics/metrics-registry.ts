/** Label names and values of one series. Values must never carry personal data or ids. */
export type Labels = Readonly<Record<string, string>>;

/** One value of a gauge, read when metrics are rendered. */
export interface GaugeSample {
  labels?: Labels;
  value: number;
}

export interface Counter {
  inc(labels: Labels, by?: number): void;
}

export interface Histogram {
  observe(labels: Labels, value: number): void;
}

/** Metrics of one process, written in the Prometheus text exposition format (version 0.0.4). */
export interface MetricsRegistry {
  counter(name: string, help: string): Counter;
  histogram(name: string, help: string, buckets: readonly number[]): Histogram;
  /** A gauge whose samples `collect` reads at render time; no samples: the metric is left out. */
  gauge(name: string, help: string, collect: () => GaugeSample[] | Promise<GaugeSample[]>): void;
  /** The exposition text; gauges are collected in the order they were registered. */
  render(): Promise<string>;
}

/** The Content-Type of {@link MetricsRegistry.render}'s text. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeHelp(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
}

function escapeLabelValue(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

/** A number as Prometheus reads it: integers and decimals as they are, +Inf, -Inf, NaN. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function labelText(labels: Labels | undefined): string {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return '';
  for (const [name] of entries) if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new Error(`bad label name ${name}`);
  return `{${entries.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
}

/** A stable key of a label set (its names sorted). */
function keyOf(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  lines(): Promise<string[]>;
}

export function createMetricsRegistry(): MetricsRegistry {
  const families: Family[] = [];
  const add = (family: Family) => {
    if (!METRIC_NAME.test(family.name)) throw new Error(`bad metric name ${family.name}`);
    if (families.some((other) => other.name === family.name)) throw new Error(`metric ${family.name} registered twice`);
    families.push(family);
  };
  return {
    counter(name, help) {
      const series = new Map<string, { labels: Labels; value: number }>();
      add({
        name, help, type: 'counter',
        lines: async () => [...series.values()].map((entry) => `${name}${labelText(entry.labels)} ${formatValue(entry.value)}`),
      });
      return {
        inc(labels, by = 1) {
          const key = keyOf(labels);
          const entry = series.get(key);
          if (entry) entry.value += by;
          else series.set(key, { labels: { ...labels }, value: by });
        },
      };
    },
    histogram(name, help, buckets) {
      const bounds = [...buckets].sort((a, b) => a - b);
      const series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
      add({
        name, help, type: 'histogram',
        lines: async () => [...series.values()].flatMap((entry) => {
          const lines: string[] = [];
          let cumulative = 0;
          bounds.forEach((bound, index) => {
            cumulative += entry.counts[index]!;
            lines.push(`${name}_bucket${labelText({ ...entry.labels, le: formatValue(bound) })} ${cumulative}`);
          });
          lines.push(`${name}_bucket${labelText({ ...entry.labels, le: '+Inf' })} ${entry.count}`);
          lines.push(`${name}_sum${labelText(entry.labels)} ${formatValue(entry.sum)}`);
          lines.push(`${name}_count${labelText(entry.labels)} ${entry.count}`);
          return lines;
        }),
      });
      return {
        observe(labels, value) {
          const key = keyOf(labels);
          let entry = series.get(key);
          if (!entry) {
            entry = { labels: { ...labels }, counts: bounds.map(() => 0), sum: 0, count: 0 };
            series.set(key, entry);
          }
          const index = bounds.findIndex((bound) => value <= bound);
          if (index >= 0) entry.counts[index]! += 1;
          entry.sum += value;
          entry.count += 1;
        },
      };
    },
    gauge(name, help, collect) {
      add({
        name, help, type: 'gauge',
        lines: async () => (await collect()).map((sample) => `${name}${labelText(sample.labels)} ${formatValue(sample.value)}`),
      });
    },
    async render() {
      const out: string[] = [];
      for (const family of families) {
        const lines = await family.lines();
        if (lines.length === 0) continue;
        out.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`, ...lines);
      }
      return out.length === 0 ? '' : `${out.join('\n')}\n`;
    },
  };
}
