// Pieces scenarios share in their declarations (index.ts).
import { countMetric, latencyMetric, type MetricInfo } from '../measure/metric-info.ts';
import type { Scenario } from './scenario.ts';

/** A check for scenarios that run for a time, not for a number of operations per client. */
export function timeBound(id: string): NonNullable<Scenario['check']> {
  return (w, issues) => {
    if (w.durationS === undefined) issues.error(`the ${id} scenario is time-bound: set "duration_s" (not "acquisitions")`);
  };
}

/** The figures of a scenario that times single requests (throughput, primitives). */
export const REQUEST_METRICS: Readonly<Record<string, MetricInfo>> = {
  latency: latencyMetric(),
  throughput: countMetric('requests/s'),
  requests: countMetric(),
  client_cpu_per_request: countMetric('µs'),
};
