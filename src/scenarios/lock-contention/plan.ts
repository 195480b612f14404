// What the coordinator tells one load process to do for one lock recipe.
import type { OpenLoopPlan } from '../../measure/open-loop.ts';
import type { LockRecipeId, Recovery } from '../../recipes/lock/types.ts';

/** lock-failover: every holder writes its fencing token into a guard znode through a session of its process's own. */
export interface GuardPlan {
  path: string;
  fencing: boolean;
  /** Where the guard's session connects, and its timeout: longer than a staged pause, so the "storage service" outlives it. */
  connect: string;
  sessionTimeoutMs: number;
}

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
  /** How a client lives through a lost connection (recipes/lock/recovery.ts). */
  recovery: Recovery;
  /** Report (ScenarioLink.warm) once every client of the process has queued: the run's window waits for it (warmup_until: queued). */
  warmupUntilQueued?: boolean;
  /** Open loop (`rate`): attempts start at their intended starts, one at a time per client. */
  open?: OpenLoopPlan;
  /** lock-failover only. */
  guard?: GuardPlan;
  /** Tell the coordinator each hold's start and end (ScenarioLink), so it can pause a holder's process. */
  announceHolds?: boolean;
}

/**
 * What a load process tells the coordinator about holds when announceHolds is set. `waiting`: the holder
 * was armed and holds on until the coordinator says `continue` (so a pause lands inside its hold).
 */
export interface HoldNotice {
  kind: 'held' | 'released';
  client: number;
  waiting?: boolean;
}

/** The coordinator's word to the load processes: hold the next lock until `continue` (arm), or don't (disarm). */
export interface HoldOrder {
  kind: 'arm' | 'disarm' | 'continue';
}
