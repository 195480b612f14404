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

/** `errors` (every failed request) and one `errors.<CODE>` per ZooKeeper error code, summed over the load processes' tallies. */
export function errorMetrics(tallies: Iterable<{ errors: Readonly<Record<string, number>> }>): Metric[] {
  const byCode = new Map<string, number>();
  for (const t of tallies) for (const [code, n] of Object.entries(t.errors)) byCode.set(code, (byCode.get(code) ?? 0) + n);
  return [
    scalar('errors', 'count', [...byCode.values()].reduce((a, b) => a + b, 0)),
    ...[...byCode].sort().map(([code, n]) => scalar(`errors.${code}`, 'count', n)),
  ];
}
