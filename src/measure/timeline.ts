// The timeline of a recipe (timeline.csv, SPEC §3): what completed, failed and happened per 100 ms interval.
// Each process buckets by the moment an operation completed into intervals on a grid every process shares
// (aligned on the measured window's start, so no interval straddles it), with one HdrHistogram per
// interval; the coordinator merges the processes exactly: histograms per interval, never percentiles.
// Pure: every moment is given by the caller, on the run clock.
import type { RelNs } from './clock.ts';
import { decodeHistogram, encodeHistogram, newLatencyHistogram, recordNs, type Histogram } from './histogram.ts';
import type { MeasuredWindow } from './measured-window.ts';

export const TIMELINE_INTERVAL_NS = 100_000_000;

/**
 * Interval histograms stay open this many intervals after a later one starts, because completions arrive
 * a little out of order (a hold is recorded at its release, stamped with its held moment); older ones are
 * encoded, which keeps a process's memory flat however long the run. A later straggler is still added.
 */
const OPEN_INTERVALS = 20;

/** Interval k of a grid covers [gridFrom + k·intervalNs, gridFrom + (k+1)·intervalNs) on the run clock. */
export interface IntervalGrid {
  gridFrom: RelNs;
  intervalNs: number;
}

export function intervalIndex(grid: IntervalGrid, t: RelNs): number {
  return Math.floor((t - grid.gridFrom) / grid.intervalNs);
}

export function intervalStart(grid: IntervalGrid, index: number): RelNs {
  return grid.gridFrom + index * grid.intervalNs;
}

/** One process's interval: operations completed, failures, and the encoded µs latency histogram (when ops > 0). */
export interface IntervalBucket {
  index: number;
  ops: number;
  errors: number;
  latency: string | undefined;
}

/** Occurrences of one event (e.g. "session disconnected") in one interval, and when the first happened. */
export interface CountedEvent {
  index: number;
  source: string;
  text: string;
  firstAt: RelNs;
  count: number;
}

/** What one process recorded, as plain JSON for the trip to the coordinator. */
export interface IntervalReport extends IntervalGrid {
  buckets: IntervalBucket[];
  events: CountedEvent[];
}

export class IntervalRecorder {
  readonly grid: IntervalGrid;
  private readonly counts = new Map<number, { ops: number; errors: number }>();
  private readonly live = new Map<number, Histogram>();
  private readonly sealed = new Map<number, string>();
  /** Reset histograms of sealed intervals, reused (each is ~100 kB). */
  private readonly spare: Histogram[] = [];
  private newestLive = Number.NEGATIVE_INFINITY;
  private readonly events = new Map<string, CountedEvent>();

  constructor(gridFrom: RelNs, intervalNs = TIMELINE_INTERVAL_NS) {
    this.grid = { gridFrom, intervalNs };
  }

  /** An operation that completed at `at` after `latencyNs`. */
  completed(at: RelNs, latencyNs: number): void {
    const i = intervalIndex(this.grid, at);
    this.countsAt(i).ops++;
    this.recordLatency(i, latencyNs);
  }

  /** An operation that failed at `at`. */
  failed(at: RelNs): void {
    this.countsAt(intervalIndex(this.grid, at)).errors++;
  }

  /** Something that happened at `at`; occurrences of the same (source, text) in one interval are counted together. */
  event(at: RelNs, source: string, text: string): void {
    const index = intervalIndex(this.grid, at);
    const key = `${index}\u0000${source}\u0000${text}`;
    const e = this.events.get(key);
    if (e) {
      e.count++;
      e.firstAt = Math.min(e.firstAt, at);
    } else {
      this.events.set(key, { index, source, text, firstAt: at, count: 1 });
    }
  }

  report(): IntervalReport {
    this.sealBefore(Number.POSITIVE_INFINITY);
    const buckets = [...this.counts]
      .sort(([a], [b]) => a - b)
      .map(([index, c]) => ({ index, ops: c.ops, errors: c.errors, latency: this.sealed.get(index) }));
    return { ...this.grid, buckets, events: [...this.events.values()] };
  }

  private countsAt(i: number): { ops: number; errors: number } {
    let c = this.counts.get(i);
    if (!c) {
      c = { ops: 0, errors: 0 };
      this.counts.set(i, c);
    }
    return c;
  }

  private recordLatency(i: number, ns: number): void {
    const open = this.live.get(i);
    if (open) {
      recordNs(open, ns);
      return;
    }
    const encoded = this.sealed.get(i);
    if (encoded !== undefined) {
      // A straggler for an interval already sealed: rare, slow, exact.
      const h = decodeHistogram(encoded);
      recordNs(h, ns);
      this.sealed.set(i, encodeHistogram(h));
      return;
    }
    const h = this.spare.pop() ?? newLatencyHistogram();
    recordNs(h, ns);
    this.live.set(i, h);
    if (i > this.newestLive) {
      this.newestLive = i;
      this.sealBefore(i - OPEN_INTERVALS);
    }
  }

  private sealBefore(limit: number): void {
    for (const [j, h] of this.live) {
      if (j >= limit) continue;
      this.sealed.set(j, encodeHistogram(h));
      h.reset();
      this.spare.push(h);
      this.live.delete(j);
    }
  }
}

/** One interval over every process: latencies in ms from the merged histogram, undefined without ops. */
export interface IntervalFigures {
  index: number;
  ops: number;
  errors: number;
  p50Ms: number | undefined;
  p99Ms: number | undefined;
  maxMs: number | undefined;
}

export interface MergedIntervals {
  intervals: IntervalFigures[];
  events: CountedEvent[];
}

