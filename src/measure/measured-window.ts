// Which measurements count: those inside the measured window (after the warm-up, before the stop).
import type { RelNs } from './clock.ts';

/** The measured window on the run clock; open-ended when the run is bound by acquisition counts. */
export interface MeasuredWindow {
  measureFrom: RelNs;
  stopAt: RelNs | undefined;
}

/** A measurement counts when its moment (an acquisition's held time, a request's issue time) is inside. */
export function inWindow(t: RelNs, w: MeasuredWindow): boolean {
  return t >= w.measureFrom && (w.stopAt === undefined || t < w.stopAt);
}
