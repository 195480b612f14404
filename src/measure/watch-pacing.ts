// When the writer of a watch run sends its next update (SPEC §2 "Watch family", issue 8). Two pacings:
// `paced` sends only when every watcher is armed for the next update, so each update's latency is clean
// and nothing coalesces; `rate` sends R updates per second on fixed intended starts whatever the watchers
// do, which shows coalescing and queueing. Pure: the caller owns the clock and the timers.
import type { RelNs } from './clock.ts';

export type WatchPacing = { kind: 'paced' } | { kind: 'rate'; ratePerS: number };

export interface WatcherState {
  /** A watch is set: the watcher's last read completed and no event has arrived since. */
  armed: boolean;
  /** The version that read saw. */
  version: number;
}

export interface WriterState {
  /** Version of the last update sent; before the first update, the version the watchers start from. */
  version: number;
  /** Every update sent has been acknowledged. */
  acked: boolean;
}

/**
 * paced: the next update may go once the last one is acknowledged and every watcher is armed by a read
 * that saw it. Such a watcher is armed for the next update in the sense of watch-metrics.ts (a completed
 * read of the version before it, done before its send), so every update is owed to all N watchers. A
 * watcher armed at an older version still has an event coming for an update already sent; one re-arming
 * has no watch yet; neither is ready. A watcher that never re-arms (its session died) holds the writer
 * forever: the caller bounds the wait.
 */
export function pacedMayUpdate(writer: WriterState, watchers: Iterable<WatcherState>): boolean {
  if (!writer.acked) return false;
  for (const w of watchers) if (!w.armed || w.version < writer.version) return false;
  return true;
}

export interface RateSchedule {
  /** Intended start of update 1. */
  startNs: RelNs;
  ratePerS: number;
}

/** rate: update `seq` (1-based) is intended to start at startNs + (seq − 1)/R, whenever the last one finished. */
export function intendedStartNs(s: RateSchedule, seq: number): RelNs {
  if (!(s.ratePerS > 0)) throw new Error(`a rate schedule needs a rate above 0 updates/s, not ${s.ratePerS}`);
  return s.startNs + ((seq - 1) * 1e9) / s.ratePerS;
}

/** How long to wait at `nowNs` before sending update `seq`: 0 when it is due or already late. */
export function waitBeforeSendNs(s: RateSchedule, seq: number, nowNs: RelNs): number {
  return Math.max(0, intendedStartNs(s, seq) - nowNs);
}
