// How a lock contender lives through a lost connection (issue 9 point 3). A lost connection is not a lost
// session: the C client reconnects (to the same or another server) within the session timeout, and the
// session's ephemeral nodes and watches are still there. What is lost is the answer to any request in
// flight, which fails with ZCONNECTIONLOSS (or ZOPERATIONTIMEOUT) whether or not the server applied it.
//   restart-session  the request's error ends the acquisition; the client starts over on a fresh session
//                    (the suite's original behaviour, and what a naive client does).
//   resume           what a careful client does (Curator): wait for the session to reconnect and repeat the
//                    request; reads and deletes are safe to repeat (a repeated delete that finds no node
//                    had its first attempt applied), creates are "protected": the node's name carries a
//                    unique prefix (or, for a fixed name, its data a unique token), so a create whose answer
//                    was lost is found again by looking instead of being made twice. Only an expired
//                    (or closed) session ends the attempt.
import { randomUUID } from 'node:crypto';
import { ZCONNECTIONLOSS, ZNONODE, ZOPERATIONTIMEOUT, ZSESSIONEXPIRED, ZINVALIDSTATE } from '../../zk/binding.ts';
import { isZkError, ZkError } from '../../zk/errors.ts';
import type { Stat, Watcher, ZkSession } from '../../zk/session.ts';
import { AcquireAbortedError, type Recovery } from './types.ts';

export type { Recovery };

/** The request's answer was lost with the connection: it may or may not have been applied. */
export function isConnectionLoss(err: unknown): boolean {
  return isZkError(err, ZCONNECTIONLOSS) || isZkError(err, ZOPERATIONTIMEOUT);
}

/** A lost answer can arrive before the client reports the connection lost: wait this long before asking again. */
const RETRY_PAUSE_MS = 10;

/**
 * Resolves once `session` is connected; rejects with a ZkError when it expires or is closed first, or
 * with AcquireAbortedError when `signal` aborts first.
 */
export function untilConnected(session: ZkSession, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    let unsubscribe = (): void => undefined;
    const finish = (err?: Error): void => {
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    const onAbort = (): void => finish(new AcquireAbortedError(signal?.reason));
    const check = (): boolean => {
      const s = session.state;
      if (s === 'connected') finish();
      else if (s === 'expired' || s === 'closed') finish(new ZkError(s === 'expired' ? ZSESSIONEXPIRED : ZINVALIDSTATE, 'reconnect', '(session lost while reconnecting)'));
      else return false;
      return true;
    };
    if (signal?.aborted) return onAbort();
    if (check()) return;
    signal?.addEventListener('abort', onAbort, { once: true });
    unsubscribe = session.onStateChange(() => void check());
  });
}

/**
 * The requests a lock recipe makes, carried out under one recovery mode. With `restart-session` each is the
 * session's own call; with `resume` a lost answer is waited out and the request repeated as above.
 */
export class LockCalls {
  /** Each contender's own protection prefix (Curator's `_c_<uuid>-`). */
  readonly protection: string;

  constructor(
    readonly session: ZkSession,
    readonly recovery: Recovery = 'restart-session',
  ) {
    this.protection = `_c_${randomUUID()}-`;
  }

  get resumes(): boolean {
    return this.recovery === 'resume';
  }

  /** Run `request`; under `resume`, repeat it after each lost answer once the session is back. */
  async retrying<T>(request: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (;;) {
      try {
        return await request();
      } catch (err) {
        if (!this.resumes || !isConnectionLoss(err)) throw err;
      }
      await this.afterLoss(signal);
    }
  }

  /** Wait out a lost answer: a moment (the disconnection may not be reported yet), then the reconnection. */
  private async afterLoss(signal?: AbortSignal): Promise<void> {
    await new Promise((r) => setTimeout(r, RETRY_PAUSE_MS));
    await untilConnected(this.session, signal);
  }

  getChildren(path: string, watcher?: Watcher, signal?: AbortSignal): Promise<string[]> {
    return this.retrying(() => this.session.getChildren(path, watcher), signal);
  }

  exists(path: string, watcher?: Watcher, signal?: AbortSignal): Promise<Stat | null> {
    return this.retrying(() => this.session.exists(path, watcher), signal);
  }

  /**
   * Delete; under `resume` a repeat that finds no node means an earlier attempt was applied, which is
   * success (the first attempt's ZNONODE is still an error: the node was never there).
   */
  async delete(path: string): Promise<void> {
    let repeated = false;
    await this.retrying(async () => {
      try {
        await this.session.delete(path);
      } catch (err) {
        if (repeated && isZkError(err, ZNONODE)) return;
        if (isConnectionLoss(err)) repeated = true;
        throw err;
      }
    });
  }

  /**
   * Create a sequential child `<parent>/<protection><prefix>NNNNNNNNNN`; under `resume`, after a lost answer
   * look for a child carrying this contender's protection prefix before creating again. Returns the path.
   */
  async createSequential(parent: string, prefix: string, flags: number, signal?: AbortSignal): Promise<string> {
    if (!this.resumes) return this.session.create(`${parent}/${prefix}`, '', flags);
    for (;;) {
      try {
        return await this.session.create(`${parent}/${this.protection}${prefix}`, '', flags);
      } catch (err) {
        if (!isConnectionLoss(err)) throw err;
      }
      await this.afterLoss(signal);
      const mine = (await this.getChildren(parent, undefined, signal)).find((c) => c.startsWith(this.protection));
      if (mine !== undefined) return `${parent}/${mine}`;
    }
  }

  /**
   * Create `path` (a fixed name) carrying this contender's token as data; under `resume`, after a lost answer
   * read the node: if it carries our token the create was applied. Rejects as the create would (e.g.
   * ZNODEEXISTS when another contender's node is there).
   */
  async createOwned(path: string, flags: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      try {
        await this.session.create(path, this.protection, flags);
        return;
      } catch (err) {
        if (!this.resumes || !isConnectionLoss(err)) throw err;
      }
      await this.afterLoss(signal);
      const found = await this.retrying(() => this.session.get(path).catch((e: unknown) => (isZkError(e, ZNONODE) ? null : Promise.reject(e))), signal);
      if (found?.data.toString() === this.protection) return;
    }
  }
}
