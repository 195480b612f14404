// Drives a Pacer (pacer.ts) with timers, for any operation a scenario paces: each operation is released
// at its intended start, and its end frees its client's slot for the client's oldest waiting operation.
import type { Pacer, PacedOp, PacerCounts, Now } from './pacer.ts';

/**
 * Calls `start(op, done)` for every operation the pacer releases; `done` is called once the operation has
 * ended (answered or failed). At the stop the schedule releases nothing more; operations still waiting for
 * a slot are started for `drainMs` more, then dropped (0: dropped at once). Resolves with the pacer's
 * counts once the run has stopped and every operation started has ended.
 */
export function drivePacer(pacer: Pacer, clock: Now, stop: AbortSignal, start: (op: PacedOp, done: () => void) => void, drainMs: number): Promise<PacerCounts> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const settleIfDone = (): void => {
      if (stop.aborted && pacer.inFlightNow === 0) resolve(pacer.counts);
    };
    const send = (op: PacedOp): void => {
      start(op, () => {
        const next = pacer.finished(op.client);
        if (next) send(next);
        else settleIfDone();
      });
    };
    const tick = (): void => {
      timer = undefined;
      if (stop.aborted) return;
      for (const op of pacer.release()) send(op);
      const due = pacer.nextDueNs();
      // Whole milliseconds, rounded down: an early wake releases nothing and sets the timer again.
      if (due !== undefined) timer = setTimeout(tick, Math.max(0, Math.floor((due - clock.now()) / 1e6)));
    };
    const onStop = (): void => {
      clearTimeout(timer);
      if (drainMs > 0) {
        pacer.stop();
        // What still waits a while after the stop is dropped (a hopeless rate must not drag the run out).
        setTimeout(() => {
          pacer.stop(true);
          settleIfDone();
        }, drainMs).unref();
      } else {
        pacer.stop(true);
      }
      settleIfDone();
    };
    if (stop.aborted) onStop();
    else {
      stop.addEventListener('abort', onStop, { once: true });
      tick();
    }
  });
}
