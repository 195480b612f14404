// What one load process records in the throughput scenario: the latency of every request of the measured
// window, their count, failures by ZooKeeper error name, and the timeline (every request and failure by
// its completion, warm-up included). A request belongs to the window it was intended in: in a closed loop
// that is when it was sent; in an open loop (measure/open-loop.ts) its intended start on the schedule,
// from which `latency` is then timed, `serviceTime` from the actual start.
import type { RelNs } from './clock.ts';
import { encodeHistogram, newLatencyHistogram, recordNs, type Histogram } from './histogram.ts';
import { inWindow, type MeasuredWindow } from './measured-window.ts';
import type { PacerCounts } from './pacer.ts';
import { IntervalRecorder } from './timeline.ts';

export interface ThroughputWorkerReport {
  /** Encoded µs histogram of request latency (from the intended start), measured window only. */
  latency: string;
  /** Open loop: encoded µs histogram from the actual start, measured window only. */
  serviceTime?: string;
  /** Open loop: the pacer's counts over the measured window. */
  pacer?: PacerCounts;
  /** Requests completed in the measured window. */
  ops: number;
  /** Completion time of the last measured request (ends the window in effect). */
  lastAt: RelNs | undefined;
  errors: Record<string, number>;
}

export class ThroughputRecorder {
  private readonly hist: Histogram = newLatencyHistogram();
  private readonly service: Histogram | undefined;
  private ops = 0;
  private lastAt: RelNs | undefined;
  private readonly errors = new Map<string, number>();
  /** All completed requests, warm-up included: a live progress figure (the other: measured). */
  total = 0;
  /** Requests (latency) and failures per interval by completion; the grid starts at the measured window. */
  readonly timeline: IntervalRecorder;

  /** @param openLoop record the service time beside the latency (requests have intended starts) */
  constructor(
    private readonly window: MeasuredWindow,
    openLoop = false,
  ) {
    this.timeline = new IntervalRecorder(window.measureFrom);
    if (openLoop) this.service = newLatencyHistogram();
  }

  /** A request sent at `start`, answered at `end`; `intended` is its intended start (closed loop: the send). */
  completed(start: RelNs, end: RelNs, intended: RelNs = start): void {
    this.total++;
    this.timeline.completed(end, end - intended);
    // A request counts in the window it was intended in; one intended in the warm-up is not measured.
    if (!inWindow(intended, this.window)) return;
    recordNs(this.hist, end - intended);
    if (this.service) recordNs(this.service, end - start);
    this.ops++;
    this.lastAt = end;
  }

  /** Requests completed in the measured window so far. */
  get measured(): number {
    return this.ops;
  }

  failed(kind: string, at: RelNs): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
    this.timeline.failed(at);
  }

  report(pacer?: PacerCounts): ThroughputWorkerReport {
    return {
      latency: encodeHistogram(this.hist),
      ...(this.service ? { serviceTime: encodeHistogram(this.service) } : {}),
      ...(pacer ? { pacer } : {}),
      ops: this.ops,
      lastAt: this.lastAt,
      errors: Object.fromEntries(this.errors),
    };
  }
}
