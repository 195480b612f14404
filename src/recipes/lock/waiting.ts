// Waiting for a watch event while staying cancellable: the building block every lock recipe parks on.
import { AcquireAbortedError } from './types.ts';

export interface Parking {
  /** Pass as the watcher: wakes the waiter (extra calls are no-ops). */
  readonly wake: () => void;
  /** Resolves on wake, rejects with AcquireAbortedError when the signal aborts first. */
  readonly woken: Promise<void>;
  /** Stop listening to the signal when the wait is abandoned without awaiting `woken`. */
  readonly dispose: () => void;
}

export function park(signal: AbortSignal): Parking {
  let wake!: () => void;
  let onAbort!: () => void;
  const woken = new Promise<void>((resolve, reject) => {
    onAbort = () => reject(new AcquireAbortedError(signal.reason));
    wake = () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
  });
  // Unobserved rejections of a disposed parking must not crash the process.
  woken.catch(() => undefined);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return { wake, woken, dispose: () => signal.removeEventListener('abort', onAbort) };
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AcquireAbortedError(signal.reason);
}
