// Which measurements count: those inside the measured window (after the warm-up, before the stop).
import type { RelNs } from './clock.ts';

/** The measured window on the run clock; open-ended when the run is bound by acquisition counts. */
export interface MeasuredWindow {
  measureFrom: RelNs;
  stopAt: RelNs | undefined;
  /**
   * The warm-up's end waits on the clients (a workload's `warmup_until`): `measureFrom` is only the earliest
   * it can be, and nothing counts until the coordinator decides the window (scenarios/warmup-gate.ts).
   */
  pending?: boolean;
}

/** The shared schedule of a measured run, on the run clock, so that every load process starts and stops together. */
export interface RunWindow extends MeasuredWindow {
  /** Every process starts its clients at this instant; the warm-up runs from here to measureFrom. */
  startAt: RelNs;
}

/** A measurement counts when its moment (an acquisition's held time, a request's issue time) is inside. */
export function inWindow(t: RelNs, w: MeasuredWindow): boolean {
  return !w.pending && t >= w.measureFrom && (w.stopAt === undefined || t < w.stopAt);
}

/** One load process's live count, as of run-clock time `at`: everything so far, and what counts. */
export interface LiveCount {
  /** Completions so far, warm-up included. */
  completed: number;
  /** Completions inside the measured window so far. */
  measured: number;
  at: RelNs;
}

/**
 * The measured window's rate so far: each process's measured count over the part of the window it
 * covers (from measureFrom to its sample, at most to the stop), summed over the processes. Counts
 * sampled before the window opened add nothing.
 */
export function liveRate(counts: readonly LiveCount[], w: MeasuredWindow): number {
  let rate = 0;
  if (w.pending) return rate;
  for (const c of counts) {
    const end = w.stopAt === undefined ? c.at : Math.min(c.at, w.stopAt);
    if (end > w.measureFrom) rate += c.measured / ((end - w.measureFrom) / 1e9);
  }
  return rate;
}
