// The lock family's figures (SPEC §2) from what every load process reported, merged: one place that
// turns raw holds, histograms and counters into the numbers the suite prints.
import type { DriverHealth } from './driver-health.ts';
import { driverMetrics } from './driver-metrics.ts';
import { mergeEncoded, newLatencyHistogram, recordNs } from './histogram.ts';
import { pairBoundNs } from './clock-offset.ts';
import { classifyOverlaps, fifoInversions, handoffTimes, jainIndex, type HoldRecord, type Violation } from './hold-intervals.ts';
import type { LockWorkerReport } from './lock-recorder.ts';
import { inWindow, type MeasuredWindow } from './measured-window.ts';
import { distribution, scalar, scalarOr, unmeasured, type Metric, errorMetrics } from './metrics.ts';
import { timeToEventMetric } from './time-to-event.ts';
import { OP_KINDS, WRITE_OPS, type SessionCounters } from './request-counts.ts';

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
  /** undefined: unknown (a load process's health was not measured; see run.json's notMeasured). */
  driverSaturated: boolean | undefined;
  windowS: number;
}

/**
 * first_acquisition: per client, from the measured window's start to its first hold in the window; a client
 * that held nothing in it is a censored case at the window's length (SPEC §2, censored observations), so a
 * starved client shows in the figure rather than in none. Time-bound runs only (a window with an end).
 */
export function firstAcquisitionMetric(measured: readonly HoldRecord[], clients: readonly number[], measureFrom: number, stopAt: number): Metric | undefined {
  const first = new Map<number, number>();
  for (const h of measured) first.set(h.client, Math.min(first.get(h.client) ?? Infinity, h.tHeld));
  const windowNs = stopAt - measureFrom;
  return timeToEventMetric(
    'first_acquisition',
    clients.map((c) => {
      const at = first.get(c);
      return at === undefined ? { ns: windowNs, censored: true, windowNs } : { ns: at - measureFrom, censored: false, windowNs };
    }),
  );
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
  const firstAcquisition = timeBound ? firstAcquisitionMetric(measured, [...perClient.keys()], m.measureFrom, m.stopAt!) : undefined;

  const c = m.counters;
  const requests = c ? OP_KINDS.reduce((sum, k) => sum + c.requests[k], 0) : undefined;
  const writes = c ? OP_KINDS.filter((k) => WRITE_OPS.has(k)).reduce((sum, k) => sum + c.requests[k], 0) : undefined;
  // An external driver's library issues its requests unseen: those figures come from the servers' side.
  const perAcquire = (name: string, unit: string, n: number | undefined): Metric =>
    n === undefined
      ? unmeasured(name, unit, 'the recipe runs in a client library (an external driver), whose requests are not counted on the client side; see the server-side figures')
      : scalarOr(name, unit, allHolds.length > 0 ? n / allHolds.length : undefined, 'no lock was acquired in the run, so there is nothing to divide by');
  const NOT_TIME_BOUND = 'does not apply: with a set number of acquisitions per client every client gets the same share by construction';

  const driver = driverMetrics(m.health);

  const metrics: Metric[] = [
    distribution('acquire', acquire),
    distribution('handoff', handoff),
    scalarOr('throughput', 'acquisitions/s', windowS > 0 ? measured.length / windowS : undefined, 'the measured window had no length'),
    scalar('acquisitions', 'count', measured.length),
    perAcquire('zk_ops_per_acquire', 'requests/acquisition', requests),
    perAcquire('zk_ops_per_acquire.reads', 'requests/acquisition', requests === undefined || writes === undefined ? undefined : requests - writes),
    perAcquire('zk_ops_per_acquire.writes', 'requests/acquisition', writes),
    perAcquire('zk_ops_per_acquire.watches', 'watches/acquisition', c?.watchesSet),
    perAcquire('notifications_per_acquire', 'events/acquisition', c?.notifications),
    // With a set number of acquisitions per client every client gets the same share by construction:
    // the fairness figures mean something only when the run is bound by time.
    timeBound
      ? scalarOr('fairness_jain', 'index', jainIndex([...perClient.values()]), 'no client acquired the lock in the measured window')
      : unmeasured('fairness_jain', 'index', NOT_TIME_BOUND),
    timeBound ? scalar('clients_without_acquisition', 'count', [...perClient.values()].filter((n) => n === 0).length) : unmeasured('clients_without_acquisition', 'count', NOT_TIME_BOUND),
    ...(firstAcquisition ? [firstAcquisition] : []),
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
