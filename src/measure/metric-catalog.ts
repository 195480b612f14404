// Every figure the suite can report, by name: what rules, thresholds and comparisons may refer to.
// A name that is not here is a typo, and a rule that names it must fail loudly rather than pass silently.

export type MetricKind = 'distribution' | 'scalar';

export interface MetricInfo {
  kind: MetricKind;
  unit: string;
}

const latency = (): MetricInfo => ({ kind: 'distribution', unit: 'ms' });
const count = (unit = 'count'): MetricInfo => ({ kind: 'scalar', unit });

export const METRICS: Readonly<Record<string, MetricInfo>> = {
  acquire: latency(),
  handoff: latency(),
  throughput: count('acquisitions/s'),
  acquisitions: count(),
  zk_ops_per_acquire: count('requests/acquisition'),
  'zk_ops_per_acquire.reads': count('requests/acquisition'),
  'zk_ops_per_acquire.writes': count('requests/acquisition'),
  'zk_ops_per_acquire.watches': count('watches/acquisition'),
  notifications_per_acquire: count('events/acquisition'),
  fairness_jain: count('index'),
  clients_without_acquisition: count(),
  fifo_inversions: count('pairs'),
  violations: count(),
  timeouts: count(),
  abandoned: count(),
  waiting_at_end: count(),
  errors: count(),
  sessions_expired: count(),
  // throughput scenario
  latency: latency(),
  requests: count(),
  client_cpu_per_request: count('µs'),
  server_cpu_per_request: count('µs'),
  // primitives: tinybench's relative margin of error of the mean latency
  rme: count('%'),
  // every scenario: the servers' own mean and largest request latency over the measured window (mntr)
  server_latency: count('ms'),
  server_latency_max: count('ms'),
  'driver.event_loop_delay_p50': count('ms'),
  'driver.event_loop_delay_p99': count('ms'),
  'driver.event_loop_delay_max': count('ms'),
  'driver.cpu': count('% of one core'),
  'driver.saturated': count('flag'),
};

/** errors.<ZooKeeper error name>: one per code that occurred. */
const ERROR_BY_CODE = /^errors\.Z[A-Z0-9]+$/;

export function metricInfo(name: string): MetricInfo | undefined {
  return METRICS[name] ?? (ERROR_BY_CODE.test(name) ? count() : undefined);
}

/** Statistics of a distribution row of summary.csv; a scalar has only its value. */
export const DISTRIBUTION_STATS = ['count', 'min', 'p50', 'p90', 'p99', 'p999', 'max', 'mean', 'stdev'] as const;
export type DistributionStat = (typeof DISTRIBUTION_STATS)[number];
export type Stat = DistributionStat | 'value';
