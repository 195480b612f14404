// Waiting for a watch event while staying cancellable: the building block every lock recipe parks on.
// A wait also ends when the session dies: a dead session delivers no more watch events, so without
// this a waiter would wait forever.
import { ZINVALIDSTATE, ZSESSIONEXPIRED } from '../../zk/binding.ts';
import { ZkError } from '../../zk/errors.ts';
import type { ZkSession } from '../../zk/session.ts';
import { AcquireAbortedError } from './types.ts';

export interface Parking {
  /** Pass as the watcher: wakes the waiter (extra calls are no-ops). */
  readonly wake: () => void;
  /**
   * Resolves on wake; rejects with AcquireAbortedError when the signal aborts first, or with a ZkError
   * when the session expires or closes first.
   */
  readonly woken: Promise<void>;
  /** Stop listening when the wait is abandoned without awaiting `woken`. */
  readonly dispose: () => void;
}

export function park(signal: AbortSignal, session: ZkSession): Parking {
  let settle!: (err?: Error) => void;
  let unsubscribe = (): void => undefined;
  const onAbort = (): void => settle(new AcquireAbortedError(signal.reason));
  const woken = new Promise<void>((resolve, reject) => {
    let done = false;
    settle = (err) => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      unsubscribe();
      if (err) reject(err);
      else resolve();
    };
  });
  // Unobserved rejections of a disposed parking must not crash the process.
  woken.catch(() => undefined);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  unsubscribe = session.onStateChange((state) => {
    if (state === 'expired' || state === 'closed') {
      settle(new ZkError(state === 'expired' ? ZSESSIONEXPIRED : ZINVALIDSTATE, 'watch', '(session lost while waiting)'));
    }
  });
  return { wake: () => settle(), woken, dispose: () => settle() };
}

/** `f` callable any number of times, running at most once (a contender queues once per acquisition). */
export function once(f: (() => void) | undefined): () => void {
  let called = f === undefined;
  return () => {
    if (called) return;
    called = true;
    f!();
  };
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AcquireAbortedError(signal.reason);
}
