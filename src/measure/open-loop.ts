// The figures of an open-loop run (SPEC §2 "Open-loop load", issue 10 point 3), from the pacers' counts of
// every load process (pacer.ts), and the settings every open-loop driver shares. The two latencies are
// recorded by the scenario's recorder, per operation:
//  - `latency`: from the operation's intended start to its answer (coordinated omission corrected: time
//    an operation spent waiting to be sent, because the driver woke late or its client's in-flight slots
//    were taken by a stalled server, counts, as it does for a user whose request was due then);
//  - `service_time`: from its actual start (the call to the client library) to its answer.
// In a closed loop an operation is intended when its predecessor ends, so the two coincide and only
// `latency` is written.
import { scalar, type Metric } from './metrics.ts';
import { evenPhases, type PacerCounts, type PacerOptions } from './pacer.ts';

/** How a rate is given: for the whole run (spread over the clients) or for each client. */
export const RATE_PER = ['total', 'client'] as const;
export type RatePer = (typeof RATE_PER)[number];

/** A start later than its intended start by more than this is a late start (setTimeout wakes up to ~1 ms late). */
export const LATE_TOLERANCE_MS = 2;
/** A client's queue of operations waiting for an in-flight slot holds this many seconds of its schedule (at least 1). */
export const BACKLOG_S = 10;
/**
 * After the stop, operations still waiting for a slot are sent for this long (they were due inside the run);
 * then what still waits is dropped, so a rate far beyond the servers' does not drag the run out.
 */
export const DRAIN_AFTER_STOP_MS = 1000;
/** The rate is unsustained when less than (1 − this) of it was achieved (or anything was dropped). */
export const RATE_SLACK = 0.05;

export interface OpenLoopSettings {
  /** Operations per second, total or per client (ratePer); > 0. */
  rate: number;
  ratePer: RatePer;
  /** Unanswered operations a client may have. */
  maxInFlight: number;
}

/** What one load process needs to pace its clients (JSON: crosses to the load process in its plan). */
export interface OpenLoopPlan {
  ratePerClient: number;
  /** One per client of the process, as evenPhases gives them. */
  phases: number[];
  maxInFlight: number;
  maxWaiting: number;
  lateToleranceNs: number;
}

export function ratePerClient(s: OpenLoopSettings, totalClients: number): number {
  return s.ratePer === 'client' ? s.rate : s.rate / totalClients;
}

/** The run's target: operations per second over every client. */
export function targetRate(s: OpenLoopSettings, totalClients: number): number {
  return ratePerClient(s, totalClients) * totalClients;
}

/** The pacing plan of one load process whose clients are `clientIds` of `totalClients`. */
export function openLoopPlan(s: OpenLoopSettings, clientIds: readonly number[], totalClients: number): OpenLoopPlan {
  const perClient = ratePerClient(s, totalClients);
  return {
    ratePerClient: perClient,
    phases: evenPhases(clientIds, totalClients),
    maxInFlight: s.maxInFlight,
    maxWaiting: Math.max(1, Math.ceil(perClient * BACKLOG_S)),
    lateToleranceNs: LATE_TOLERANCE_MS * 1e6,
  };
}

/** The pacer's options for a plan, on a schedule from `startNs` to `endNs`, counting what `measured` admits. */
export function pacerOptions(p: OpenLoopPlan, startNs: number, endNs: number | undefined, measured: (t: number) => boolean): PacerOptions {
  return { ...p, startNs, ...(endNs !== undefined ? { endNs } : {}), measured };
}

export interface OpenLoopOutcome {
  metrics: Metric[];
  /** Less than (1 − RATE_SLACK) of the target achieved, or operations dropped. */
  unsustained: boolean;
  /** What a reader must know when the rate was not held (printed under the table, kept in run.json). */
  notes: string[];
}

/** The open-loop figures over the measured window (`windowS` s) from every process's counts, summed. */
export function openLoopFigures(counts: PacerCounts, target: number, windowS: number): OpenLoopOutcome {
  const achieved = windowS > 0 ? counts.startedInWindow / windowS : Number.NaN;
  const unsustained = counts.dropped > 0 || !(achieved >= (1 - RATE_SLACK) * target);
  const notes: string[] = [];
  if (unsustained) {
    const pct = (x: number): string => `${Number(((100 * x) / target).toPrecision(3))}%`;
    notes.push(
      `rate unsustained: ${Number(achieved.toPrecision(4))} of ${Number(target.toPrecision(4))} ops/s started in the window (${pct(achieved)}), ` +
        `${counts.dropped} operation(s) dropped, ${counts.late} of ${counts.started} operations started late (${counts.lateWaited} late operation(s) waited for an in-flight slot, ` +
        `the others for the driver); ${counts.lateWaited > counts.late / 2 ? 'the servers answered too slowly for the rate' : 'the load processes could not keep the schedule (see driver.saturated)'}`,
    );
  }
  return {
    unsustained,
    notes,
    metrics: [
      scalar('target_rate', 'ops/s', target),
      scalar('achieved_rate', 'ops/s', achieved),
      scalar('late_starts', 'count', counts.late),
      scalar('late_starts.waited', 'count', counts.lateWaited),
      scalar('dropped', 'count', counts.dropped),
      scalar('in_flight_max', 'count', counts.inFlightMax),
      scalar('rate_unsustained', 'flag', unsustained ? 1 : 0),
    ],
  };
}
