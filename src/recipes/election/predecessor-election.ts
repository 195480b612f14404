/**
 * predecessor-election — the ZooKeeper "Recipes and Solutions" leader election, as Curator's LeaderLatch
 * implements it. Every candidate creates an EPHEMERAL_SEQUENTIAL child of the election node; the lowest
 * leads. Every other candidate watches only the child just below its own, and when that one goes, lists
 * the children again and leads only if it is now the lowest (else watches its new predecessor): a leader's
 * departure wakes exactly one candidate. It is the `predecessor` lock, acquired and held for life.
 * What breaks it: leadership lives as long as the session, and a leader learns it lost only when its
 * client says so. A leader paused beyond the session timeout is replaced while frozen, and on waking goes
 * on leading until its client reports the expiry: two leaders for that long (election-failover counts it).
 */
import { ELECTION_RECIPE_INFO } from './catalog.ts';
import { heldLockCandidate } from './held-lock.ts';
import type { ElectionRecipe } from './types.ts';

export const predecessorElection: ElectionRecipe = {
  id: 'predecessor-election',
  ...ELECTION_RECIPE_INFO['predecessor-election'],
  candidate: (session, electionPath) => heldLockCandidate('predecessor', session, electionPath),
};
