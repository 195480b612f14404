// Pieces scenarios share in their declarations (index.ts).
import { countMetric, latencyMetric, type MetricInfo } from '../measure/metric-info.ts';
import { RATE_PER } from '../measure/open-loop.ts';
import type { FieldSpec } from '../workload/schema.ts';
import type { Scenario } from './scenario.ts';
import { distribution, key, scalars, type ChartDeclaration, type ReportDeclaration } from './report-view.ts';

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

/**
 * Open-loop load (measure/open-loop.ts): the fields of a scenario whose clients may send at a rate. Shared
 * declarations, so every scenario that has them declares them identically (the registry's rule).
 */
export const RATE_FIELD: FieldSpec = {
  key: 'rate',
  prop: 'rate',
  type: { kind: 'number', min: 0 },
  default: 0,
  help: 'open loop: operations per second (total or per client, see rate_per), each sent at its intended start; 0: closed loop, one in flight per client',
};
export const RATE_PER_FIELD: FieldSpec = {
  key: 'rate_per',
  prop: 'ratePer',
  type: { kind: 'enum', values: RATE_PER },
  default: 'total',
  help: 'open loop: `rate` is for the whole run (spread evenly over the clients) or for each client',
};
export const MAX_IN_FLIGHT_FIELD: FieldSpec = {
  key: 'max_in_flight',
  prop: 'maxInFlight',
  type: { kind: 'integer', min: 1, max: 10_000 },
  default: 8,
  help: 'open loop: unanswered requests one client may have (pipelined on its session); beyond it due requests wait, counted as late starts',
};

/** The figures of an open-loop run, beside `latency` (from the intended start). */
export const OPEN_LOOP_METRICS: Readonly<Record<string, MetricInfo>> = {
  service_time: latencyMetric(),
  target_rate: countMetric('ops/s'),
  achieved_rate: countMetric('ops/s'),
  late_starts: countMetric(),
  'late_starts.waited': countMetric(),
  dropped: countMetric(),
  in_flight_max: countMetric(),
  rate_unsustained: countMetric('flag'),
};

/** The report of the request scenarios (throughput, primitives; report-view.ts): request latency and rate. */
export function requestReport(extra: { metric: string; label: string; unit: string }): ReportDeclaration {
  const charts: ChartDeclaration[] = [
    distribution('latency', 'request latency by percentile', 'latency: from the call to the answer of each request (from its intended start in an open-loop run), one line per request kind.'),
    distribution('service_time', 'service time by percentile', 'service_time (open loop): from the send of each request to its answer, without the wait for its turn.'),
    scalars('rate and cost', 'Over the measured window, per request kind.', [
      { metric: 'throughput', label: 'requests per second', unit: 'requests/s' },
      { metric: 'requests', label: 'requests', unit: 'count' },
      { metric: 'client_cpu_per_request', label: 'client CPU per request', unit: 'µs' },
      extra,
    ]),
  ];
  return {
    keyFigures: [
      key('latency', 'p50', 'latency p50', 'ms'),
      key('latency', 'p99', 'latency p99', 'ms'),
      key('service_time', 'p99', 'service time p99', 'ms'),
      key('throughput', 'value', 'throughput', 'requests/s'),
      key(extra.metric, 'value', extra.label, extra.unit),
    ],
    charts,
    timeline: { unit: 'requests' },
  };
}
