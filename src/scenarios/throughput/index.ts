// throughput: every client keeps one request in flight on its own node (closed loop): the request rate and
// latency the ensemble sustains, and the client's and servers' CPU per request.
import { countMetric } from '../../measure/metric-info.ts';
import { requestTable } from '../../results/request-table.ts';
import type { Scenario } from '../scenario.ts';
import { REQUEST_METRICS, timeBound } from '../declaration-kit.ts';

export const throughput: Scenario = {
  id: 'throughput',
  summary: 'closed-loop requests from every client: request rate, latency, client and server CPU per request',
  recipes: {
    set: 'setData of the client\'s own node (payload_bytes of data), one in flight per client',
    get: 'getData of the client\'s own node, one in flight per client',
  },
  fields: [],
  unit: 'requests',
  metrics: {
    ...REQUEST_METRICS,
    server_cpu_per_request: countMetric('µs'),
  },
  check: timeBound('throughput'),
  table: (run) =>
    requestTable(run, `${run.workload.clients} sessions in ${run.workload.workers} process(es), closed loop`, {
      header: 'server µs/req',
      metric: 'server_cpu_per_request',
    }),
  coordinator: () => import('./coordinator.ts'),
  loadSide: () => import('./clients.ts'),
};
