/**
 * children-watch — seed 001's second lock (DistributedClient2).
 * Each contender creates an EPHEMERAL_SEQUENTIAL child and lists the children with a watch on the lock
 * node; the lowest holds the lock. Every other contender waits for the children to change and then lists
 * them again, re-arming the watch, until it is the lowest.
 * What breaks it: scale, not safety. Every release (and every arrival) wakes every waiter, each of which
 * re-reads the whole child list: O(N) notifications and O(N) reads of O(N) names per hand-off, the herd
 * effect. notifications_per_acquire grows with the number of clients.
 */
import { QueueContender, queueOrder, sequenceOf, type Turn } from './queue-node.ts';
import { LOCK_RECIPE_INFO } from './catalog.ts';
import type { LockRecipe } from './types.ts';
import { park, throwIfAborted } from './waiting.ts';

class ChildrenWatchContender extends QueueContender {
  protected async waitForTurn(me: string, signal: AbortSignal, queued: () => void): Promise<Turn> {
    for (;;) {
      throwIfAborted(signal);
      const parking = park(signal, this.session);
      const queue = queueOrder(await this.calls.getChildren(this.lockPath, parking.wake, signal));
      if (queue.indexOf(me) < 0) throw new Error(`own lock node ${me} is gone (session lost?)`);
      if (queue[0] === me) {
        // The watch stays armed and will still fire: that delivery is part of the herd this recipe costs.
        parking.dispose();
        return { ticket: sequenceOf(me) };
      }
      queued();
      await parking.woken;
    }
  }
}

export const childrenWatch: LockRecipe = {
  id: 'children-watch',
  ...LOCK_RECIPE_INFO['children-watch'],
  contender: (session, lockPath, recovery) => new ChildrenWatchContender(session, lockPath, recovery),
};
