// What the coordinator tells one load process to do for one lock recipe.
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
