// Fencing (Kleppmann, "How to do distributed locking", 2016): a holder's lock can be gone without the holder
// knowing (its process paused past the session timeout), so the resource it protects must refuse work
// from an older holder. Here the resource is one shared znode, the guard, holding the token of the last
// holder that wrote it. The token is the czxid of the holder's lock node: a zxid is unique and increases
// with every transaction of the ensemble, across leader changes (the epoch is its high half), and every
// recipe has a lock node, whereas a sequence number exists only for the queue recipes (exclusive-node
// reuses one fixed name) and counts only within its parent.
//
// A write is a compare-and-set on the guard's version: read (token, version); refuse when the stored
// token is newer than ours (fenced); else setData with that version. ZBADVERSION means someone wrote in
// between: read again. So the stored token never decreases, and every write knows exactly which token it
// replaced. Without fencing the same loop writes regardless, which is how a stale write is counted.
import { ZBADVERSION } from '../../zk/binding.ts';
import { isZkError } from '../../zk/errors.ts';
import type { ZkSession } from '../../zk/session.ts';
import { LockCalls } from './recovery.ts';

export type GuardWrite = 'written' | 'stale-written' | 'fenced';

export interface GuardCounts {
  /** Writes the guard accepted. */
  writes: number;
  /** Accepted writes that replaced a newer token (a stale holder's work landed): 0 with fencing. */
  staleWrites: number;
  /** Writes refused because the guard held a newer token (fencing only). */
  fencedRejections: number;
}

export const emptyGuardCounts = (): GuardCounts => ({ writes: 0, staleWrites: 0, fencedRejections: 0 });

/** The token a guard node stores; -1 for a guard nobody has written. */
export function storedToken(data: Buffer): number {
  return data.length === 0 ? -1 : Number(data.toString());
}

export class Guard {
  readonly counts = emptyGuardCounts();
  /** The guard is the storage service, not the lock: its client retries a lost answer whatever the lock's recovery mode. */
  private readonly calls: LockCalls;

  constructor(
    session: ZkSession,
    readonly path: string,
    readonly fencing: boolean,
  ) {
    this.calls = new LockCalls(session, 'resume');
  }

  /** Write `token` into the guard (refused when fencing and the guard holds a newer one). */
  async write(token: number): Promise<GuardWrite> {
    const outcome = await this.calls.retrying(() => this.attempt(token));
    if (outcome === 'fenced') this.counts.fencedRejections++;
    else this.counts.writes++;
    if (outcome === 'stale-written') this.counts.staleWrites++;
    return outcome;
  }

  private async attempt(token: number): Promise<GuardWrite> {
    for (;;) {
      const { data, stat } = await this.calls.session.get(this.path);
      const stored = storedToken(data);
      if (stored > token && this.fencing) return 'fenced';
      try {
        await this.calls.session.set(this.path, String(token), stat.version);
        return stored > token ? 'stale-written' : 'written';
      } catch (err) {
        if (!isZkError(err, ZBADVERSION)) throw err;
      }
    }
  }
}
