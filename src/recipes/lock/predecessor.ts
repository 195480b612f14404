/**
 * predecessor — the ZooKeeper "Recipes and Solutions" lock, as Curator's InterProcessMutex implements it.
 * Each contender creates an EPHEMERAL_SEQUENTIAL child of the lock node and lists the children; the lowest
 * holds the lock. Any other watches only the child just below its own (its predecessor), so a release
 * wakes exactly one waiter. When the predecessor goes away the waiter lists the children again and takes
 * the lock only if it is now the lowest; otherwise it watches its new predecessor. That re-check is what
 * makes a waiter leaving the middle of the queue harmless. Origin: seed 001's first variant, corrected.
 * What breaks it: the lock lives only as long as the session; a holder whose session expires loses it
 * without knowing, and nothing here fences the work it still does (no fencing token).
 */
import { QueueContender, queueOrder, sequenceOf, type Turn } from './queue-node.ts';
import { LOCK_RECIPE_INFO } from './catalog.ts';
import type { LockRecipe } from './types.ts';
import { park, throwIfAborted } from './waiting.ts';

class PredecessorContender extends QueueContender {
  protected async waitForTurn(me: string, signal: AbortSignal, queued: () => void): Promise<Turn> {
    for (;;) {
      throwIfAborted(signal);
      const queue = queueOrder(await this.calls.getChildren(this.lockPath, undefined, signal));
      const position = queue.indexOf(me);
      if (position < 0) throw new Error(`own lock node ${me} is gone (session lost?)`);
      if (position === 0) return { ticket: sequenceOf(me) };
      const parking = park(signal, this.session);
      const predecessor = await this.calls.exists(`${this.lockPath}/${queue[position - 1]}`, parking.wake, signal);
      if (predecessor === null) {
        parking.dispose(); // gone between the listing and the watch: look again
        continue;
      }
      queued();
      await parking.woken;
    }
  }
}

export const predecessor: LockRecipe = {
  id: 'predecessor',
  ...LOCK_RECIPE_INFO['predecessor'],
  contender: (session, lockPath, recovery) => new PredecessorContender(session, lockPath, recovery),
};
