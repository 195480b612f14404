/**
 * exclusive-node — seed 003's lock (and the simplest reading of seed 000): every contender tries to create
 * the same EPHEMERAL node; whoever succeeds holds the lock. A contender that gets "node exists" sets an
 * `exists` watch on the node and, when it is deleted, races to create it again.
 * What breaks it: fairness and scale. Every release wakes every waiter (herd effect, O(N) notifications
 * and O(N) failed creates per hand-off), and there is no queue: whoever's create lands first wins, so a
 * contender can wait indefinitely while others are served again and again.
 */
import { ZNODEEXISTS, ZOO_EPHEMERAL } from '../../zk/binding.ts';
import { isZkError } from '../../zk/errors.ts';
import type { ZkSession } from '../../zk/session.ts';
import { LOCK_RECIPE_INFO } from './catalog.ts';
import { LockCalls, type Recovery } from './recovery.ts';
import type { Held, LockContender, LockRecipe } from './types.ts';
import { once, park, throwIfAborted } from './waiting.ts';

class ExclusiveNodeContender implements LockContender {
  private readonly ownerPath: string;
  private owned = false;
  private readonly calls: LockCalls;

  constructor(
    private readonly session: ZkSession,
    lockPath: string,
    recovery?: Recovery,
  ) {
    this.ownerPath = `${lockPath}/owner`;
    this.calls = new LockCalls(session, recovery);
  }

  async acquire(signal: AbortSignal, onQueued?: () => void): Promise<Held> {
    const queued = once(onQueued);
    try {
      for (;;) {
        throwIfAborted(signal);
        try {
          // Its data is this contender's token, so under `resume` a create whose answer was lost is recognised.
          await this.calls.createOwned(this.ownerPath, ZOO_EPHEMERAL, signal);
          this.owned = true;
          throwIfAborted(signal); // aborted while the create was in flight: give the lock straight back
          queued();
          return { path: this.ownerPath };
        } catch (err) {
          if (!isZkError(err, ZNODEEXISTS)) throw err;
        }
        const parking = park(signal, this.session);
        if ((await this.calls.exists(this.ownerPath, parking.wake, signal)) === null) {
          parking.dispose(); // released between our create and our watch: race again
          continue;
        }
        queued();
        await parking.woken;
      }
    } catch (err) {
      if (this.owned) await this.release().catch(() => undefined);
      throw err;
    }
  }

  async release(): Promise<void> {
    if (!this.owned) return;
    this.owned = false;
    await this.calls.delete(this.ownerPath);
  }
}

export const exclusiveNode: LockRecipe = {
  id: 'exclusive-node',
  ...LOCK_RECIPE_INFO['exclusive-node'],
  contender: (session, lockPath, recovery) => new ExclusiveNodeContender(session, lockPath, recovery),
};
