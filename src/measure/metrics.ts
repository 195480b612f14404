// A measured figure, as the result files and the terminal table see it: a latency distribution (kept as
// its HdrHistogram) or a scalar (a count, a rate, an index). Units are stated, never implied.
import type { Histogram } from './histogram.ts';

export type Metric =
  | { name: string; unit: 'ms'; kind: 'distribution'; histogram: Histogram }
  | { name: string; unit: string; kind: 'scalar'; value: number };

export function scalar(name: string, unit: string, value: number): Metric {
  return { name, unit, kind: 'scalar', value };
}

export function distribution(name: string, histogram: Histogram): Metric {
  return { name, unit: 'ms', kind: 'distribution', histogram };
}

export function findMetric(metrics: readonly Metric[], name: string): Metric | undefined {
  return metrics.find((m) => m.name === name);
}

export function scalarValue(metrics: readonly Metric[], name: string): number | undefined {
  const m = findMetric(metrics, name);
  return m?.kind === 'scalar' ? m.value : undefined;
}
