// The table of the scenarios that time single requests (throughput, primitives): one row per request kind.
// An open-loop run adds the service time (from the actual start) beside the latency (from the intended
// start) and the pacing figures; `!` marks a rate not held.
import { scalarValue } from '../measure/metrics.ts';
import type { RunRecord } from './run-record.ts';
import type { ScenarioTable } from './table-format.ts';
import { dist, fmt } from './table-format.ts';

/** `lastColumn`: the figure beside client CPU (the servers' CPU per request, or tinybench's margin of error). */
export function requestTable(run: RunRecord, shape: string, lastColumn: { header: string; metric: string }, openLoop = false): ScenarioTable {
  const header = [
    'request', 'requests/s', 'latency p50', 'p99', 'max',
    ...(openLoop ? ['service p50', 'p99', 'max', 'achieved/s', 'late', 'dropped'] : []),
    'client µs/req', lastColumn.header, 'errors',
  ];
  const rows = run.recipes.map((r) => {
    const l = dist(r.metrics, 'latency');
    const s = dist(r.metrics, 'service_time');
    const v = (name: string) => scalarValue(r.metrics, name);
    return [
      `${r.recipe}${r.driverSaturated ? ' *' : ''}${v('rate_unsustained') === 1 ? ' !' : ''}`,
      fmt(v('throughput'), 5), fmt(l?.p50), fmt(l?.p99), fmt(l?.max),
      ...(openLoop ? [fmt(s?.p50), fmt(s?.p99), fmt(s?.max), fmt(v('achieved_rate'), 5), fmt(v('late_starts')), fmt(v('dropped'))] : []),
      fmt(v('client_cpu_per_request')), fmt(v(lastColumn.metric)), fmt(v('errors')),
    ];
  });
  const notes = [`latencies in ms; workload ${run.workload.name}, ${shape}, ${run.ensemble.servers} server(s) (${run.ensemble.kind})`];
  return { header, rows, notes };
}
