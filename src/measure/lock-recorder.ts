// What one load process records while its clients contend for a lock: every hold (for the cross-process
// violation and hand-off checks), the acquire latencies of the measured window, the outcomes that are
// not acquisitions, and the timeline (every acquisition by its held moment, every failure by its own).
// Its report is plain JSON so it can cross a process boundary.
import type { RelNs } from './clock.ts';
import { encodeHistogram, newLatencyHistogram, recordNs, type Histogram } from './histogram.ts';
import type { HoldRecord } from './hold-intervals.ts';
import { inWindow, type MeasuredWindow } from './measured-window.ts';
import { IntervalRecorder } from './timeline.ts';

export interface LockWorkerReport {
  /** Encoded µs histogram of acquire latency (acquire() called → held), measured window only. */
  acquire: string;
  /** Open loop: encoded µs histogram from each attempt's intended start to held (SPEC's `latency`), measured window only. */
  latency?: string;
  /** Every hold, warm-up included (safety is checked over the whole run). */
  holds: HoldRecord[];
  /** Measured acquisitions per client id. */
  perClient: Record<number, number>;
  timeouts: number;
  abandoned: number;
  /** Contenders still waiting when the run stopped: their wait is in no acquire figure. */
  waitingAtEnd: number;
  /** Unexpected failures by ZooKeeper error name (or the error's name when it has no code). */
  errors: Record<string, number>;
  firstError: string | undefined;
}

export class LockRecorder {
  private readonly acquireHist: Histogram = newLatencyHistogram();
  /** Open loop only: from the intended start. */
  private readonly intendedHist: Histogram | undefined;
  private readonly holds: HoldRecord[] = [];
  private readonly perClient = new Map<number, number>();
  private timeouts = 0;
  private abandoned = 0;
  private waitingAtEnd = 0;
  private readonly errors = new Map<string, number>();
  private firstError: string | undefined;
  /** All acquisitions so far, warm-up included, and those in the measured window: the live progress figures. */
  total = 0;
  measured = 0;
  /** Acquisitions (acquire latency) and failures per interval, warm-up included; the grid starts at the measured window. */
  readonly timeline: IntervalRecorder;
  /** While the window is pending: the holds that may yet fall inside it (held at or after its earliest start). */
  private undecided: HoldRecord[] = [];

  constructor(
    private window: MeasuredWindow,
    openLoop = false,
  ) {
    // A pending window opens on this grid too (warmup-gate.ts), so no interval straddles its start.
    this.timeline = new IntervalRecorder(window.measureFrom);
    this.intendedHist = openLoop ? newLatencyHistogram() : undefined;
  }

  /**
   * The window of a run that started with a pending one: the holds kept meanwhile are counted now, so a
   * hold inside the window counts whether the decision reached this process before it or after.
   */
  decide(window: MeasuredWindow): void {
    this.window = window;
    for (const hold of this.undecided.splice(0)) this.count(hold);
  }

  /** Measured acquisitions of one client so far. */
  measuredOf(client: number): number {
    return this.perClient.get(client) ?? 0;
  }

  /** Registers a client so that one that never acquires still counts in fairness. */
  addClient(client: number): void {
    if (!this.perClient.has(client)) this.perClient.set(client, 0);
  }

  /** Records a completed hold; returns whether it counts as measured (while the window is pending, not yet). */
  acquired(hold: HoldRecord): boolean {
    this.holds.push(hold);
    this.total++;
    this.timeline.completed(hold.tHeld, hold.tHeld - hold.tAcquire);
    if (this.window.pending) {
      if (hold.tHeld >= this.window.measureFrom) this.undecided.push(hold);
      return false;
    }
    return this.count(hold);
  }

  private count(hold: HoldRecord): boolean {
    if (!inWindow(hold.tHeld, this.window)) return false;
    this.measured++;
    recordNs(this.acquireHist, hold.tHeld - hold.tAcquire);
    if (this.intendedHist) recordNs(this.intendedHist, hold.tHeld - (hold.tIntended ?? hold.tAcquire));
    this.perClient.set(hold.client, (this.perClient.get(hold.client) ?? 0) + 1);
    return true;
  }

  timedOut(): void {
    this.timeouts++;
  }

  gaveUp(): void {
    this.abandoned++;
  }

  stoppedWhileWaiting(): void {
    this.waitingAtEnd++;
  }

  failed(kind: string, message: string, at: RelNs): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
    this.firstError ??= message;
    this.timeline.failed(at);
  }

  report(): LockWorkerReport {
    return {
      acquire: encodeHistogram(this.acquireHist),
      ...(this.intendedHist ? { latency: encodeHistogram(this.intendedHist) } : {}),
      holds: this.holds,
      perClient: Object.fromEntries(this.perClient),
      timeouts: this.timeouts,
      abandoned: this.abandoned,
      waitingAtEnd: this.waitingAtEnd,
      errors: Object.fromEntries(this.errors),
      firstError: this.firstError,
    };
  }
}
