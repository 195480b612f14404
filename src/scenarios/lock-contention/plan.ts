// What the coordinator tells one load process to do for one recipe, and when.
import type { RelNs } from '../../measure/clock.ts';
import type { MeasuredWindow } from '../../measure/lock-recorder.ts';
import type { LockRecipeId } from '../../recipes/lock/types.ts';

export interface LockClientsPlan {
  recipe: LockRecipeId;
  lockPath: string;
  /** Global client ids this process drives (one session each). */
  clientIds: number[];
  holdMs: number;
  acquireTimeoutMs: number;
  giveUpShare: number;
  giveUpAfterMs: number;
  /** Measured acquisitions per client; undefined in duration mode. */
  acquisitions: number | undefined;
  seed: number;
}

/** The shared schedule, on the run clock, so that every process starts and stops together. */
export interface LockWindow extends MeasuredWindow {
  /** Every process starts its clients at this instant; the warm-up runs from here to measureFrom. */
  startAt: RelNs;
}
