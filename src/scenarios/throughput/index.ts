// throughput: requests on each client's own node, closed loop (one in flight per client: the request rate
// and latency the ensemble sustains) or open loop (`rate`: requests at intended starts on a fixed schedule,
// latency from the intended start and service time from the actual start), and the client's and servers'
// CPU per request.
import { countMetric } from '../../measure/metric-info.ts';
import type { OpenLoopSettings } from '../../measure/open-loop.ts';
import { requestTable } from '../../results/request-table.ts';
import type { Workload } from '../../workload/schema.ts';
import type { Scenario } from '../scenario.ts';
import { MAX_IN_FLIGHT_FIELD, OPEN_LOOP_METRICS, RATE_FIELD, RATE_PER_FIELD, REQUEST_METRICS, timeBound } from '../declaration-kit.ts';
import { openLoopOf } from './workload.ts';
import { requestReport } from '../declaration-kit.ts';

export const throughput: Scenario = {
  id: 'throughput',
  summary: 'requests from every client, closed loop or at a rate (open loop): request rate, latency, client and server CPU per request',
  recipes: {
    set: 'setData of the client\'s own node (payload_bytes of data)',
    get: 'getData of the client\'s own node',
  },
  fields: [RATE_FIELD, RATE_PER_FIELD, MAX_IN_FLIGHT_FIELD],
  unit: 'requests',
  mainFigure: 'latency',
  metrics: {
    ...REQUEST_METRICS,
    ...OPEN_LOOP_METRICS,
    server_cpu_per_request: countMetric('µs'),
  },
  check: timeBound('throughput'),
  report: requestReport({ metric: 'server_cpu_per_request', label: 'server CPU per request', unit: 'µs' }),
  table(run) {
    const open = openLoopOf(run.workload);
    const shape = open
      ? `${run.workload.clients} sessions in ${run.workload.workers} process(es), open loop at ${open.rate} requests/s ${open.ratePer === 'client' ? 'per client' : 'in all'}, up to ${open.maxInFlight} requests in flight per client; latency from the intended start`
      : `${run.workload.clients} sessions in ${run.workload.workers} process(es), closed loop`;
    return requestTable(run, shape, { header: 'server µs/req', metric: 'server_cpu_per_request' }, open !== undefined);
  },
  coordinator: () => import('./coordinator.ts'),
  loadSide: () => import('./clients.ts'),
};
