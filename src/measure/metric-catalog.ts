// Every figure the suite can report, by name: what rules, thresholds and comparisons may refer to. The
// figures every scenario reports are here; each scenario declares its own (Scenario.metrics), and the
// scenario catalog (scenarios/catalog.ts) hands them down as a FigureVocabulary. A name that is in neither
// is a typo, and a rule that names it must fail loudly rather than pass silently.
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

/** The figures and series (recipes) rules may name: the common figures plus what the scenarios declare. */
export interface FigureVocabulary {
  /** A figure's kind and unit; undefined for a name no scenario reports. */
  info(name: string): MetricInfo | undefined;
  /** Every recipe id any scenario accepts (a rule's selector may name one). */
  readonly recipeIds: readonly string[];
}

/** errors.<ZooKeeper error name>: one per code that occurred. */
const ERROR_BY_CODE = /^errors\.Z[A-Z0-9]+$/;
/** <figure>.<N>: a figure reported once per fault of the schedule (unavailable.1, recovery.2), entry N. */
const PER_FAULT = /^(.+)\.(\d+)$/;

/** The vocabulary of the common figures and of the given scenarios' declarations. */
export function figureVocabulary(scenarios: readonly { metrics: Readonly<Record<string, MetricInfo>>; recipes: Readonly<Record<string, string>> }[]): FigureVocabulary {
  const figures = new Map(Object.entries(COMMON_METRICS));
  // A name two scenarios share keeps the first one's unit (e.g. throughput: acquisitions/s, requests/s).
  for (const s of scenarios) for (const [name, info] of Object.entries(s.metrics)) if (!figures.has(name)) figures.set(name, info);
  return {
    info: (name) => figures.get(name) ?? (ERROR_BY_CODE.test(name) ? countMetric() : figures.get(PER_FAULT.exec(name)?.[1] ?? '')),
    recipeIds: [...new Set(scenarios.flatMap((s) => Object.keys(s.recipes)))],
  };
}

/** Statistics of a distribution row of summary.csv; a scalar has only its value. */
export const DISTRIBUTION_STATS = ['count', 'min', 'p50', 'p90', 'p99', 'p999', 'max', 'mean', 'stdev'] as const;
export type DistributionStat = (typeof DISTRIBUTION_STATS)[number];
export type Stat = DistributionStat | 'value';
