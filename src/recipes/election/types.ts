// The election family's one interface: every election recipe is driven the same way, so a workload can run
// both with identical parameters and compare them (SPEC §1). A candidate campaigns until it leads, then
// leads until it resigns or its session ends; it learns the latter only when its client tells it, which
// is what a paused leader shows (it goes on believing until then).
import type { ZkSession } from '../../zk/session.ts';
import type { ElectionRecipeId, ElectionRecipeInfo } from './catalog.ts';

// The ids are declared with what each recipe is (catalog.ts, loaded without the recipes).
export { ELECTION_RECIPE_IDS, type ElectionRecipeId } from './catalog.ts';


export interface ElectionRecipe extends ElectionRecipeInfo {
  readonly id: ElectionRecipeId;
  /** A candidate in the election at `electionPath` (a persistent node that exists), on `session`. */
  candidate(session: ZkSession, electionPath: string): Candidate;
}

export interface Candidate {
  /**
   * Resolves when this candidate leads. When `signal` aborts first, the candidate withdraws and rejects
   * with AcquireAbortedError; when its session ends first, rejects with a ZkError.
   */
  campaign(signal: AbortSignal): Promise<Leadership>;
}

/** Why a leader stopped leading. */
export type LeadershipEnd = 'resigned' | 'session-expired' | 'session-closed';

export interface Leadership {
  /**
   * Resolves when the leader learns it no longer leads: it resigned, or its client reported the session
   * expired or closed. Until then it believes it leads, whatever ZooKeeper already decided.
   */
  readonly ended: Promise<LeadershipEnd>;
  /** Steps down: the leader node is deleted, the next candidate takes over. */
  resign(): Promise<void>;
}
