// What the election-failover coordinator tells one load process to drive, and the messages they exchange
// while the run goes. Every load process holds exactly one candidate, so that killing or stopping the
// process fails the application leader alone.
import type { RelNs } from '../../measure/clock.ts';
import type { ElectionRecipeId, LeadershipEnd } from '../../recipes/election/types.ts';

export interface ElectionPlan {
  recipe: ElectionRecipeId;
  electionPath: string;
  /** The candidate this process holds (its session 0). */
  candidate: number;
}

/** Coordinator → load process. */
export type ToCandidate =
  /** Close your session if you lead (a clean failure). */
  | { type: 'close' }
  /** Campaign again, on a fresh session, after a close (another leads by now). */
  | { type: 'rejoin' };

/** Load process → coordinator. */
export type FromCandidate =
  /** campaign() was called at campaignNs and resolved at leadNs. */
  | { type: 'leading'; candidate: number; campaignNs: RelNs; leadNs: RelNs }
  /** The leader learned it no longer leads, at atNs. */
  | { type: 'ended'; candidate: number; atNs: RelNs; why: LeadershipEnd }
  /** On 'close': the leader's close() was called at atNs (led: false when it did not lead, and closed nothing). */
  | { type: 'closed'; candidate: number; atNs: RelNs; led: boolean }
  /** The candidate could not get a fresh session to campaign on: it is out of the run. */
  | { type: 'failed'; candidate: number; message: string };

export interface CandidateReport {
  /** Failures by ZooKeeper error name (or "other"). */
  errors: Record<string, number>;
  errorMessages: string[];
}
