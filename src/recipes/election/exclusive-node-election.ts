/**
 * exclusive-node-election — seed 000's HA "active process" read the simplest way (seed 003's lock, held for
 * life): every candidate tries to create the same EPHEMERAL node under the election node; whoever
 * succeeds leads. A candidate that gets "node exists" sets an `exists` watch on it and, when it is
 * deleted, races to create it again. It is the `exclusive-node` lock, acquired and held for life.
 * What breaks it: scale and, like every session-based election, a paused leader. A leader's departure
 * wakes every candidate, each of which sends a create that all but one lose (herd effect); and a leader
 * paused beyond its session timeout wakes still believing it leads until its client reports the expiry.
 */
import { ELECTION_RECIPE_INFO } from './catalog.ts';
import { heldLockCandidate } from './held-lock.ts';
import type { ElectionRecipe } from './types.ts';

export const exclusiveNodeElection: ElectionRecipe = {
  id: 'exclusive-node-election',
  ...ELECTION_RECIPE_INFO['exclusive-node-election'],
  candidate: (session, electionPath) => heldLockCandidate('exclusive-node', session, electionPath),
};
