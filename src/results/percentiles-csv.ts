// percentiles.csv (SPEC §3): HdrHistogram's own percentile distribution (its outputPercentileDistribution,
// 5 ticks per half distance) for every latency, values scaled from µs to ms. The recipe column names the
// series (series.ts: recipe@watchers for a point of a watcher sweep).
import { stringify } from 'csv-stringify/sync';
import { withinRecorded, type Histogram } from '../measure/histogram.ts';
import type { RunRecord } from './run-record.ts';
import { seriesName } from './series.ts';

export const PERCENTILE_COLUMNS = ['recipe', 'metric', 'value_ms', 'percentile', 'total_count', 'inverted'] as const;

/**
 * Rows of [value_ms, percentile, total_count, 1/(1-percentile)] as HdrHistogram prints them, each
 * value brought within the recorded minimum and maximum (see withinRecorded).
 */
export function percentileDistribution(h: Histogram): string[][] {
  if (h.totalCount === 0) return [];
  // The CSV form is a quoted header then plain numeric rows; the type declaration omits its CSV overload.
  const csv = (h.outputPercentileDistribution as (ticks: number, scale: number, csv: boolean) => string)(5, 1000, true);
  return csv
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [valueMs, ...rest] = line.split(',');
      const us = Number(valueMs) * 1000;
      const within = withinRecorded(h, us);
      return [within === us ? valueMs! : (within / 1000).toFixed(3), ...rest];
    });
}

export function percentilesCsv(run: RunRecord): string {
  const rows: string[][] = [];
  for (const r of run.recipes) {
    for (const m of r.metrics) {
      if (m.kind !== 'distribution') continue;
      for (const row of percentileDistribution(m.histogram)) rows.push([seriesName(r), m.name, ...row]);
    }
  }
  return stringify(rows, { header: true, columns: [...PERCENTILE_COLUMNS] });
}
