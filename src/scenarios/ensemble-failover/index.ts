// ensemble-failover: writers (a counter node each, incremented by conditional setData) and readers on a
// mixed closed-loop load while the workload's faults hit the ensemble. Figures per fault: every session's
// unavailability around it and the throughput's recovery; over the run: connection losses, failed requests
// by code, expired sessions, and lost_writes (acknowledged counter values missing afterwards; must be 0).
// The declaration; the sides load when a run starts.
import { countMetric, latencyMetric } from '../../measure/metric-info.ts';
import type { Workload } from '../../workload/schema.ts';
import { REQUEST_METRICS, timeBound } from '../declaration-kit.ts';
import type { Scenario } from '../scenario.ts';
import { failoverTable } from './table.ts';
import { failoverReport } from './report.ts';

export const ensembleFailover: Scenario = {
  id: 'ensemble-failover',
  summary: "writers and readers on a closed loop through the workload's server faults: unavailability per session and fault, recovery, lost writes",
  recipes: {
    mixed: 'writers increment their own counter (conditional setData), readers getData theirs; one request in flight per session',
  },
  fields: [
    { key: 'write_percent', prop: 'writePercent', type: { kind: 'integer', min: 0, max: 100 }, default: 50, help: 'share of the sessions that write (the others read), percent' },
  ],
  unit: 'requests',
  mainFigure: 'latency',
  metrics: {
    ...REQUEST_METRICS,
    // unavailable.<fault entry> and recovery.<fault entry>, one per fault of the schedule; errors.<CODE>.
    unavailable: latencyMetric(),
    recovery: latencyMetric(),
    lost_writes: countMetric(),
    unknown_writes: countMetric(),
    acknowledged_writes: countMetric(),
    connection_losses: countMetric(),
    failed_ops: countMetric(),
    sessions_expired: countMetric(),
    session_replacements_failed: countMetric(),
  },
  check: (w, issues) => {
    timeBound('ensemble-failover')(w, issues);
    if (w.faults.length === 0) issues.warn('ensemble-failover without `faults` measures no failover: only the steady load');
  },
  report: failoverReport,
  table: failoverTable,
  coordinator: () => import('./coordinator.ts'),
  loadSide: () => import('./clients.ts'),
};
