// `warmup_until: queued`, in one load process: which of its clients have queued (lock node created, first
// wait armed, or the lock held: LockContender.acquire's onQueued), and the moment the last of them did.
// Pure: moments are given by the caller.
import type { RelNs } from '../../measure/clock.ts';

/** What a process reports of its queue at the end: how many of its clients queued, and when the last did. */
export interface QueueReport {
  clients: number;
  queued: number;
  /** Clients that left the run before they ever queued (no session could be had): not waited for. */
  left: number;
  /** When the last of them first queued; undefined until all have. */
  formedAt: RelNs | undefined;
}

export class QueueTally {
  private readonly waiting: Set<number>;
  private readonly clients: number;
  private latest: RelNs = Number.NEGATIVE_INFINITY;
  private left = 0;

  /** `onFormed` is called once, when the last of `clientIds` first queues. */
  constructor(
    clientIds: readonly number[],
    private readonly onFormed: (at: RelNs) => void,
  ) {
    this.waiting = new Set(clientIds);
    this.clients = this.waiting.size;
  }

  /** Client `client` is in line at `at`; only its first time counts. */
  queued(client: number, at: RelNs): void {
    if (!this.waiting.delete(client)) return;
    this.latest = Math.max(this.latest, at);
    this.formedIfLast(at);
  }

  /** Client `client` is out of the run at `at` (it could not get a session); if it never queued, nobody waits for it. */
  leave(client: number, at: RelNs): void {
    if (!this.waiting.delete(client)) return;
    this.left++;
    this.formedIfLast(at);
  }

  private formedIfLast(at: RelNs): void {
    if (this.waiting.size > 0) return;
    if (this.latest === Number.NEGATIVE_INFINITY) this.latest = at; // every client left: the queue is as formed as it gets
    this.onFormed(this.latest);
  }

  report(): QueueReport {
    const queued = this.clients - this.waiting.size - this.left;
    return { clients: this.clients, queued, left: this.left, formedAt: this.waiting.size === 0 && this.clients > 0 ? this.latest : undefined };
  }
}