/** Every process's intervals merged: counts added, histograms added per interval, events counted together. */
export function mergeIntervalReports(grid: IntervalGrid, reports: readonly IntervalReport[]): MergedIntervals {
  const byIndex = new Map<number, { ops: number; errors: number; latencies: string[] }>();
  const events = new Map<string, CountedEvent>();
  for (const r of reports) {
    if (r.gridFrom !== grid.gridFrom || r.intervalNs !== grid.intervalNs) {
      throw new Error(`interval grids differ: ${r.gridFrom}+k·${r.intervalNs} ns, expected ${grid.gridFrom}+k·${grid.intervalNs} ns`);
    }
    for (const b of r.buckets) {
      const m = byIndex.get(b.index) ?? { ops: 0, errors: 0, latencies: [] };
      m.ops += b.ops;
      m.errors += b.errors;
      if (b.latency !== undefined) m.latencies.push(b.latency);
      byIndex.set(b.index, m);
    }
    for (const e of r.events) {
      const key = `${e.index}\u0000${e.source}\u0000${e.text}`;
      const m = events.get(key);
      if (m) {
        m.count += e.count;
        m.firstAt = Math.min(m.firstAt, e.firstAt);
      } else {
        events.set(key, { ...e });
      }
    }
  }
  // One histogram, reset for each interval: a fresh one per interval costs more than the merge itself.
  const merged = newLatencyHistogram();
  const intervals = [...byIndex]
    .sort(([a], [b]) => a - b)
    .map(([index, m]) => {
      merged.reset();
      for (const e of m.latencies) merged.add(decodeHistogram(e));
      const empty = merged.totalCount === 0;
      const ms = (us: number): number | undefined => (empty ? undefined : us / 1000);
      return { index, ops: m.ops, errors: m.errors, p50Ms: ms(merged.getValueAtPercentile(50)), p99Ms: ms(merged.getValueAtPercentile(99)), maxMs: ms(merged.maxValue) };
    });
  return { intervals, events: [...events.values()].sort((a, b) => a.firstAt - b.firstAt) };
}

/**
 * Something worth a mark on the timeline: a session state change, a server's warning, a fault. Sources
 * other than the load processes add theirs to RecipeTimeline.events (or RunRecord-level lists merged by
 * the writer); timeline.csv writes each as its own row at its own moment.
 */
export interface TimelineEvent {
  /** Run-clock ns. */
  atNs: RelNs;
  /** The recipe it happened during; undefined for run-level events. */
  recipe?: string | undefined;
  /** Who saw it: 'session' (the client layer), 'server-log', 'fault', ... */
  source: string;
  text: string;
}

/**
 * The leader as a `srvr` poll found it: an id, or undefined when every server answered and none said
 * leader, or, with `error`, when the poll failed (a server did not answer, none of the others leads): then
 * the leader is unknown, not absent. `observed`: seen by a fault's election watch, not polled.
 */
export interface LeaderSample {
  atNs: RelNs;
  leader: number | undefined;
  error?: string;
  observed?: true;
}

/** Everything timeline.csv shows of one recipe. */
export interface RecipeTimeline extends IntervalGrid, MeasuredWindow {
  /** The recipe's span on the run clock: its clients' start to the stop or its last recorded moment. */
  from: RelNs;
  to: RelNs;
  /** Intervals in which something was recorded; the others had no completions and no failures. */
  intervals: IntervalFigures[];
  events: TimelineEvent[];
  /** Polls of the leader during the recipe (empty when not polled). */
  leaders: LeaderSample[];
}

/** A merged occurrence count as one event: the first occurrence's moment, the count when more than one. */
export function countedEventToTimeline(e: CountedEvent, recipe: string): TimelineEvent {
  return { atNs: e.firstAt, recipe, source: e.source, text: e.count > 1 ? `${e.text} (×${e.count})` : e.text };
}

/** A recipe's timeline from every process's report; the span runs from `startAt` to at least the stop. */
export function recipeTimeline(
  recipe: string,
  grid: IntervalGrid,
  window: MeasuredWindow & { startAt: RelNs },
  reports: readonly IntervalReport[],
): RecipeTimeline {
  const merged = mergeIntervalReports(grid, reports);
  const events = merged.events.map((e) => countedEventToTimeline(e, recipe));
  const first = merged.intervals[0];
  const last = merged.intervals.at(-1);
  let from = Math.min(window.startAt, first ? intervalStart(grid, first.index) : Infinity);
  let to = Math.max(window.stopAt ?? window.startAt, last ? intervalStart(grid, last.index + 1) : 0);
  for (const e of events) [from, to] = [Math.min(from, e.atNs), Math.max(to, e.atNs + 1)];
  return { ...grid, measureFrom: window.measureFrom, stopAt: window.stopAt, from, to, intervals: merged.intervals, events, leaders: [] };
}

/**
 * The leader during an interval ending at `end`: the latest sample before then (forward-filled); undefined
 * for no leader and for a failed poll alike (timeline.csv's empty cell; a failed poll has its own event row).
 * Samples oldest first.
 */
export function leaderAt(samples: readonly LeaderSample[], end: RelNs): number | undefined {
  // Binary search for the last sample before `end`: a long run has thousands of both.
  let [lo, hi] = [0, samples.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid]!.atNs < end) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? samples[lo - 1]!.leader : undefined;
}

export type TimelinePhase = 'warmup' | 'measured' | 'after';

/** The phase of the run at `t`: before the measured window, in it, or after its stop. */
export function phaseAt(window: MeasuredWindow, t: RelNs): TimelinePhase {
  if (t < window.measureFrom) return 'warmup';
  return window.stopAt !== undefined && t >= window.stopAt ? 'after' : 'measured';
}
