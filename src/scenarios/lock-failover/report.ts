// What lock-failover's report shows (report-view.ts): safety through the faults and the paused holder
// (violations beside what fencing refused or let through), recovery, the elections, and acquire latency.
import { LOCK_CHARTS } from '../lock-contention/report.ts';
import { ELECTION_PER_FAULT, distribution, key, scalars, type ReportDeclaration } from '../report-view.ts';

export const lockFailoverReport: ReportDeclaration = {
  keyFigures: [
    key('violations', 'value', 'violations', 'count', true),
    key('fenced_rejections', 'value', 'fenced rejections', 'count'),
    key('stale_writes', 'value', 'stale writes', 'count', true),
    key('recovery.fault', 'max', 'recovery after fault max', 'ms'),
    key('recovery.pause', 'max', 'recovery after pause max', 'ms'),
    key('acquire', 'p99', 'acquire p99', 'ms'),
    key('election_to_leader', 'max', 'election_to_leader max', 'ms'),
    key('election_to_write', 'max', 'election_to_write max', 'ms'),
  ],
  charts: [
    {
      kind: 'per-fault',
      title: 'each fault and the election it caused',
      description:
        'One row per fault of the schedule. election_to_leader: from a fault that took the leader away to a server answering Mode: leader; election_to_write: from that fault to the first acknowledged write. "–": the fault took no leader away.',
      columns: [...ELECTION_PER_FAULT, { header: 'took', unit: 'ms', faultField: 'tookMs' }],
    },
    distribution('recovery.fault', 'recovery after a fault by percentile', 'recovery.fault: from a fault (kill, pause, isolate) to the next acquisition of the lock.'),
    distribution('recovery.pause', 'recovery after the paused holder by percentile', "recovery.pause: from the holder's pause to the next acquisition by another client."),
    ...LOCK_CHARTS.filter((c) => c.kind === 'distribution' && c.metric === 'acquire'),
    scalars('safety and fencing', 'What the guard znode saw of the holders\' fencing tokens over the run.', [
      { metric: 'violations', label: 'violations (overlapping holds)', unit: 'count' },
      { metric: 'guard_writes', label: 'guard writes', unit: 'count' },
      { metric: 'fenced_rejections', label: 'fenced rejections (stale token refused)', unit: 'count' },
      { metric: 'stale_writes', label: 'stale writes let through (no fencing)', unit: 'count' },
      { metric: 'holders_paused', label: 'holders paused', unit: 'count' },
      { metric: 'unrecovered', label: 'unrecovered (no acquisition after a fault or pause)', unit: 'count' },
    ]),
  ],
  timeline: { unit: 'acquisitions', first: true },
};
