// summary.csv (SPEC §3): one row per (workload, recipe, metric). Distributions fill count..stdev and leave
// value empty; scalars fill value and leave the distribution columns empty. Latencies in ms.
import { stringify } from 'csv-stringify/sync';
import { distributionMs } from '../measure/histogram.ts';
import type { RunRecord } from './run-record.ts';

export const SUMMARY_COLUMNS = [
  'workload', 'recipe', 'metric', 'unit', 'value',
  'count', 'min', 'p50', 'p90', 'p99', 'p999', 'max', 'mean', 'stdev',
  'clients', 'watchers', 'servers',
] as const;

/** Up to 6 significant digits: enough for any figure we measure, without float noise. */
export function num(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '';
  return String(Number(v.toPrecision(6)));
}

export function summaryCsv(run: RunRecord): string {
  const rows: string[][] = [];
  for (const r of run.recipes) {
    const params = [String(r.clients), '', String(run.ensemble.servers)];
    for (const m of r.metrics) {
      const head = [run.workload.name, r.recipe, m.name, m.unit];
      if (m.kind === 'scalar') {
        rows.push([...head, num(m.value), '', '', '', '', '', '', '', '', '', ...params]);
      } else {
        const d = distributionMs(m.histogram);
        const dist = d
          ? [d.count, d.min, d.p50, d.p90, d.p99, d.p999, d.max, d.mean, d.stdev].map((v) => num(v))
          : ['0', '', '', '', '', '', '', '', ''];
        rows.push([...head, '', ...dist, ...params]);
      }
    }
  }
  return stringify(rows, { header: true, columns: [...SUMMARY_COLUMNS] });
}
