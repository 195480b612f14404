// The lock family's one interface: every lock recipe is driven the same way, so a workload can run all of
// them with identical parameters and compare them (SPEC §1).
import type { ZkSession } from '../../zk/session.ts';
import type { LockRecipeId, LockRecipeInfo } from './catalog.ts';

// The ids are declared with what each recipe is (catalog.ts, loaded without the recipes).
export { LOCK_RECIPE_IDS, type LockRecipeId } from './catalog.ts';


/** How a contender lives through a lost connection (recovery.ts). */
export const RECOVERY_MODES = ['restart-session', 'resume'] as const;
export type Recovery = (typeof RECOVERY_MODES)[number];

export interface LockRecipe extends LockRecipeInfo {
  readonly id: LockRecipeId;
  /**
   * A contender for one acquisition of the lock at `lockPath` (a persistent node that exists), living
   * through a lost connection as `recovery` says (recovery.ts; default restart-session).
   */
  contender(session: ZkSession, lockPath: string, recovery?: Recovery): LockContender;
}

export interface Held {
  /** Queue position (the znode's sequence number) for recipes that queue; none for those that race. */
  ticket?: number;
  /** The node whose existence makes the caller the holder (its czxid is the hold's fencing token). */
  path: string;
}

export interface LockContender {
  /**
   * Resolves when the caller holds the lock. When `signal` aborts first, the contender withdraws (removes
   * its node) and rejects with AcquireAbortedError carrying the signal's reason. `onQueued` is called
   * once the contender is in line: its node created (for the queue recipes) and its first wait armed (the
   * watch set), or, when it never waits, just before it resolves (a warm-up that lets the queue form
   * waits for it, scenarios/warmup-gate.ts).
   */
  acquire(signal: AbortSignal, onQueued?: () => void): Promise<Held>;
  /** Gives the lock up. Call once, only after acquire() resolved. */
  release(): Promise<void>;
}

export class AcquireAbortedError extends Error {
  override readonly name = 'AcquireAbortedError';

  constructor(readonly reason: unknown) {
    super(`acquire aborted: ${String(reason)}`);
  }
}
