/**
 * predecessor-unchecked — seed 001's first lock (DistributedClient), kept as published.
 * Each contender creates an EPHEMERAL_SEQUENTIAL child, lists the children once, and if it is not the
 * lowest, watches only the child just below its own (waitPath). When that child is deleted it assumes
 * it now holds the lock, without looking at the queue again.
 * What breaks it: the assumption. If a waiter in the middle of the queue leaves (gives up, crashes, its
 * session expires), its successor is woken and "holds" the lock while the real holder still has it.
 * The suite includes it to show that the violation checker finds exactly this (workload lock-churn).
 */
import { QueueContender, queueOrder, sequenceOf, type Turn } from './queue-node.ts';
import { LOCK_RECIPE_INFO } from './catalog.ts';
import type { LockRecipe } from './types.ts';
import { park, throwIfAborted } from './waiting.ts';

class UncheckedPredecessorContender extends QueueContender {
  protected async waitForTurn(me: string, signal: AbortSignal, queued: () => void): Promise<Turn> {
    const held: Turn = { ticket: sequenceOf(me) };
    throwIfAborted(signal);
    const queue = queueOrder(await this.calls.getChildren(this.lockPath, undefined, signal));
    const position = queue.indexOf(me);
    if (position < 0) throw new Error(`own lock node ${me} is gone (session lost?)`);
    if (position === 0) return held;
    const parking = park(signal, this.session);
    const waitPath = `${this.lockPath}/${queue[position - 1]}`;
    if ((await this.calls.exists(waitPath, parking.wake, signal)) === null) {
      parking.dispose(); // already deleted: the seed takes that as the lock being ours
      return held;
    }
    queued();
    await parking.woken; // deleted: assumed held, no re-check (the flaw)
    return held;
  }
}

export const predecessorUnchecked: LockRecipe = {
  id: 'predecessor-unchecked',
  ...LOCK_RECIPE_INFO['predecessor-unchecked'],
  contender: (session, lockPath, recovery) => new UncheckedPredecessorContender(session, lockPath, recovery),
};
