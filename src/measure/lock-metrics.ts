// The lock family's figures (SPEC §2) from what every load process reported, merged: one place that
// turns raw holds, histograms and counters into the numbers the suite prints.
import type { DriverHealth } from './driver-health.ts';
import { driverMetrics } from './driver-metrics.ts';
import { mergeEncoded, newLatencyHistogram, recordNs } from './histogram.ts';
import { pairBoundNs } from './clock-offset.ts';
import { classifyOverlaps, fifoInversions, handoffTimes, jainIndex, type HoldRecord, type Violation } from './hold-intervals.ts';
import type { LockWorkerReport } from './lock-recorder.ts';
import { inWindow, type MeasuredWindow } from './measured-window.ts';
import { distribution, scalar, type Metric, errorMetrics } from './metrics.ts';
import { OP_KINDS, WRITE_OPS, type SessionCounters } from '../zk/session.ts';

export interface LockMeasurement extends MeasuredWindow {
  reports: readonly LockWorkerReport[];
  /**
   * Requests and notifications of all sessions over the recipe's whole run (warm-up included); undefined
   * when the clients' requests were not counted (an external driver's library): those figures are then not measured.
   */
  counters: SessionCounters | undefined;
  health: readonly DriverHealth[];
  sessionsExpired: number;
  /**
   * Per report, the error bound of its process's clock against the coordinator's (remote workers); absent
   * or 0 on one host. Overlaps between two processes within their bounds added are undecidable.
   */
  clockBoundsNs?: readonly number[];
}

export interface LockOutcome {
  metrics: Metric[];
  violations: Violation[];
  driverSaturated: boolean;
  windowS: number;
}

export function lockMetrics(m: LockMeasurement): LockOutcome {
  const bounds = m.clockBoundsNs;
  const allHolds: HoldRecord[] = bounds ? m.reports.flatMap((r, i) => r.holds.map((h) => ({ ...h, process: i }))) : m.reports.flatMap((r) => r.holds);
  const measured = allHolds.filter((h) => inWindow(h.tHeld, m));
  const timeBound = m.stopAt !== undefined;
  // In acquisitions mode the window has no set end: the last measured acquisition ends it.
  const windowEnd = m.stopAt ?? measured.reduce((end, h) => Math.max(end, h.tHeld), m.measureFrom);
  const windowS = (windowEnd - m.measureFrom) / 1e9;

  const acquire = mergeEncoded(m.reports.map((r) => r.acquire));
  const handoff = newLatencyHistogram();
  for (const ns of handoffTimes(measured)) recordNs(handoff, ns);

  // Safety is checked over every hold, warm-up included: an overlap is a violation whenever it happens.
  const overlaps = classifyOverlaps(allHolds, (a, b) =>
    bounds ? pairBoundNs(bounds[a.process ?? 0] ?? 0, bounds[b.process ?? 0] ?? 0, a.process === b.process) : 0,
  );
  const violations = overlaps.violations;

  const perClient = new Map<number, number>();
  for (const r of m.reports) for (const [c, n] of Object.entries(r.perClient)) perClient.set(Number(c), n);

  const c = m.counters;
  const requests = c ? OP_KINDS.reduce((sum, k) => sum + c.requests[k], 0) : Number.NaN;
  const writes = c ? OP_KINDS.filter((k) => WRITE_OPS.has(k)).reduce((sum, k) => sum + c.requests[k], 0) : Number.NaN;
  const perAcquire = (n: number): number => (allHolds.length > 0 ? n / allHolds.length : Number.NaN);

  const driver = driverMetrics(m.health);

  const metrics: Metric[] = [
    distribution('acquire', acquire),
    distribution('handoff', handoff),
    scalar('throughput', 'acquisitions/s', windowS > 0 ? measured.length / windowS : Number.NaN),
    scalar('acquisitions', 'count', measured.length),
    scalar('zk_ops_per_acquire', 'requests/acquisition', perAcquire(requests)),
    scalar('zk_ops_per_acquire.reads', 'requests/acquisition', perAcquire(requests - writes)),
    scalar('zk_ops_per_acquire.writes', 'requests/acquisition', perAcquire(writes)),
    scalar('zk_ops_per_acquire.watches', 'watches/acquisition', perAcquire(c?.watchesSet ?? Number.NaN)),
    scalar('notifications_per_acquire', 'events/acquisition', perAcquire(c?.notifications ?? Number.NaN)),
    // With a set number of acquisitions per client every client gets the same share by construction:
    // the fairness figures mean something only when the run is bound by time.
    scalar('fairness_jain', 'index', timeBound ? (jainIndex([...perClient.values()]) ?? Number.NaN) : Number.NaN),
    scalar('clients_without_acquisition', 'count', timeBound ? [...perClient.values()].filter((n) => n === 0).length : Number.NaN),
    scalar('fifo_inversions', 'pairs', fifoInversions(measured)),
    scalar('violations', 'count', violations.length),
    scalar('undecidable', 'count', overlaps.undecidable.length),
    scalar('timeouts', 'count', m.reports.reduce((s, r) => s + r.timeouts, 0)),
    scalar('abandoned', 'count', m.reports.reduce((s, r) => s + r.abandoned, 0)),
    // acquire covers completed acquisitions only; these waits were still open when the run stopped.
    scalar('waiting_at_end', 'count', m.reports.reduce((s, r) => s + r.waitingAtEnd, 0)),
    ...errorMetrics(m.reports),
    scalar('sessions_expired', 'count', m.sessionsExpired),
    ...driver.metrics,
  ];
  return { metrics, violations, driverSaturated: driver.saturated, windowS };
}
