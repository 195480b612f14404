// Every figure the suite can report, by name: what rules, thresholds and comparisons may refer to. The
// figures every scenario reports are here; each scenario declares its own (Scenario.metrics). A name that
// is in neither is a typo, and a rule that names it must fail loudly rather than pass silently.
import { SCENARIOS } from '../scenarios/registry.ts';
import { countMetric, latencyMetric, type MetricInfo } from './metric-info.ts';

export type { MetricInfo, MetricKind } from './metric-info.ts';

/** Figures of every scenario: failures, the servers' view of the window, and the driver's health. */
export const COMMON_METRICS: Readonly<Record<string, MetricInfo>> = {
  errors: countMetric(),
  sessions_expired: countMetric(),
  // the servers' own mean and largest request latency over the measured window (mntr)
  server_latency: countMetric('ms'),
  server_latency_max: countMetric('ms'),
  'driver.event_loop_delay_p50': countMetric('ms'),
  'driver.event_loop_delay_p99': countMetric('ms'),
  'driver.event_loop_delay_max': countMetric('ms'),
  'driver.cpu': countMetric('% of one core'),
  'driver.saturated': countMetric('flag'),
  // a workload's faults (election-metrics.ts): one sample per fault that changed the leader
  election_to_leader: latencyMetric(),
  election_to_write: latencyMetric(),
  // remote workers: the largest error of a difference of two timestamps taken on two workers (clock offsets' bounds added)
  clock_bound: countMetric('ms'),
};

let catalog: Map<string, MetricInfo> | undefined;

/** The common figures and every scenario's; built on first use (the registry imports scenarios that import measure/). */
function metrics(): Map<string, MetricInfo> {
  if (!catalog) {
    catalog = new Map(Object.entries(COMMON_METRICS));
    // A name two scenarios share keeps the first one's unit (e.g. throughput: acquisitions/s, requests/s).
    for (const s of SCENARIOS) for (const [name, info] of Object.entries(s.metrics)) if (!catalog.has(name)) catalog.set(name, info);
  }
  return catalog;
}

/** errors.<ZooKeeper error name>: one per code that occurred. */
const ERROR_BY_CODE = /^errors\.Z[A-Z0-9]+$/;

export function metricInfo(name: string): MetricInfo | undefined {
  return metrics().get(name) ?? (ERROR_BY_CODE.test(name) ? countMetric() : undefined);
}

/** Statistics of a distribution row of summary.csv; a scalar has only its value. */
export const DISTRIBUTION_STATS = ['count', 'min', 'p50', 'p90', 'p99', 'p999', 'max', 'mean', 'stdev'] as const;
export type DistributionStat = (typeof DISTRIBUTION_STATS)[number];
export type Stat = DistributionStat | 'value';
