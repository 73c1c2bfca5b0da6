import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, formatValue } from './index.ts';

describe('the Prometheus text format', () => {
  it('writes HELP and TYPE once per family, then one line per series, and leaves empty families out', async () => {
    const registry = createMetricsRegistry();
    const counter = registry.counter('jobs_total', 'Jobs done.');
    registry.gauge('empty_gauge', 'Nothing yet.', () => []);
    registry.gauge('temperature_celsius', 'Line one\nline two \\ end.', async () => [{ labels: { room: 'a' }, value: 21.5 }, { value: -0 }]);
    counter.inc({ queue: 'mail' });
    counter.inc({ queue: 'mail' }, 2);
    counter.inc({ queue: 'web' });
    expect(await registry.render()).toBe([
      '# HELP jobs_total Jobs done.',
      '# TYPE jobs_total counter',
      'jobs_total{queue="mail"} 3',
      'jobs_total{queue="web"} 1',
      '# HELP temperature_celsius Line one\\nline two \\\\ end.',
      '# TYPE temperature_celsius gauge',
      'temperature_celsius{room="a"} 21.5',
      'temperature_celsius 0',
      '',
    ].join('\n'));
  });

  it('escapes backslashes, quotes and line breaks in label values', async () => {
    const registry = createMetricsRegistry();
    registry.counter('odd_total', 'Odd labels.').inc({ route: 'a"b\\c\nd' });
    expect(await registry.render()).toContain('odd_total{route="a\\"b\\\\c\\nd"} 1\n');
  });

  it('keeps histogram buckets cumulative, with +Inf, _sum and _count', async () => {
    const registry = createMetricsRegistry();
    const histogram = registry.histogram('latency_seconds', 'Latency.', [0.5, 0.1, 1]);
    for (const value of [0.05, 0.1, 0.3, 2]) histogram.observe({ route: '/x' }, value);
    expect((await registry.render()).split('\n').filter((line) => !line.startsWith('#'))).toEqual([
      'latency_seconds_bucket{route="/x",le="0.1"} 2',
      'latency_seconds_bucket{route="/x",le="0.5"} 3',
      'latency_seconds_bucket{route="/x",le="1"} 3',
      'latency_seconds_bucket{route="/x",le="+Inf"} 4',
      'latency_seconds_sum{route="/x"} 2.45',
      'latency_seconds_count{route="/x"} 4',
      '',
    ]);
  });

  it('refuses bad names and a name registered twice', () => {
    const registry = createMetricsRegistry();
    expect(() => registry.counter('bad-name', 'x')).toThrow(/bad metric name/);
    registry.counter('twice_total', 'x');
    expect(() => registry.gauge('twice_total', 'x', () => [])).toThrow(/registered twice/);
  });

  it('formats special values as Prometheus reads them', () => {
    expect([Infinity, -Infinity, Number.NaN, 1e-7, 42].map(formatValue)).toEqual(['+Inf', '-Inf', 'NaN', '1e-7', '42']);
  });
});
