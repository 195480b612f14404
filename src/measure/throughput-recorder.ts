// What one load process records in the closed-loop throughput scenario: the latency of every request
// completed in the measured window, their count, failures by ZooKeeper error name, and the timeline
// (every request and failure by its completion, warm-up included).
import type { RelNs } from './clock.ts';
import { encodeHistogram, newLatencyHistogram, recordNs, type Histogram } from './histogram.ts';
import { inWindow, type MeasuredWindow } from './measured-window.ts';
import { IntervalRecorder } from './timeline.ts';

export interface ThroughputWorkerReport {
  /** Encoded µs histogram of request latency, measured window only. */
  latency: string;
  /** Requests completed in the measured window. */
  ops: number;
  /** Completion time of the last measured request (ends the window in effect). */
  lastAt: RelNs | undefined;
  errors: Record<string, number>;
}

export class ThroughputRecorder {
  private readonly hist: Histogram = newLatencyHistogram();
  private ops = 0;
  private lastAt: RelNs | undefined;
  private readonly errors = new Map<string, number>();
  /** All completed requests, warm-up included: a live progress figure (the other: measured). */
  total = 0;
  /** Requests (latency) and failures per interval by completion; the grid starts at the measured window. */
  readonly timeline: IntervalRecorder;

  constructor(private readonly window: MeasuredWindow) {
    this.timeline = new IntervalRecorder(window.measureFrom);
  }

  completed(start: RelNs, end: RelNs): void {
    this.total++;
    this.timeline.completed(end, end - start);
    // A request counts in the window it was issued in; one issued in warm-up is not measured.
    if (!inWindow(start, this.window)) return;
    recordNs(this.hist, end - start);
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

  report(): ThroughputWorkerReport {
    return { latency: encodeHistogram(this.hist), ops: this.ops, lastAt: this.lastAt, errors: Object.fromEntries(this.errors) };
  }
}
