// A measured figure, as the result files and the terminal table see it: a latency distribution (kept as
// its HdrHistogram) or a scalar (a count, a rate, an index). Units are stated, never implied.
import type { Histogram } from './histogram.ts';

/**
 * A time-to-event figure's censored cases (SPEC §2, censored observations): events that had not happened
 * when their observation window closed. Each is in the histogram at its window's length, a lower bound, so
 * percentiles and max are "at least"; `count` says how many of the histogram's observations are such bounds.
 */
export interface Censoring {
  /** Observations whose event did not happen inside the window (recorded at the window's length). */
  count: number;
  /** The observation window, ms: from the event (fault, change) to the next fault or the window's end. */
  windowMs: number;
}

export type Metric =
  | { name: string; unit: 'ms'; kind: 'distribution'; histogram: Histogram; censored?: Censoring | undefined }
  | { name: string; unit: string; kind: 'scalar'; value: number; notMeasured?: string | undefined };

export function scalar(name: string, unit: string, value: number): Metric {
  return { name, unit, kind: 'scalar', value };
}

export function distribution(name: string, histogram: Histogram, censored?: Censoring): Metric {
  return censored ? { name, unit: 'ms', kind: 'distribution', histogram, censored } : { name, unit: 'ms', kind: 'distribution', histogram };
}

/**
 * A scalar that could not be measured (not-measured.ts): no value (NaN, an empty summary.csv cell), and
 * why, for run.json's `notMeasured` and the notes. Never 0: zero is a measurement.
 */
export function unmeasured(name: string, unit: string, reason: string): Metric {
  return { name, unit, kind: 'scalar', value: Number.NaN, notMeasured: reason };
}

/** `value` when it is a number, else the figure is not measured for `reason`. */
export function scalarOr(name: string, unit: string, value: number | undefined, reason: string): Metric {
  return value === undefined || !Number.isFinite(value) ? unmeasured(name, unit, reason) : scalar(name, unit, value);
}

export function findMetric(metrics: readonly Metric[], name: string): Metric | undefined {
  return metrics.find((m) => m.name === name);
}

export function scalarValue(metrics: readonly Metric[], name: string): number | undefined {
  const m = findMetric(metrics, name);
  return m?.kind === 'scalar' ? m.value : undefined;
}

/** `errors` (every failed request) and one `errors.<CODE>` per ZooKeeper error code, summed over the load processes' tallies. */
export function errorMetrics(tallies: Iterable<{ errors: Readonly<Record<string, number>> }>): Metric[] {
  const byCode = new Map<string, number>();
  for (const t of tallies) for (const [code, n] of Object.entries(t.errors)) byCode.set(code, (byCode.get(code) ?? 0) + n);
  return [
    scalar('errors', 'count', [...byCode.values()].reduce((a, b) => a + b, 0)),
    ...[...byCode].sort().map(([code, n]) => scalar(`errors.${code}`, 'count', n)),
  ];
}
