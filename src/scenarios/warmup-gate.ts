// A warm-up that ends when the clients are ready rather than after a fixed time (a workload's
// `warmup_until`, e.g. lock-contention's `queued`: every contender in line). Each load process reports
// the moment its last client got ready; once every process has, the coordinator decides the measured
// window (one instant for every process, as with a timed warm-up) and tells them. Until then the window
// is pending and nothing counts. Pure: every moment is given by the caller, on the run clock.
import type { RelNs } from '../measure/clock.ts';
import type { RunWindow } from '../measure/measured-window.ts';

/** How long after the decision the window opens at the earliest: time for the word to reach every process. */
export const DECISION_LEAD_NS = 100_000_000;

/**
 * The window a gated run starts with: the clients start at `startAt`; the measured window opens no
 * earlier than after `warmupS`, and only once decided (pending).
 */
export function pendingWindow(startAt: RelNs, warmupS: number): RunWindow {
  return { startAt, measureFrom: startAt + warmupS * 1e9, stopAt: undefined, pending: true };
}

export interface WindowDecision {
  /** The window the run started with (pendingWindow). */
  pending: RunWindow;
  /** When the last load process's last client got ready. */
  readyAt: RelNs;
  /** The coordinator's clock now. */
  now: RelNs;
  /** Measured seconds, or undefined when the run is bound by counts. */
  durationS: number | undefined;
  /** The timeline grid's interval: the window opens on the grid the processes already bucket on (it starts at the pending measureFrom). */
  intervalNs: number;
  leadNs?: number;
}

/**
 * The measured window: it opens at the first grid instant at or after the pending window's earliest
 * start, the moment every client was ready, and the decision plus its lead; it lasts `durationS`.
 */
export function decideWindow(d: WindowDecision): RunWindow {
  const earliest = d.pending.measureFrom;
  const notBefore = Math.max(earliest, d.readyAt, d.now + (d.leadNs ?? DECISION_LEAD_NS));
  const measureFrom = earliest + Math.ceil((notBefore - earliest) / d.intervalNs) * d.intervalNs;
  return { startAt: d.pending.startAt, measureFrom, stopAt: d.durationS === undefined ? undefined : measureFrom + d.durationS * 1e9 };
}

/** Which load processes have reported ready, and when the last of them did. */
export class ReadyReports {
  private readonly at: (RelNs | undefined)[];

  constructor(processes: number) {
    this.at = Array.from({ length: processes }, () => undefined);
  }

  /** Process `index` got every client of its own ready at `at` (a repeated report keeps the first). */
  report(index: number, at: RelNs): void {
    if (index < 0 || index >= this.at.length) throw new Error(`no load process ${index} (${this.at.length} report)`);
    this.at[index] ??= at;
  }

  get complete(): boolean {
    return this.at.every((t) => t !== undefined);
  }

  /** When the last process got ready; undefined until every one has. */
  get readyAt(): RelNs | undefined {
    return this.complete ? Math.max(...(this.at as RelNs[])) : undefined;
  }

  /** Indexes of the processes not ready yet (for the message when the warm-up runs out). */
  waiting(): number[] {
    return this.at.flatMap((t, i) => (t === undefined ? [i] : []));
  }
}
