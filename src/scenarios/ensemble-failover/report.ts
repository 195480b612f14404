// What ensemble-failover's report shows: unavailability per session around each fault, the elections the
// faults caused, the recovery of throughput, and the request latency over the run (report-view.ts).
import { ELECTION_PER_FAULT, distribution, key, scalars, type ReportDeclaration } from '../report-view.ts';

export const failoverReport: ReportDeclaration = {
  keyFigures: [
    key('throughput', 'value', 'throughput', 'requests/s'),
    key('latency', 'p50', 'latency p50', 'ms'),
    key('latency', 'p99', 'latency p99', 'ms'),
    key('election_to_leader', 'max', 'election_to_leader max', 'ms'),
    key('election_to_write', 'max', 'election_to_write max', 'ms'),
    key('connection_losses', 'value', 'connection losses', 'count'),
    key('sessions_expired', 'value', 'sessions expired', 'count'),
    key('lost_writes', 'value', 'lost writes', 'count', true),
  ],
  charts: [
    {
      kind: 'per-fault',
      title: 'each fault: unavailability, recovery and the election it caused',
      description:
        "One row per fault of the schedule. unavailable: per session, its longest time without a successful request in the fault's window (from the fault to the next fault or the window's end); " +
        'recovery: from the fault until throughput stays at or above half its mean over the 2 s before it; election_to_leader: from a fault that took the leader away to a server answering Mode: leader; ' +
        'election_to_write: from that fault to the first write the ensemble acknowledged again. "≥": censored (not seen before the window closed); "–": not a case (the fault took no leader away).',
      columns: [
        { header: 'unavailable p50', unit: 'ms', family: 'unavailable', stat: 'p50' },
        { header: 'unavailable p99', unit: 'ms', family: 'unavailable', stat: 'p99' },
        { header: 'unavailable max', unit: 'ms', family: 'unavailable', stat: 'max' },
        { header: 'recovery', unit: 'ms', family: 'recovery', stat: 'max' },
        ...ELECTION_PER_FAULT,
      ],
    },
    {
      kind: 'per-session',
      title: 'unavailability per session, per fault',
      family: 'unavailable',
      unit: 'ms',
      description:
        "One dot per session: its longest time without a successful request in the fault's window. Sessions on the faulted server wait for a reconnect (a few ms to the session timeout); the others for the election when the leader went.",
    },
    distribution('latency', 'request latency by percentile', 'From the call to the answer of each read (getData) and conditional write (setData) over the measured window, faults included.'),
    scalars('run totals', 'Counted over the measured window.', [
      { metric: 'throughput', label: 'requests/s', unit: 'requests/s' },
      { metric: 'acknowledged_writes', label: 'acknowledged writes', unit: 'count' },
      { metric: 'lost_writes', label: 'lost writes (acknowledged values missing afterwards; must be 0)', unit: 'count' },
      { metric: 'unknown_writes', label: 'unknown writes (outcome not known: connection lost in flight)', unit: 'count' },
      { metric: 'connection_losses', label: 'connection losses', unit: 'count' },
      { metric: 'failed_ops', label: 'failed requests', unit: 'count' },
      { metric: 'sessions_expired', label: 'sessions expired', unit: 'count' },
    ]),
  ],
  timeline: { unit: 'requests', first: true },
};
