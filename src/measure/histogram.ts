// HdrHistogram helpers: one histogram kind for every latency (microseconds, 3 significant digits, SPEC §2),
// compressed base64 to cross process boundaries, and the distribution summary every report prints.
import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

export type { Histogram };

/** Latencies are recorded in µs; one hour is far beyond anything a recipe should take. */
const HIGHEST_TRACKABLE_US = 3_600_000_000;

export function newLatencyHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: 3,
  });
}

/** Record a duration given in nanoseconds; the histogram holds microseconds. */
export function recordNs(h: Histogram, ns: number): void {
  h.recordValue(Math.max(0, Math.round(ns / 1000)));
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 32, false);
}

/** Merge histograms recorded in several processes into one fresh histogram. */
export function mergeEncoded(encoded: readonly string[]): Histogram {
  const merged = newLatencyHistogram();
  for (const e of encoded) merged.add(decodeHistogram(e));
  return merged;
}

/**
 * A recorded value, as HdrHistogram reports it, brought within what was recorded. HdrHistogram gives
 * a percentile as the highest value equivalent to its bucket (the lowest, at 0%), which can lie above
 * the largest value recorded (below the smallest); a percentile never does. Every percentile
 * printed or written (summary.csv, run.json, percentiles.csv, the terminal table) passes through here.
 */
export function withinRecorded(h: Histogram, valueUs: number): number {
  // minNonZeroValue is exact; a recorded 0 (a sub-µs duration) is the lowest bucket's only value.
  const min = h.getValueAtPercentile(0) === 0 ? 0 : h.minNonZeroValue;
  return Math.min(Math.max(valueUs, min), h.maxValue);
}

/** The value (µs) at a percentile (0..100), never outside the recorded minimum and maximum. */
export function valueAtPercentile(h: Histogram, percentile: number): number {
  return withinRecorded(h, h.getValueAtPercentile(percentile));
}

export interface Distribution {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
  stdev: number;
}

/**
 * Summary in milliseconds (the printed unit) of a µs histogram; undefined when it holds no values.
 * HdrHistogram's mean adds up each bucket's midpoint, while min and max are the recorded values: a single
 * 828 553 µs has the mean 828 672 µs (its 512 µs bucket's middle). The true mean lies within [min, max], so
 * the estimate is brought within them too; count is the histogram's own.
 */
export function distributionMs(h: Histogram): Distribution | undefined {
  if (h.totalCount === 0) return undefined;
  const ms = (us: number): number => us / 1000;
  const min = valueAtPercentile(h, 0);
  const max = h.maxValue;
  return {
    count: h.totalCount,
    min: ms(min),
    p50: ms(valueAtPercentile(h, 50)),
    p90: ms(valueAtPercentile(h, 90)),
    p99: ms(valueAtPercentile(h, 99)),
    p999: ms(valueAtPercentile(h, 99.9)),
    max: ms(max),
    mean: ms(Math.min(Math.max(h.mean, min), max)),
    stdev: ms(h.stdDeviation),
  };
}
