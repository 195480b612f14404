// Shared by the recipes that queue with EPHEMERAL_SEQUENTIAL children of the lock node: create one's own
// node, order the queue by sequence number, and withdraw from it.
import { ZOO_EPHEMERAL_SEQUENTIAL, ZNONODE } from '../../zk/binding.ts';
import { isZkError } from '../../zk/errors.ts';
import type { ZkSession } from '../../zk/session.ts';
import { LockCalls, type Recovery } from './recovery.ts';
import type { Held, LockContender } from './types.ts';
import { once, throwIfAborted } from './waiting.ts';

const PREFIX = 'lock-';

/** What a queue recipe's waiting rule answers; the contender adds its node's path. */
export type Turn = Omit<Held, 'path'>;

/** The 10-digit counter ZooKeeper appends to a sequential node's name. */
export function sequenceOf(name: string): number {
  return Number(name.slice(-10));
}

/**
 * Children ordered by sequence number: the queue, head first. Names are `lock-NNNNNNNNNN`, or
 * `_c_<uuid>-lock-NNNNNNNNNN` for a protected create (recovery: resume), so each is keyed by its
 * zero-padded 10-digit counter put in front: the native string sort (no number parsing per comparison)
 * keeps this cheap on the hand-off path with a thousand contenders.
 */
export function queueOrder(children: readonly string[]): string[] {
  return children
    .filter((c) => c.length > 10 && c.lastIndexOf(PREFIX) === c.length - 10 - PREFIX.length)
    .map((c) => c.slice(-10) + c)
    .sort()
    .map((k) => k.slice(10));
}

export class QueueNode {
  /** Full path once created. */
  path: string | undefined;

  constructor(
    private readonly calls: LockCalls,
    readonly lockPath: string,
  ) {}

  async create(signal?: AbortSignal): Promise<string> {
    this.path = await this.calls.createSequential(this.lockPath, PREFIX, ZOO_EPHEMERAL_SEQUENTIAL, signal);
    return this.name;
  }

  get name(): string {
    if (!this.path) throw new Error('queue node not created');
    return this.path.slice(this.lockPath.length + 1);
  }

  /** Leave the queue (release or give up); a node already gone is fine. */
  async remove(): Promise<void> {
    const path = this.path;
    if (!path) return;
    this.path = undefined;
    try {
      await this.calls.delete(path);
    } catch (err) {
      if (!isZkError(err, ZNONODE)) throw err;
    }
  }

  /** Remove after a failed or aborted acquire; the original error matters more than a second one. */
  async withdrawQuietly(): Promise<void> {
    await this.remove().catch(() => undefined);
  }
}

/**
 * A contender that queues: create its node, wait for its turn by the recipe's own rule, leave the queue
 * on release or when the wait fails or is aborted. Subclasses implement only the waiting rule.
 */
export abstract class QueueContender implements LockContender {
  private readonly node: QueueNode;
  /** The session's requests under the contender's recovery mode: waitForTurn makes its reads through these. */
  protected readonly calls: LockCalls;

  constructor(
    protected readonly session: ZkSession,
    protected readonly lockPath: string,
    recovery?: Recovery,
  ) {
    this.calls = new LockCalls(session, recovery);
    this.node = new QueueNode(this.calls, lockPath);
  }

  async acquire(signal: AbortSignal, onQueued?: () => void): Promise<Held> {
    const queued = once(onQueued);
    const me = await this.node.create(signal);
    try {
      const held = await this.waitForTurn(me, signal, queued);
      queued();
      throwIfAborted(signal); // aborted while the last listing was in flight: give the turn back, as every recipe does
      return { ...held, path: `${this.lockPath}/${me}` };
    } catch (err) {
      await this.node.withdrawQuietly();
      throw err;
    }
  }

  release(): Promise<void> {
    return this.node.remove();
  }

  /** Resolve once `me` (this contender's node name) holds the lock by the recipe's rule; call `queued` once a wait is armed. */
  protected abstract waitForTurn(me: string, signal: AbortSignal, queued: () => void): Promise<Turn>;
}
