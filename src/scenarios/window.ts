// The shared schedule of a measured run, on the run clock, so that every load process starts and stops together.
import type { RelNs } from '../measure/clock.ts';
import type { MeasuredWindow } from '../measure/measured-window.ts';

export interface RunWindow extends MeasuredWindow {
  /** Every process starts its clients at this instant; the warm-up runs from here to measureFrom. */
  startAt: RelNs;
}
