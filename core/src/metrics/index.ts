// Metrics: a small Prometheus text-format registry (counters, histograms, gauges read at scrape
// time) and the platform's own metrics: HTTP by route template, database pool, process memory and
// event-loop delay, and the backlog of background work. Labels never carry personal data.
export { createMetricsRegistry, formatValue, PROMETHEUS_CONTENT_TYPE } from './metrics-registry.ts';
export type { Counter, GaugeSample, Histogram, Labels, MetricsRegistry } from './metrics-registry.ts';
export { createPlatformMetrics, LATENCY_BUCKETS, readBacklog } from './platform-metrics.ts';
export type { Backlog, ObservedRequest, PlatformMetrics, PlatformMetricsOptions } from './platform-metrics.ts';
