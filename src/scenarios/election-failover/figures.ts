// What election-failover derives from the failures it staged and every candidate's terms as leader: the
// time to a new application leader per kind of failure (a crash split into detection and takeover), and
// the intervals with two leaders. Pure functions over plain records, testable without ZooKeeper.
import type { RelNs } from '../../measure/clock.ts';
import { findViolations, type HoldRecord, type Violation } from '../../measure/hold-intervals.ts';
import type { TimeToEvent } from '../../measure/time-to-event.ts';

export const FAILURE_KINDS = ['close', 'crash', 'pause'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** One failure of the application leader, staged by the coordinator. */
export interface FailureRecord {
  kind: FailureKind;
  /** The candidate that led and failed. */
  candidate: number;
  /** close: the leader's session close() was called; crash: SIGKILL sent; pause: SIGSTOP sent. */
  atNs: RelNs;
  /** crash only: an observer saw the dead leader's node deleted (ZooKeeper expired its session). */
  deletionSeenNs?: RelNs;
  /** pause only: SIGCONT sent. */
  resumedNs?: RelNs;
}

/** One candidate's time as leader, as it believed it. */
export interface Term {
  candidate: number;
  /** campaign() was called. */
  campaignNs: RelNs;
  /** campaign() resolved: "I lead". */
  leadNs: RelNs;
  /**
   * It learned it no longer leads (its client reported the session expired), it called close() on its
   * session, or its process was killed; undefined: it led to the end.
   */
  endNs?: RelNs;
}

export interface FailureOutcome {
  failure: FailureRecord;
  /** The first term of another candidate that began after the failure; undefined: none before the run ended. */
  nextLeadNs?: RelNs;
  /** crash only: from the SIGKILL to the dead leader's node seen deleted or the next leader, whichever came first. */
  detectionNs?: number;
}

export interface ElectionFigures {
  /**
   * From each failure to the next candidate's "I lead", by kind. A failure's observation window runs to the
   * next failure or the run's end: no new leader inside it is a censored case at the window's length.
   */
  recovery: Record<FailureKind, TimeToEvent[]>;
  /** Crashes: SIGKILL → expiry seen (detection), and expiry seen → next leader (takeover); censored likewise. */
  crashDetection: TimeToEvent[];
  crashTakeover: TimeToEvent[];
  /** Pauses: from the SIGCONT to the paused leader learning it no longer leads (its belief after waking), ns. */
  pauseWakeToLoss: TimeToEvent[];
  outcomes: FailureOutcome[];
  /** Failures after which no other candidate led inside their window (before the next failure or the run's end). */
  unrecovered: FailureRecord[];
  /** Terms that began while another candidate still believed it led. */
  violations: Violation[];
  /** Sum of the overlaps, ns. */
  violationNs: number;
}

export function electionFigures(failures: readonly FailureRecord[], terms: readonly Term[], runEndNs: RelNs): ElectionFigures {
  const recovery: Record<FailureKind, TimeToEvent[]> = { close: [], crash: [], pause: [] };
  const crashDetection: TimeToEvent[] = [];
  const crashTakeover: TimeToEvent[] = [];
  const pauseWakeToLoss: TimeToEvent[] = [];
  const outcomes: FailureOutcome[] = [];
  const sorted = [...failures].sort((a, b) => a.atNs - b.atNs);
  for (const [i, failure] of sorted.entries()) {
    const endNs = Math.min(sorted[i + 1]?.atNs ?? runEndNs, runEndNs);
    const caseOf = (fromNs: number, atNs: number | undefined): TimeToEvent =>
      atNs === undefined ? { ns: Math.max(0, endNs - fromNs), censored: true, windowNs: Math.max(0, endNs - fromNs) } : { ns: atNs - fromNs, censored: false, windowNs: Math.max(0, endNs - fromNs) };
    const next = terms.filter((t) => t.candidate !== failure.candidate && t.leadNs >= failure.atNs && t.leadNs <= endNs).sort((a, b) => a.leadNs - b.leadNs)[0];
    const outcome: FailureOutcome = { failure };
    if (next) outcome.nextLeadNs = next.leadNs;
    recovery[failure.kind].push(caseOf(failure.atNs, next?.leadNs));
    if (failure.kind === 'crash') {
      // The next leader may hear of the deletion before the observer does: detection ends at whichever came first.
      const deletion = failure.deletionSeenNs !== undefined && failure.deletionSeenNs <= endNs ? failure.deletionSeenNs : Number.POSITIVE_INFINITY;
      const seen = Math.min(deletion, next?.leadNs ?? Number.POSITIVE_INFINITY);
      if (Number.isFinite(seen)) {
        outcome.detectionNs = seen - failure.atNs;
        crashTakeover.push(caseOf(seen, next?.leadNs));
      }
      crashDetection.push(caseOf(failure.atNs, Number.isFinite(seen) ? seen : undefined));
    }
    if (failure.kind === 'pause' && failure.resumedNs !== undefined) {
      const paused = terms.find((t) => t.candidate === failure.candidate && t.leadNs <= failure.atNs && (t.endNs === undefined || t.endNs >= failure.atNs));
      // From the SIGCONT to the run's end: a paused leader still believing then is a censored case.
      const windowNs = Math.max(0, runEndNs - failure.resumedNs);
      if (paused && (paused.endNs === undefined || paused.endNs > runEndNs)) pauseWakeToLoss.push({ ns: windowNs, censored: true, windowNs });
      else if (paused?.endNs !== undefined && paused.endNs >= failure.resumedNs) pauseWakeToLoss.push({ ns: paused.endNs - failure.resumedNs, censored: false, windowNs });
    }
    outcomes.push(outcome);
  }
  const holds: HoldRecord[] = terms.map((t) => ({ client: t.candidate, tAcquire: t.campaignNs, tHeld: t.leadNs, tReleased: t.endNs ?? runEndNs, ticket: t.leadNs }));
  const violations = findViolations(holds);
  return {
    recovery,
    crashDetection,
    crashTakeover,
    pauseWakeToLoss,
    outcomes,
    unrecovered: outcomes.filter((o) => o.nextLeadNs === undefined).map((o) => o.failure),
    violations,
    violationNs: totalOverlapNs(holds),
  };
}

/**
 * Time during which two or more candidates believed they led: the union of the pairwise overlaps, so a
 * stretch with three leaders counts once. A sweep over the terms' starts and ends.
 */
export function totalOverlapNs(holds: readonly HoldRecord[]): number {
  const edges = holds.flatMap((h) => [
    { at: h.tHeld, delta: 1 },
    { at: h.tReleased, delta: -1 },
  ]);
  // Ends before starts at the same instant: a hand-off at one instant is no overlap.
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let leaders = 0;
  let since = 0;
  let total = 0;
  for (const e of edges) {
    if (leaders >= 2) total += e.at - since;
    leaders += e.delta;
    since = e.at;
  }
  return total;
}

/** The kinds of failure in the order a run stages them: interleaved, so that each kind spreads over the run. */
export function failureOrder(counts: Readonly<Record<FailureKind, number>>): FailureKind[] {
  const left = { ...counts };
  const order: FailureKind[] = [];
  while (FAILURE_KINDS.some((k) => left[k] > 0)) {
    for (const k of FAILURE_KINDS) {
      if (left[k] > 0) {
        order.push(k);
        left[k]--;
      }
    }
  }
  return order;
}
