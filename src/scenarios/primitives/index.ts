// primitives: single requests on one session, one at a time (tinybench): the floor recipe costs are read
// against. Runs in the coordinating process: one session needs no load processes.
import { countMetric } from '../../measure/metric-info.ts';
import { requestTable } from '../../results/request-table.ts';
import type { Scenario } from '../scenario.ts';
import { REQUEST_METRICS, timeBound } from '../declaration-kit.ts';
import { PRIMITIVE_OPS } from './ops.ts';
import { requestReport } from '../declaration-kit.ts';

const WHAT: Record<(typeof PRIMITIVE_OPS)[number], string> = {
  create: 'create of a persistent sequential node',
  get: 'getData of one node',
  set: 'setData of one node (payload_bytes of data)',
  exists: 'exists of one node',
  getChildren: 'getChildren of a node',
  delete: 'delete of a node made for it',
  sync: 'sync of one node',
};

export const primitives: Scenario = {
  id: 'primitives',
  summary: 'single requests on one session, one at a time (tinybench): the floor recipe costs are read against',
  recipes: WHAT,
  fields: [],
  unit: 'requests',
  mainFigure: 'latency',
  metrics: {
    ...REQUEST_METRICS,
    // tinybench's relative margin of error of the mean latency
    rme: countMetric('%'),
  },
  check: (w, issues) => {
    timeBound('primitives')(w, issues);
    if (w.faults.length > 0) {
      issues.error('field "faults": primitives times one request at a time with tinybench, which stops at the first failed request; fault a lock-contention or throughput workload instead');
    }
  },
  loadProcesses: () => 0,
  report: requestReport({ metric: 'rme', label: 'relative margin of error of the mean', unit: '%' }),
  table: (run) => requestTable(run, 'one session, one request at a time (tinybench)', { header: 'rme %', metric: 'rme' }),
  coordinator: () => import('./coordinator.ts'),
};
