// An election is a lock that is never released while its holder lives: campaigning is acquiring, leading
// is holding, and leadership ends with a release (resign) or with the session that holds the lock node.
// Both election recipes are the matching lock recipe held this way, so the algorithms live in one place.
import type { ZkSession } from '../../zk/session.ts';
import { lockRecipe, type LockContender, type LockRecipeId } from '../lock/index.ts';
import type { Candidate, Leadership, LeadershipEnd } from './types.ts';

export function heldLockCandidate(lock: LockRecipeId, session: ZkSession, electionPath: string): Candidate {
  const contender = lockRecipe(lock).contender(session, electionPath);
  return {
    async campaign(signal) {
      await contender.acquire(signal);
      return leadershipOf(contender, session);
    },
  };
}

function leadershipOf(contender: LockContender, session: ZkSession): Leadership {
  let end!: (why: LeadershipEnd) => void;
  const ended = new Promise<LeadershipEnd>((resolve) => (end = resolve));
  // The client's word is the only way a leader learns it lost: the session expired or was closed, as in
  // the ZooKeeper recipe. (Curator's LeaderLatch by default also steps down on a mere disconnection,
  // SUSPENDED; that would end a paused leader's belief a little earlier, not remove it.)
  const unsubscribe = session.onStateChange((s) => {
    if (s === 'expired') end('session-expired');
    else if (s === 'closed') end('session-closed');
  });
  if (session.state === 'expired' || session.state === 'closed') end(session.state === 'expired' ? 'session-expired' : 'session-closed');
  void ended.then(unsubscribe);
  return {
    ended,
    async resign() {
      end('resigned');
      await contender.release();
    },
  };
}
