// What lock-contention's report shows (report-view.ts): acquire and hand-off latency, what each acquisition
// cost in requests and watch events (the herd effect), fairness, and safety.
import { distribution, key, scalars, type ChartDeclaration, type KeyFigure, type ReportDeclaration } from '../report-view.ts';

export const LOCK_KEY_FIGURES: KeyFigure[] = [
  key('acquire', 'p50', 'acquire p50', 'ms'),
  key('acquire', 'p99', 'acquire p99', 'ms'),
  key('latency', 'p99', 'latency p99 (open loop)', 'ms'),
  key('handoff', 'p50', 'hand-off p50', 'ms'),
  key('throughput', 'value', 'throughput', 'acquisitions/s'),
  key('notifications_per_acquire', 'value', 'notifications per acquire', 'events'),
  key('violations', 'value', 'violations', 'count', true),
];

export const LOCK_CHARTS: ChartDeclaration[] = [
  distribution('acquire', 'acquire latency by percentile', 'acquire: from the call to acquire() to the lock held, per acquisition of the measured window.'),
  distribution('latency', 'open-loop latency by percentile', 'latency (open loop): from the intended start of each attempt (its place in the rate schedule) to the lock held; includes the wait for a free slot.'),
  distribution('handoff', 'hand-off latency by percentile', "handoff: from a holder's release() to the next waiting holder's held moment: the lock's own cost, without the queue."),
  distribution(
    'first_acquisition',
    'first acquisition per client by percentile',
    "first_acquisition: per client, from the measured window's start to its first acquisition in it; a client that never acquired is censored at the window's length.",
  ),
  scalars('cost and fairness per recipe', 'Per acquisition over the measured window, and how evenly the clients were served.', [
    { metric: 'throughput', label: 'throughput', unit: 'acquisitions/s' },
    { metric: 'notifications_per_acquire', label: 'watch events per acquisition (≈1: only the next waiter wakes; ≈clients: herd effect)', unit: 'events/acquisition' },
    { metric: 'zk_ops_per_acquire', label: 'ZooKeeper requests per acquisition', unit: 'requests/acquisition' },
    { metric: 'fairness_jain', label: "Jain's fairness index over the clients' acquisitions (1: even)", unit: 'index' },
    { metric: 'fifo_inversions', label: 'FIFO inversions (a later waiter served first)', unit: 'pairs' },
    { metric: 'violations', label: 'violations (holds that began while another held the lock; must be 0)', unit: 'count' },
    { metric: 'timeouts', label: 'timeouts', unit: 'count' },
  ]),
];

export const lockReport: ReportDeclaration = { keyFigures: LOCK_KEY_FIGURES, charts: LOCK_CHARTS, timeline: { unit: 'acquisitions' } };
