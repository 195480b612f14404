// Shared by the recipes that queue with EPHEMERAL_SEQUENTIAL children of the lock node: create one's own
// node, order the queue by sequence number, and withdraw from it.
import { ZOO_EPHEMERAL_SEQUENTIAL, ZNONODE } from '../../zk/binding.ts';
import { isZkError } from '../../zk/errors.ts';
import type { ZkSession } from '../../zk/session.ts';
import type { Held, LockContender } from './types.ts';
import { throwIfAborted } from './waiting.ts';

const PREFIX = 'lock-';

/** The 10-digit counter ZooKeeper appends to a sequential node's name. */
export function sequenceOf(name: string): number {
  return Number(name.slice(-10));
}

/**
 * Children ordered by sequence number: the queue, head first. The counter is zero-padded to 10 digits
 * after one common prefix, so name order is sequence order, and the native string sort (no number
 * parsing per comparison) keeps this cheap on the hand-off path with a thousand contenders.
 */
export function queueOrder(children: readonly string[]): string[] {
  return children.filter((c) => c.startsWith(PREFIX)).sort();
}

export class QueueNode {
  /** Full path once created. */
  path: string | undefined;

  constructor(
    private readonly session: ZkSession,
    readonly lockPath: string,
  ) {}

  async create(): Promise<string> {
    this.path = await this.session.create(`${this.lockPath}/${PREFIX}`, '', ZOO_EPHEMERAL_SEQUENTIAL);
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
      await this.session.delete(path);
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

  constructor(
    protected readonly session: ZkSession,
    protected readonly lockPath: string,
  ) {
    this.node = new QueueNode(session, lockPath);
  }

  async acquire(signal: AbortSignal): Promise<Held> {
    const me = await this.node.create();
    try {
      const held = await this.waitForTurn(me, signal);
      throwIfAborted(signal); // aborted while the last listing was in flight: give the turn back, as every recipe does
      return held;
    } catch (err) {
      await this.node.withdrawQuietly();
      throw err;
    }
  }

  release(): Promise<void> {
    return this.node.remove();
  }

  /** Resolve once `me` (this contender's node name) holds the lock by the recipe's rule. */
  protected abstract waitForTurn(me: string, signal: AbortSignal): Promise<Held>;
}
